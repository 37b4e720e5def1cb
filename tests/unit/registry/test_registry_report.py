"""The HTML report: suppressed cells marked, nothing else marked, plots with text alternatives."""

from __future__ import annotations

import re
from pathlib import Path

from painpath.registry.report import build_tables, write_report


def test_controlled_report_marks_only_cells_hidden_by_disclosure_control(
    edge: Path, tmp_path: Path
) -> None:
    tables = build_tables(edge)
    html = write_report(tables, tmp_path, disclosure=True, engine="duckdb").read_text()
    assert "[c]" in html
    # The edge registry has 5 patients: every count is suppressed, so no digit-only count cell
    # other than timepoints and grades appears in the completion table.
    completion = html[html.index("Follow-up completion by timepoint</h2>") :]
    completion = completion[: completion.index("</table>")]
    cells = re.findall(r"<td>([^<]*)</td>", completion)
    assert cells[:4] == ["0", "[c]", "[c]", "[c]"]
    for png in ("trajectories.png", "completion_funnel.png"):
        assert (tmp_path / png).stat().st_size > 1000
    assert html.count("<img alt='") == 2
    assert "<html lang='en'>" in html


def test_uncontrolled_report_shows_exact_counts_and_no_marks(edge: Path, tmp_path: Path) -> None:
    tables = build_tables(edge, disclosure=False)
    html = write_report(tables, tmp_path, disclosure=False, engine="duckdb").read_text()
    assert "[c]" not in html
    assert "NO DISCLOSURE CONTROL" in html
    completion = html[html.index("Follow-up completion by timepoint</h2>") :]
    cells = re.findall(r"<td>([^<]*)</td>", completion[: completion.index("</table>")])
    assert cells[:4] == ["0", "5", "4", "80.0"]


def test_report_escapes_html_in_values(tmp_path: Path, edge: Path) -> None:
    tables = build_tables(edge, disclosure=False)
    tables["baseline_characteristics"].loc[1, "level"] = "<script>alert(1)</script>"
    html = write_report(tables, tmp_path, disclosure=False, engine="duckdb").read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
