"""The cohort report: every table as CSV, plots (PNG) and one self-contained HTML page.

``build_report`` is the whole pipeline: check the data folder, compute the tables with an engine,
put them through ``disclosure_control.publish`` (unless the clinic asks for
``--no-disclosure-control`` for its own use, which the report then states at the top), and only
then write CSVs, draw plots and write the HTML. Plots are drawn from the published (controlled)
tables, so a plot can never show what its table hides; a suppressed value is left out of a plot
and marked ``[c]`` on it, never drawn as zero.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from painpath.registry import disclosure_control
from painpath.registry.analytics import compute
from painpath.registry.analytics.stats import finish
from painpath.registry.disclosure_control import SUPPRESSED_MARK, Publication
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
#: Columns that identify a row: rendered as row headers (``<th scope='row'>``).
ROW_KEYS = {
    "baseline_characteristics": ("variable", "level"),
    "baseline_scores": ("measure",),
    "outcomes": ("instrument", "timepoint"),
    "outcomes_by_subgroup": ("subgroup", "level", "instrument", "timepoint"),
    "adverse_events": ("grade",),
    "completion": ("timepoint",),
}
HEADERS = {
    "n": "n",
    "denominator": "denominator",
    "percent": "%",
    "mean": "mean",
    "sd": "SD",
    "n_paired": "n paired (baseline and follow-up)",
    "change_mean": "mean change",
    "change_sd": "SD of change",
    "ci_low": "95% CI lower",
    "ci_high": "95% CI upper",
    "p_value": "p (paired t-test)",
    "n_mcid": "n reaching MCID",
    "pct_mcid": "% reaching MCID",
    "n_events": "events",
    "n_patients": "patients with >= 1 event",
    "n_cohort": "patients in cohort",
    "events_per_100": "events per 100 patients",
    "pct_patients": "% patients with >= 1 event",
    "n_eligible": "eligible",
    "n_completed": "completed",
    "pct_completed": "% completed",
    "timepoint": "timepoint (months)",
}


class ReportError(ValueError):
    """The data folder or output folder cannot be used; the message is one line for the user."""


def check_data_folder(data_dir: Path) -> None:
    """Every table of the extract schema is there, readable, with its columns and types."""
    if not data_dir.is_dir():
        raise ReportError(f"--data {data_dir} is not a folder")
    missing = [t.filename for t in TABLES if not (data_dir / t.filename).is_file()]
    if missing:
        raise ReportError(f"--data {data_dir} has no {', '.join(missing)}")
    for table in TABLES:
        path = data_dir / table.filename
        try:
            schema = pq.read_schema(path)
        except (pa.ArrowException, OSError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ReportError(f"--data {path} is not a readable Parquet file ({first})") from None
        for column in table.columns:
            if column.name not in schema.names:
                raise ReportError(f"--data {path} has no column {column.name!r}")
            found = schema.field(column.name).type
            if found != column.type:
                raise ReportError(
                    f"--data {path} column {column.name!r} is {found}, expected {column.type}"
                )


def build_tables(
    data_dir: Path, *, engine: str = "duckdb", threads: int | None = None
) -> dict[str, pd.DataFrame]:
    """Every published table computed with ``engine``, before disclosure control."""
    check_data_folder(data_dir)
    return finish(compute(data_dir, engine, threads=threads))


def build_report(
    data_dir: Path,
    out_dir: Path,
    *,
    engine: str = "duckdb",
    disclosure: bool = True,
    threads: int | None = None,
) -> Path:
    """Compute, control (unless told not to) and write the report; return the HTML path."""
    from painpath.registry.synth import SYNTHETIC_MARKER

    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"--out {out_dir} is not a folder")
    if out_dir.resolve() == data_dir.resolve():
        raise ReportError("--out must not be the --data folder; choose another folder")
    publication = disclosure_control.publish(
        build_tables(data_dir, engine=engine, threads=threads), control=disclosure
    )
    return write_report(
        publication,
        out_dir,
        engine=engine,
        synthetic=(data_dir / SYNTHETIC_MARKER).is_file(),
    )


@dataclass(frozen=True)
class TrajectoryPoint:
    instrument: str
    timepoint: int
    change_mean: float
    ci_low: float | None
    ci_high: float | None


def trajectory_points(outcomes: pd.DataFrame) -> list[TrajectoryPoint]:
    """What the trajectory plot draws: published follow-up changes, nothing that was hidden."""
    points = []
    for r in outcomes[outcomes["timepoint"] > 0].itertuples():
        if pd.isna(r.change_mean):
            continue
        points.append(
            TrajectoryPoint(
                str(r.instrument),
                int(r.timepoint),
                float(r.change_mean),
                None if pd.isna(r.ci_low) else float(r.ci_low),
                None if pd.isna(r.ci_high) else float(r.ci_high),
            )
        )
    return points


@dataclass(frozen=True)
class FunnelBar:
    timepoint: int
    eligible: int | None
    completed: int | None
    eligible_suppressed: bool
    completed_suppressed: bool


def funnel_bars(completion: pd.DataFrame, suppressed: pd.DataFrame) -> list[FunnelBar]:
    """What the completion funnel draws: published counts; suppressed ones are marked, not 0."""
    bars = []
    for i, r in enumerate(completion.itertuples()):
        bars.append(
            FunnelBar(
                int(r.timepoint),
                None if pd.isna(r.n_eligible) else int(r.n_eligible),
                None if pd.isna(r.n_completed) else int(r.n_completed),
                bool(suppressed["n_eligible"].iloc[i]),
                bool(suppressed["n_completed"].iloc[i]),
            )
        )
    return bars


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _figure_png(fig: object) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
    return buffer.getvalue()


def plot_trajectories(points: list[TrajectoryPoint]) -> bytes:
    """Mean change from baseline with its 95% CI, one panel per instrument."""
    plt = _pyplot()
    instruments = sorted({p.instrument for p in points})
    cols = min(4, max(1, len(instruments)))
    rows = -(-max(1, len(instruments)) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.8 * rows), squeeze=False)
    for ax, code in zip(axes.flat, instruments, strict=False):
        mine = sorted((p for p in points if p.instrument == code), key=lambda p: p.timepoint)
        x = [p.timepoint for p in mine]
        y = [p.change_mean for p in mine]
        lo = [float("nan") if p.ci_low is None else p.ci_low for p in mine]
        hi = [float("nan") if p.ci_high is None else p.ci_high for p in mine]
        ax.axhline(0, color="0.6", linewidth=0.8)
        ax.fill_between(x, lo, hi, alpha=0.25, color="tab:blue", linewidth=0)
        ax.plot(x, y, marker="o", color="tab:blue")
        ax.set_title(code)
        ax.set_xticks(list(FOLLOW_UP_TIMEPOINTS))
        ax.set_xlabel("months")
    if not instruments:
        axes[0][0].text(0.5, 0.5, "no published changes", ha="center", va="center")
    for ax in list(axes.flat)[max(1, len(instruments)) :]:
        ax.set_visible(False)
    axes[0][0].set_ylabel("mean change (95% CI)")
    fig.tight_layout()
    png = _figure_png(fig)
    plt.close(fig)
    return png


def plot_completion(bars: list[FunnelBar]) -> bytes:
    """Completion funnel: eligible and completed patients at each timepoint."""
    plt = _pyplot()
    labels = [str(b.timepoint) for b in bars]
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    positions = list(range(len(bars)))
    ax.bar(
        [i for i, b in zip(positions, bars, strict=True) if b.eligible is not None],
        [b.eligible for b in bars if b.eligible is not None],
        color="0.8",
        label="eligible",
    )
    ax.bar(
        [i for i, b in zip(positions, bars, strict=True) if b.completed is not None],
        [b.completed for b in bars if b.completed is not None],
        color="tab:green",
        label="completed",
    )
    for i, b in zip(positions, bars, strict=True):
        if b.eligible_suppressed or b.completed_suppressed:
            ax.annotate(SUPPRESSED_MARK, (i, 0), ha="center", va="bottom")
    ax.set_xticks(positions, labels)
    ax.set_xlabel(f"timepoint (months; 0 = baseline; {SUPPRESSED_MARK} = suppressed)")
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


def _html_table(name: str, df: pd.DataFrame, hidden: pd.DataFrame) -> str:
    keys = ROW_KEYS.get(name, ())
    head = "".join(
        f"<th scope='col'>{html.escape(HEADERS.get(str(c), str(c)))}</th>" for c in df.columns
    )
    body = []
    for i, record in enumerate(df.to_dict("records")):
        cells = []
        for column, value in record.items():
            if bool(hidden[column].iloc[i]):
                text = SUPPRESSED_MARK
            elif pd.isna(value):
                text = ""
            else:
                text = _format(str(column), value)
            if column in keys:
                cells.append(f"<th scope='row'>{html.escape(text)}</th>")
            else:
                cells.append(f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = html.escape(TITLES.get(name, name))
    return (
        f"<table id='{html.escape(name)}'><caption>{caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _csv(table: pd.DataFrame, hidden: pd.DataFrame) -> str:
    """The table as CSV: ``[c]`` where disclosure control hid a value, blank: not computable."""
    return str(table.astype(object).mask(hidden, SUPPRESSED_MARK).to_csv(index=False))


def _status(publication: Publication) -> str:
    if not publication.controlled:
        return (
            "NO DISCLOSURE CONTROL: exact small numbers are shown. For the clinic's own use "
            "only; do not publish or share."
        )
    return (
        f"Disclosure control applied to every table and plot: counts of "
        f"{disclosure_control.SUPPRESSION_THRESHOLD} or fewer are suppressed "
        f"({SUPPRESSED_MARK}); where suppressed cells could be recovered from a published total, "
        f"further cells are suppressed; other counts are rounded to the nearest "
        f"{disclosure_control.ROUNDING_BASE}; percentages are computed from the rounded counts, "
        "and statistics of a suppressed group are suppressed with it."
    )


def write_report(
    publication: Publication,
    out_dir: Path,
    *,
    engine: str,
    synthetic: bool = False,
) -> Path:
    """Write ``<table>.csv`` for every table, ``*.png`` plots and ``report.html``."""
    tables: Mapping[str, pd.DataFrame] = publication.tables
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        (out_dir / f"{name}.csv").write_text(
            _csv(table, publication.suppressed[name]), encoding="utf-8"
        )
    plots = {
        "trajectories": plot_trajectories(trajectory_points(tables["outcomes"])),
        "completion_funnel": plot_completion(
            funnel_bars(tables["completion"], publication.suppressed["completion"])
        ),
    }
    for name, png in plots.items():
        (out_dir / f"{name}.png").write_bytes(png)

    drawn_from = (
        "drawn from the disclosure-controlled table below"
        if publication.controlled
        else "drawn from the uncontrolled table below"
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>painpath registry cohort report</title><style>",
        "body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem;color:#111}"
        "table{border-collapse:collapse;font-size:.85rem;margin-bottom:2rem}"
        "caption{text-align:left;font-weight:bold;padding:.3rem 0}"
        "th,td{border:1px solid #767676;padding:.2rem .4rem;text-align:right}"
        "thead th{background:#eee}"
        ".notice{padding:.6rem;border:2px solid #333;margin-bottom:1rem}"
        "img{max-width:100%;height:auto}",
        "</style></head><body><main>",
        "<h1>painpath research registry: cohort report</h1>",
        f"<p class='notice' id='disclosure-status'>{html.escape(_status(publication))}</p>",
        (
            "<p class='notice'><strong>SYNTHETIC DATA</strong>: invented patients for "
            "development and benchmarks; not evidence.</p>"
            if synthetic
            else ""
        ),
        f"<p>Engine: {html.escape(engine)}. Generated {dt.date.today().isoformat()}. Changes are "
        "follow-up minus baseline among patients with both; 95% CIs are t-based; p-values from "
        "the paired t-test; MCIDs from the clinical core. A blank cell could not be computed "
        "(e.g. an SD from one patient)"
        + (
            f"; {SUPPRESSED_MARK} marks a value hidden by disclosure control.</p>"
            if publication.controlled
            else ".</p>"
        ),
        "<h2>Change from baseline</h2>",
        "<figure><img alt='Line charts, one per instrument, of the mean change from baseline "
        f"with its 95% confidence interval at 1 to 24 months, {drawn_from} "
        "(Outcomes by instrument and timepoint).' src='data:image/png;base64,"
        + base64.b64encode(plots["trajectories"]).decode()
        + "'><figcaption>Mean change from baseline (95% CI) by instrument.</figcaption></figure>",
        "<h2>Follow-up completion</h2>",
        "<figure><img alt='Bar chart of patients eligible and patients completing follow-up at "
        f"each timepoint from baseline to 24 months, {drawn_from} (Follow-up completion by "
        "timepoint).' src='data:image/png;base64,"
        + base64.b64encode(plots["completion_funnel"]).decode()
        + "'><figcaption>Completion funnel.</figcaption></figure>",
    ]
    for name, table in tables.items():
        hidden = publication.suppressed[name]
        n_hidden = int(hidden.to_numpy().sum())
        parts.append(f"<h2>{html.escape(TITLES.get(name, name))}</h2>")
        status = (
            f"disclosure control applied, {n_hidden} cells suppressed"
            if publication.controlled
            else "NO disclosure control"
        )
        parts.append(f"<p><a href='{name}.csv'>{name}.csv</a> ({status})</p>")
        parts.append(_html_table(name, table, hidden))
    parts.append("</main></body></html>")
    path = out_dir / "report.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
