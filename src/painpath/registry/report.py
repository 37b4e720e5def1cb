"""The cohort report: every table as CSV, plots (PNG), a data dictionary, one self-contained HTML
page (and its body, which the researcher web area embeds) and a manifest.

``build_report`` is the whole pipeline: check the data folder, compute the tables with an engine,
put them through ``disclosure_control.publish`` (unless the clinic asks for
``--no-disclosure-control`` for its own use, which the report then states at the top), and only
then write CSVs, draw plots and write the HTML. Plots are drawn from the published (controlled)
tables, so a plot can never show what its table hides; a suppressed value is left out of a plot
and marked ``[c]`` on it, never drawn as zero. ``manifest.json`` is written last and records
what made the report and whether it was controlled (``published``); only a controlled report
can be published to researchers. Matplotlib is imported only when the plots are drawn, and
without pyplot (a Figure on the Agg canvas: no global state, no GUI backend).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from painpath.registry import disclosure_control, published
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


def _figure(width: float, height: float) -> Any:
    """A matplotlib Figure on the Agg (PNG) canvas, without pyplot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def _figure_png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def plot_trajectories(points: list[TrajectoryPoint]) -> bytes:
    """Mean change from baseline with its 95% CI, one panel per instrument."""
    instruments = sorted({p.instrument for p in points})
    cols = min(4, max(1, len(instruments)))
    rows = -(-max(1, len(instruments)) // cols)
    fig = _figure(3.4 * cols, 2.8 * rows)
    axes = fig.subplots(rows, cols, squeeze=False)
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
    return _figure_png(fig)


def plot_completion(bars: list[FunnelBar]) -> bytes:
    """Completion funnel: eligible and completed patients at each timepoint."""
    labels = [str(b.timepoint) for b in bars]
    fig = _figure(6.5, 3.2)
    ax = fig.subplots()
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
    return _figure_png(fig)


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
    masks = hidden[list(df.columns)].to_numpy(dtype=bool)
    for i, record in enumerate(df.to_dict("records")):
        cells = []
        for j, (column, value) in enumerate(record.items()):
            if masks[i, j]:
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


#: What each published column means: (table, column) first, then the column alone.
DESCRIPTIONS: dict[tuple[str, str] | str, str] = {
    ("baseline_characteristics", "variable"): "Baseline characteristic (a column of the "
    "extract's patients table), or 'patients' for the whole cohort.",
    ("baseline_characteristics", "level"): "Level of the characteristic; 'missing' where it "
    "was not recorded; 'all' for the whole cohort.",
    ("baseline_characteristics", "n"): "Patients at this level.",
    ("baseline_characteristics", "denominator"): "Patients in the cohort.",
    ("baseline_characteristics", "percent"): "n / denominator x 100.",
    ("baseline_scores", "measure"): "n_prior_treatments (conventional treatments tried before "
    "treatment start) or an instrument code (its score at baseline).",
    ("baseline_scores", "n"): "Patients with a value: every patient for n_prior_treatments, "
    "else patients with a baseline score.",
    ("baseline_scores", "mean"): "Mean at baseline.",
    ("baseline_scores", "sd"): "Sample standard deviation (n - 1) at baseline.",
    ("outcomes", "subgroup"): "Always 'all': the whole cohort (see outcomes_by_subgroup).",
    ("outcomes", "level"): "Always 'all': the whole cohort.",
    ("outcomes_by_subgroup", "subgroup"): "Subgroup variable: pain_type, region, product_form "
    "or prior_cannabis_use.",
    ("outcomes_by_subgroup", "level"): "Level of the subgroup variable; 'missing' where it was "
    "not recorded.",
    "instrument": "Instrument code (painpath.clinical.instruments).",
    "timepoint": "Scheduled timepoint in months since treatment start (0 = baseline).",
    "n": "Patients with a score at this timepoint.",
    "mean": "Mean score at this timepoint.",
    "sd": "Sample standard deviation (n - 1) of the score at this timepoint.",
    "n_paired": "Patients with both a baseline score and a score at this timepoint.",
    "change_mean": "Mean change from baseline (follow-up minus baseline) of the paired patients.",
    "change_sd": "Sample standard deviation (n - 1) of the change.",
    "ci_low": "Lower limit of the t-based 95% confidence interval of the mean change.",
    "ci_high": "Upper limit of the t-based 95% confidence interval of the mean change.",
    "p_value": "Two-sided paired t-test p-value that the mean change is zero.",
    "n_mcid": "Paired patients whose improvement reached the instrument's minimal clinically "
    "important difference (blank at baseline and for instruments without an MCID on their "
    "primary score).",
    "pct_mcid": "n_mcid / n_paired x 100.",
    "grade": "CTCAE v5 grade (1-5), or 'any' for every grade.",
    "n_events": "Adverse events of this grade.",
    "n_patients": "Patients with at least one adverse event of this grade.",
    "n_cohort": "Patients in the cohort.",
    "events_per_100": "n_events / n_cohort x 100.",
    "pct_patients": "n_patients / n_cohort x 100.",
    "n_eligible": "Patients whose scheduled month has passed (months observed >= timepoint).",
    "n_completed": "Eligible patients with at least one questionnaire at this timepoint.",
    "pct_completed": "n_completed / n_eligible x 100.",
}


def describe(table: str, column: str) -> str:
    """The data dictionary's description of ``column`` in ``table`` (KeyError if none)."""
    return DESCRIPTIONS.get((table, column)) or DESCRIPTIONS[column]


def _column_role(table: str, column: str, controlled: bool) -> tuple[str, str]:
    """(kind, what disclosure control does to it) for the data dictionary."""
    rules = disclosure_control.TABLE_RULES[table]
    threshold = disclosure_control.SUPPRESSION_THRESHOLD
    mark = SUPPRESSED_MARK
    if column in rules.counts:
        kind = "count"
        control = (
            f"{mark} when {threshold} or fewer, or when needed to protect a suppressed cell of "
            f"its group; otherwise rounded to the nearest {disclosure_control.ROUNDING_BASE}"
        )
    elif column in rules.ratios:
        kind = "percentage"
        num, den, _ = rules.ratios[column]
        control = f"computed from the published {num} and {den}; {mark} when either is {mark}"
    elif column in rules.dependent:
        kind = "statistic"
        control = f"{mark} when {rules.dependent[column]} is {mark}"
    else:
        kind = "label"
        control = "not controlled (a row label)"
    if not controlled:
        control = "NOT APPLIED: this report was made without disclosure control"
    return kind, control


def write_report_dictionary(publication: Publication, out_dir: Path) -> Path:
    """``data_dictionary.csv``: every column of every published table, what it means, what
    kind of value it is and what disclosure control did to it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("table", "file", "column", "heading", "kind", "description", "disclosure"))
    for name, table in publication.tables.items():
        for column in table.columns:
            kind, control = _column_role(name, str(column), publication.controlled)
            writer.writerow(
                (
                    name,
                    f"{name}.csv",
                    column,
                    HEADERS.get(str(column), str(column)),
                    kind,
                    describe(name, str(column)),
                    control,
                )
            )
    path = out_dir / "data_dictionary.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem;color:#111}"
    "table{border-collapse:collapse;font-size:.85rem;margin-bottom:2rem}"
    "caption{text-align:left;font-weight:bold;padding:.3rem 0}"
    "th,td{border:1px solid #767676;padding:.2rem .4rem;text-align:right}"
    "thead th{background:#eee}"
    ".notice{padding:.6rem;border:2px solid #333;margin-bottom:1rem}"
    "img{max-width:100%;height:auto}"
)


def report_body(
    publication: Publication,
    plots: Mapping[str, bytes],
    *,
    engine: str,
    synthetic: bool,
    created: dt.datetime,
) -> str:
    """The report below its title: status, plots and every table (headings from h2 down, no
    script, relative links to the CSVs), shared by report.html and the researcher web area."""
    tables: Mapping[str, pd.DataFrame] = publication.tables
    drawn_from = (
        "drawn from the disclosure-controlled table below"
        if publication.controlled
        else "drawn from the uncontrolled table below"
    )
    parts = [
        f"<p class='notice' id='disclosure-status'>{html.escape(_status(publication))}</p>",
        (
            "<p class='notice'><strong>SYNTHETIC DATA</strong>: invented patients for "
            "development and benchmarks; not evidence.</p>"
            if synthetic
            else ""
        ),
        f"<p>Engine: {html.escape(engine)}. Generated {created.date().isoformat()}. Changes are "
        "follow-up minus baseline among patients with both; 95% CIs are t-based; p-values from "
        "the paired t-test; MCIDs from the clinical core. A blank cell could not be computed "
        "(e.g. an SD from one patient)"
        + (
            f"; {SUPPRESSED_MARK} marks a value hidden by disclosure control.</p>"
            if publication.controlled
            else ".</p>"
        ),
        "<p>What every column means: <a href='data_dictionary.csv'>data_dictionary.csv</a>.</p>",
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
    return "\n".join(parts)


def write_report(
    publication: Publication,
    out_dir: Path,
    *,
    engine: str,
    synthetic: bool = False,
) -> Path:
    """Write ``<table>.csv`` for every table, ``data_dictionary.csv``, ``*.png`` plots,
    ``report.html`` (and ``report_body.html``), then ``manifest.json``; return the HTML path."""
    tables: Mapping[str, pd.DataFrame] = publication.tables
    out_dir.mkdir(parents=True, exist_ok=True)
    published.remove_manifest(out_dir)
    created = dt.datetime.now(dt.UTC)
    files: list[tuple[str, str]] = []
    for name, table in tables.items():
        (out_dir / f"{name}.csv").write_text(
            _csv(table, publication.suppressed[name]), encoding="utf-8"
        )
        files.append((f"{name}.csv", "table"))
    write_report_dictionary(publication, out_dir)
    files.append(("data_dictionary.csv", "data_dictionary"))
    plots = {
        "trajectories": plot_trajectories(trajectory_points(tables["outcomes"])),
        "completion_funnel": plot_completion(
            funnel_bars(tables["completion"], publication.suppressed["completion"])
        ),
    }
    for name, png in plots.items():
        (out_dir / f"{name}.png").write_bytes(png)
        files.append((f"{name}.png", "plot"))
    body = report_body(publication, plots, engine=engine, synthetic=synthetic, created=created)
    (out_dir / "report_body.html").write_text(body, encoding="utf-8")
    files.append(("report_body.html", "report_body"))
    page = "\n".join(
        [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            "<meta name='viewport' content='width=device-width, initial-scale=1'>",
            f"<title>painpath registry cohort report</title><style>{STYLE}</style></head>",
            "<body><main>",
            "<h1>painpath research registry: cohort report</h1>",
            body,
            "</main></body></html>",
        ]
    )
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    files.append(("report.html", "report"))
    published.write_manifest(
        out_dir,
        engine=engine,
        synthetic=synthetic,
        controlled=publication.controlled,
        tables=[
            published.ManifestTable(
                name=name,
                title=TITLES.get(name, name),
                file=f"{name}.csv",
                rows=len(table),
                columns=tuple(str(c) for c in table.columns),
                suppressed_cells=int(publication.suppressed[name].to_numpy().sum()),
            )
            for name, table in tables.items()
        ],
        files=files,
        created=created,
    )
    return path
