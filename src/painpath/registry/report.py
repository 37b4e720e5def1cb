"""The cohort report: every table as CSV, plots (PNG) and one self-contained HTML page.

Tables are disclosure-controlled before anything is written or plotted (unless the clinic asks
for ``--no-disclosure-control`` for its own use, which the report then states at the top), so a
plot can never show what its table hides.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from painpath.registry import disclosure_control
from painpath.registry.analytics import compute
from painpath.registry.analytics.stats import finish
from painpath.registry.schema import TABLES
from painpath.registry.timepoints import FOLLOW_UP_TIMEPOINTS

TITLES = {
    "baseline_characteristics": "Baseline characteristics",
    "baseline_scores": "Baseline scores: mean (SD)",
    "outcomes": "Outcomes by instrument and timepoint (change from baseline, paired)",
    "outcomes_by_subgroup": "Outcomes by subgroup (pain type, region, product form, cannabis use)",
    "adverse_events": "Adverse events by CTCAE grade",
    "completion": "Follow-up completion by timepoint",
}


def build_tables(
    data_dir: Path, *, engine: str = "duckdb", disclosure: bool = True, threads: int | None = None
) -> dict[str, pd.DataFrame]:
    """Compute every published table with ``engine``, disclosure-controlled unless told not to."""
    missing = [t.filename for t in TABLES if not (data_dir / t.filename).is_file()]
    if missing:
        raise FileNotFoundError(f"--data {data_dir} has no {', '.join(missing)}")
    tables = finish(compute(data_dir, engine, threads=threads))
    return disclosure_control.control_tables(tables) if disclosure else tables


def _figure_png(fig: object) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
    return buffer.getvalue()


def plot_trajectories(outcomes: pd.DataFrame) -> bytes:
    """Mean change from baseline with its 95% CI, one panel per instrument."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    instruments = sorted(set(outcomes["instrument"]))
    cols = min(4, max(1, len(instruments)))
    rows = -(-max(1, len(instruments)) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.8 * rows), squeeze=False)
    for ax, code in zip(axes.flat, instruments, strict=False):
        d = outcomes[(outcomes["instrument"] == code) & (outcomes["timepoint"] > 0)]
        d = d[d["change_mean"].notna()]
        x = d["timepoint"].to_numpy(dtype=float)
        y = d["change_mean"].to_numpy(dtype=float)
        lo = d["ci_low"].to_numpy(dtype=float, na_value=float("nan"))
        hi = d["ci_high"].to_numpy(dtype=float, na_value=float("nan"))
        ax.axhline(0, color="0.6", linewidth=0.8)
        ax.fill_between(x, lo, hi, alpha=0.25, color="tab:blue", linewidth=0)
        ax.plot(x, y, marker="o", color="tab:blue")
        ax.set_title(code)
        ax.set_xticks(list(FOLLOW_UP_TIMEPOINTS))
        ax.set_xlabel("months")
    for ax in list(axes.flat)[len(instruments) :]:
        ax.set_visible(False)
    axes[0][0].set_ylabel("mean change (95% CI)")
    fig.tight_layout()
    png = _figure_png(fig)
    plt.close(fig)
    return png


def plot_completion(completion: pd.DataFrame) -> bytes:
    """Completion funnel: eligible and completed patients at each timepoint."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [str(t) for t in completion["timepoint"]]
    eligible = completion["n_eligible"].to_numpy(dtype=float, na_value=0.0)
    done = completion["n_completed"].to_numpy(dtype=float, na_value=0.0)
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    ax.bar(labels, eligible, color="0.8", label="eligible")
    ax.bar(labels, done, color="tab:green", label="completed")
    ax.set_xlabel("timepoint (months; 0 = baseline)")
    ax.set_ylabel("patients")
    ax.legend()
    fig.tight_layout()
    png = _figure_png(fig)
    plt.close(fig)
    return png


RATE_COLUMNS = ("pct_", "percent", "events_per_100")


def _format(column: str, value: object) -> str:
    if column == "p_value":
        return "<0.001" if float(value) < 0.001 else f"{float(value):.3f}"  # type: ignore[arg-type]
    if isinstance(value, float):
        if column.startswith(RATE_COLUMNS):
            return f"{value:.1f}"
        return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"
    return str(value)


def _suppressed(table_name: str, column: str, row: Mapping[str, object]) -> bool:
    """True when a blank cell is blank because disclosure control hid it."""
    rules = disclosure_control.TABLE_RULES.get(table_name)
    if rules is None:
        return False
    if column in rules.counts:
        return True
    if column in rules.ratios:
        return bool(pd.isna(row[rules.ratios[column][0]]))
    if column in rules.dependent:
        return bool(pd.isna(row[rules.dependent[column]]))
    return False


def _html_table(name: str, df: pd.DataFrame, disclosure: bool) -> str:
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for record in df.to_dict("records"):
        cells = []
        for column, value in record.items():
            if pd.isna(value):
                hidden = disclosure and _suppressed(name, str(column), record)
                text = disclosure_control.SUPPRESSED_MARK if hidden else ""
            else:
                text = _format(str(column), value)
            cells.append(f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def write_report(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    *,
    disclosure: bool,
    engine: str,
    synthetic: bool = False,
) -> Path:
    """Write ``<table>.csv`` for every table, ``*.png`` plots and ``report.html``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(out_dir / f"{name}.csv", index=False)
    plots = {
        "trajectories": plot_trajectories(tables["outcomes"]),
        "completion_funnel": plot_completion(tables["completion"]),
    }
    for name, png in plots.items():
        (out_dir / f"{name}.png").write_bytes(png)

    if disclosure:
        notice = (
            f"Disclosure control applied: counts of {disclosure_control.SUPPRESSION_THRESHOLD} "
            f"or fewer are suppressed ({disclosure_control.SUPPRESSED_MARK}), other counts are "
            f"rounded to the nearest {disclosure_control.ROUNDING_BASE}; percentages are "
            "computed from the rounded counts."
        )
    else:
        notice = (
            "NO DISCLOSURE CONTROL: exact small numbers are shown. For the clinic's own use "
            "only; do not publish or share."
        )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>painpath registry cohort report</title><style>",
        "body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}"
        "table{border-collapse:collapse;font-size:.85rem;margin-bottom:2rem}"
        "th,td{border:1px solid #bbb;padding:.2rem .4rem;text-align:right}"
        ".notice{padding:.6rem;border:2px solid #333;margin-bottom:1rem}",
        "</style></head><body><main>",
        "<h1>painpath research registry: cohort report</h1>",
        f"<p class='notice'>{html.escape(notice)}</p>",
        (
            "<p class='notice'><strong>SYNTHETIC DATA</strong>: invented patients for "
            "development and benchmarks; not evidence.</p>"
            if synthetic
            else ""
        ),
        f"<p>Engine: {html.escape(engine)}. Generated {dt.date.today().isoformat()}. Changes are "
        "follow-up minus baseline among patients with both; 95% CIs are t-based; p-values from "
        "the paired t-test; MCIDs from the clinical core.</p>",
        "<h2>Change from baseline</h2>",
        "<img alt='Mean change from baseline with 95% confidence intervals for each instrument "
        "at 1 to 24 months' src='data:image/png;base64,"
        + base64.b64encode(plots["trajectories"]).decode()
        + "'>",
        "<h2>Follow-up completion</h2>",
        "<img alt='Patients eligible and completing follow-up at each timepoint' "
        "src='data:image/png;base64,"
        + base64.b64encode(plots["completion_funnel"]).decode()
        + "'>",
    ]
    for name, table in tables.items():
        parts.append(f"<h2>{html.escape(TITLES.get(name, name))}</h2>")
        parts.append(f"<p><a href='{name}.csv'>{name}.csv</a></p>")
        parts.append(_html_table(name, table, disclosure))
    parts.append("</main></body></html>")
    path = out_dir / "report.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
