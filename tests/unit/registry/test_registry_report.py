"""The report: suppressed cells marked (and only they), plots from the controlled tables only,
a self-contained accessible HTML page that states its disclosure-control status, CSV for all."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from painpath.registry import disclosure_control as dc
from painpath.registry.report import (
    TITLES,
    ReportError,
    build_report,
    build_tables,
    check_data_folder,
    funnel_bars,
    trajectory_points,
    write_report,
)


def _cells(html: str, title: str) -> list[str]:
    section = html[html.index(f"<caption>{title}</caption>") :]
    section = section[: section.index("</table>")]
    return re.findall(r"<t[dh](?: scope='row')?>([^<]*)</t[dh]>", section)


def test_controlled_report_marks_exactly_the_cells_control_hid(edge: Path, tmp_path: Path) -> None:
    publication = dc.publish(build_tables(edge))
    html = write_report(publication, tmp_path, engine="duckdb").read_text()
    # 5 patients: every count is suppressed; the timepoint (a key) is shown.
    assert _cells(html, TITLES["completion"])[:4] == ["0", "[c]", "[c]", "[c]"]
    # n_mcid at the baseline is not applicable (blank), not suppressed.
    outcomes = pd.read_csv(tmp_path / "outcomes.csv", dtype=str, keep_default_na=False)
    baseline = outcomes[outcomes["timepoint"] == "0"]
    assert (baseline["n_mcid"] == "").all()
    assert (baseline["n"] == "[c]").all()
    # HTML and CSV mark the same cells.
    for name, hidden in publication.suppressed.items():
        csv = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        assert ((csv == "[c]").to_numpy() == hidden.to_numpy()).all(), name
        assert html.count("[c]") >= int(hidden.to_numpy().sum())


def test_uncontrolled_report_shows_exact_counts_and_no_marks(edge: Path, tmp_path: Path) -> None:
    html = write_report(
        dc.publish(build_tables(edge), control=False), tmp_path, engine="duckdb"
    ).read_text()
    assert "[c]" not in html
    assert "NO DISCLOSURE CONTROL" in html
    assert _cells(html, TITLES["completion"])[:4] == ["0", "5", "4", "80.0"]
    assert "[c]" not in (tmp_path / "completion.csv").read_text()


def test_plots_draw_only_the_controlled_values(synthetic: Path) -> None:
    raw = build_tables(synthetic)
    publication = dc.publish(raw)
    outcomes = publication.tables["outcomes"].set_index(["instrument", "timepoint"])
    points = trajectory_points(publication.tables["outcomes"])
    assert points
    for p in points:
        row = outcomes.loc[(p.instrument, p.timepoint)]
        assert p.change_mean == row["change_mean"]
        assert (p.ci_low, p.ci_high) == (row["ci_low"], row["ci_high"])
    hidden = {(i, t) for (i, t), r in outcomes.iterrows() if t > 0 and pd.isna(r["change_mean"])}
    assert not hidden & {(p.instrument, p.timepoint) for p in points}
    bars = funnel_bars(publication.tables["completion"], publication.suppressed["completion"])
    exact = raw["completion"]
    for bar, true_eligible in zip(bars, exact["n_eligible"], strict=True):
        assert bar.eligible is not None and bar.eligible % dc.ROUNDING_BASE == 0
        assert abs(bar.eligible - true_eligible) <= 2


def test_a_suppressed_count_is_marked_on_the_plot_never_drawn_as_zero(edge: Path) -> None:
    publication = dc.publish(build_tables(edge))
    bars = funnel_bars(publication.tables["completion"], publication.suppressed["completion"])
    assert all(b.eligible is None and b.eligible_suppressed for b in bars)
    assert all(b.completed is None and b.completed_suppressed for b in bars)
    assert trajectory_points(publication.tables["outcomes"]) == []


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.th_outside_thead_without_row_scope = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "th" and "thead" not in self.stack and dict(attrs).get("scope") != "row":
            self.th_outside_thead_without_row_scope += 1
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def test_html_is_self_contained_and_accessible(synthetic: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    html = build_report(synthetic, out).read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert page.all("html")[0]["lang"] == "en"
    assert page.all("title") and page.all("h1")
    assert not page.all("script") and not page.all("link") and not page.all("iframe")
    images = page.all("img")
    assert len(images) == 2
    for img in images:
        assert (img["src"] or "").startswith("data:image/png;base64,")
        assert len(img["alt"] or "") > 40
    for a in page.all("a"):
        href = a["href"] or ""
        assert "/" not in href and (out / href).is_file(), href
    tables = html.count("<table")
    assert tables == len(TITLES) == html.count("<caption>") == html.count("<thead>")
    assert page.all("th") and all(th.get("scope") in ("col", "row") for th in page.all("th"))
    assert page.th_outside_thead_without_row_scope == 0
    status = html[html.index("id='disclosure-status'") :]
    assert status.split("</p>")[0].count("Disclosure control applied") == 1
    assert html.count("(disclosure control applied, ") == len(TITLES)
    assert "SYNTHETIC DATA" in html
    for name in TITLES:
        assert (out / f"{name}.csv").is_file()


def test_report_escapes_html_in_values(tmp_path: Path, edge: Path) -> None:
    tables = build_tables(edge)
    tables["baseline_characteristics"].loc[1, "level"] = "<script>alert(1)</script>"
    html = write_report(dc.publish(tables, control=False), tmp_path, engine="duckdb").read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_data_folder_that_is_not_an_extract_is_refused_in_one_line(
    edge: Path, tmp_path: Path
) -> None:
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    bad = tmp_path / "bad"
    shutil.copytree(edge, bad)
    with pytest.raises(ReportError, match="is not a folder"):
        check_data_folder(tmp_path / "nowhere")
    (bad / "outcomes.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(ReportError, match=r"outcomes\.parquet is not a readable Parquet file"):
        check_data_folder(bad)
    pq.write_table(pa.table({"pkey": pa.array([1], pa.int32())}), bad / "outcomes.parquet")
    with pytest.raises(ReportError, match="has no column 'instrument'"):
        check_data_folder(bad)
    table = pq.read_table(edge / "outcomes.parquet")
    pq.write_table(
        table.set_column(3, "months", table["months"].cast(pa.float64())), bad / "outcomes.parquet"
    )
    with pytest.raises(ReportError, match="column 'months' is double, expected int16"):
        check_data_folder(bad)
    (bad / "patients.parquet").unlink()
    with pytest.raises(ReportError, match=r"has no patients\.parquet"):
        check_data_folder(bad)
    with pytest.raises(ReportError, match="must not be the --data folder"):
        build_report(edge, edge)
