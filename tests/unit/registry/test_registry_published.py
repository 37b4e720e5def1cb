"""Report manifests and publishing (painpath.registry.published): a report says what made it and
whether it was controlled; only a whole, disclosure-controlled report is ever published or
served, and only the files its manifest lists, by name."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from painpath.registry import disclosure_control as dc
from painpath.registry import published
from painpath.registry.published import ReportUnavailable
from painpath.registry.report import TITLES, build_report, describe


@pytest.fixture(scope="module")
def reports(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    build_report(synthetic, root / "controlled")
    build_report(synthetic, root / "uncontrolled", disclosure=False)
    return {"controlled": root / "controlled", "uncontrolled": root / "uncontrolled"}


@pytest.fixture
def controlled(reports: dict[str, Path], tmp_path: Path) -> Path:
    """A private copy of the controlled report (tests may damage it)."""
    return Path(shutil.copytree(reports["controlled"], tmp_path / "my-report"))


def rewrite_manifest(folder: Path, **changes: object) -> None:
    """Edit manifest fields and re-hash every listed file, as a careless copy or a forger would."""
    path = folder / published.MANIFEST_NAME
    document = json.loads(path.read_text())
    document.update(changes)
    for entry in document["files"]:
        data = (folder / entry["name"]).read_bytes()
        entry["bytes"], entry["sha256"] = len(data), published.sha256_of(data)
    path.write_text(json.dumps(document))


def test_the_manifest_records_what_made_the_report_and_every_file(
    reports: dict[str, Path],
) -> None:
    folder = reports["controlled"]
    raw = json.loads((folder / "manifest.json").read_text())
    assert raw["format"] == "painpath-registry-report" and raw["manifest_version"] == 1
    assert raw["created"].endswith("Z")
    m = published.read_manifest(folder)
    assert (m.engine, m.synthetic, m.disclosure_control) == ("duckdb", True, True)
    assert m.ruleset == {
        "version": dc.RULESET_VERSION,
        "suppression_threshold": dc.SUPPRESSION_THRESHOLD,
        "rounding_base": dc.ROUNDING_BASE,
        "suppressed_mark": dc.SUPPRESSED_MARK,
    }
    assert [t.name for t in m.tables] == list(TITLES)
    for table in m.tables:
        with (folder / table.file).open(encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == table.columns and len(rows) - 1 == table.rows
        assert table.suppressed_cells == sum(cell == "[c]" for row in rows[1:] for cell in row)
    listed = {f.name for f in m.files}
    on_disk = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert listed == on_disk
    for f in m.files:
        assert published.sha256_of((folder / f.name).read_bytes()) == f.sha256
    assert {f.kind for f in m.downloads} == {"table", "data_dictionary", "plot", "report"}
    published.check_report(folder, m)  # a controlled report passes every check


def test_an_uncontrolled_report_says_so_in_its_manifest_and_is_never_publishable(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    folder = reports["uncontrolled"]
    m = published.read_manifest(folder)
    assert m.disclosure_control is False and m.ruleset is None
    with pytest.raises(ReportUnavailable, match="--no-disclosure-control") as refused:
        published.publish(folder, tmp_path / "root")
    assert refused.value.reason == "not_controlled"
    assert not (tmp_path / "root").exists()
    # Copied by hand into the reports folder, it is neither listed nor opened.
    shutil.copytree(folder, tmp_path / "root" / "sneaky")
    assert published.published_reports(tmp_path / "root") == []
    with pytest.raises(ReportUnavailable) as refused:
        published.open_report(tmp_path / "root", "sneaky")
    assert refused.value.reason == "not_controlled"


def test_a_forged_manifest_claiming_control_is_caught_by_the_published_counts(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    forged = Path(shutil.copytree(reports["uncontrolled"], tmp_path / "root" / "forged"))
    rewrite_manifest(forged, disclosure_control=True)
    with pytest.raises(ReportUnavailable, match="disclosure control would not publish") as e:
        published.open_report(tmp_path / "root", "forged")
    assert e.value.reason == "not_controlled"
    with pytest.raises(ReportUnavailable):
        published.publish(forged, tmp_path / "elsewhere")
    # Even with the CSVs made to look controlled, the body's own banner gives it away.
    for table in published.read_manifest(forged).tables:
        rules = dc.TABLE_RULES[table.name]
        rows = list(csv.reader(io.StringIO((forged / table.file).read_text())))
        positions = [rows[0].index(c) for c in rules.counts if c in rows[0]]
        for row in rows[1:]:
            for i in positions:
                row[i] = "[c]" if row[i] else ""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (forged / table.file).write_text(out.getvalue())
    rewrite_manifest(forged, disclosure_control=True)
    with pytest.raises(ReportUnavailable, match="says it is not controlled"):
        published.open_report(tmp_path / "root", "forged")


def test_publish_copies_only_the_listed_files_atomically_and_never_replaces(
    controlled: Path, tmp_path: Path
) -> None:
    (controlled / "notes-about-patients.txt").write_text("not part of the report")
    root = tmp_path / "root"
    report = published.publish(controlled, root, "2026-q4")
    assert report.path == root / "2026-q4"
    copied = {p.name for p in report.path.iterdir()}
    assert copied == {f.name for f in report.manifest.files} | {"manifest.json"}
    assert [p.name for p in root.iterdir()] == ["2026-q4"]  # no staging folder left behind
    before = (report.path / "outcomes.csv").read_bytes()
    with pytest.raises(ReportUnavailable, match="already published") as refused:
        published.publish(controlled, root, "2026-q4")
    assert refused.value.reason == "exists"
    assert (report.path / "outcomes.csv").read_bytes() == before
    assert [r.name for r in published.published_reports(root)] == ["2026-q4"]
    # The default name is the folder's, made safe.
    assert published.publish(controlled, root).name == "my-report"
    assert published.default_name(Path("/x/Cohort Report (Q4)")) == "cohort-report-q4"


def test_a_failed_publish_leaves_nothing_in_the_reports_folder(
    controlled: Path, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (controlled / "outcomes.csv").write_text("tampered\n")
    with pytest.raises(ReportUnavailable) as refused:
        published.publish(controlled, root, "q4")
    assert refused.value.reason == "tampered"
    assert list(root.iterdir()) == []


@pytest.mark.parametrize(
    "name", ["", "..", ".hidden", "a/b", "UPPER", "-start", "end-", "x" * 65, "a b", "a.b"]
)
def test_report_names_are_plain_lower_case_words(
    name: str, controlled: Path, tmp_path: Path
) -> None:
    with pytest.raises(ReportUnavailable, match="is not allowed") as refused:
        published.publish(controlled, tmp_path / "root", name)
    assert refused.value.reason == "invalid_name"
    with pytest.raises(ReportUnavailable):
        published.open_report(tmp_path / "root", name)


def test_a_report_cannot_be_published_from_inside_the_reports_folder(
    controlled: Path, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    inside = Path(shutil.copytree(controlled, root / "staged"))
    with pytest.raises(ReportUnavailable, match="already inside the reports folder"):
        published.publish(inside, root, "q4")


def test_a_file_changed_after_publication_is_refused(controlled: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    report = published.publish(controlled, root, "q4")
    target = report.path / "completion.csv"
    original = target.read_bytes()
    target.write_bytes(original.replace(b"0,", b"1,", 1))  # same size, different bytes
    assert len(target.read_bytes()) == len(original)
    assert [r.name for r in published.published_reports(root)] == ["q4"]  # sizes still match
    with pytest.raises(ReportUnavailable, match="has changed") as refused:
        published.open_report(root, "q4")
    assert refused.value.reason == "tampered"
    with pytest.raises(ReportUnavailable):
        published.read_report_file(report, "completion.csv", kinds=published.DOWNLOADABLE_KINDS)
    target.write_bytes(b"shorter")
    assert published.published_reports(root) == []  # a size change is seen when listing


def test_only_files_the_manifest_lists_are_read_and_never_through_a_symlink(
    controlled: Path, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    report = published.publish(controlled, root, "q4")
    kinds = published.DOWNLOADABLE_KINDS
    assert (
        published.read_report_file(report, "outcomes.csv", kinds=kinds)
        == (report.path / "outcomes.csv").read_bytes()
    )
    secret = tmp_path / "secret.csv"
    secret.write_text("pid,nhs_number\n")
    for name in (
        "manifest.json",
        "report_body.html",  # embedded in the page, not a download
        "../secret.csv",
        str(secret),
        "OUTCOMES.CSV",
        "outcomes.csv/",
        "",
    ):
        with pytest.raises(ReportUnavailable) as refused:
            published.read_report_file(report, name, kinds=kinds)
        assert refused.value.reason == "unknown_file", name
    # A listed file swapped for a symlink to somewhere else is refused.
    (report.path / "completion.csv").unlink()
    os.symlink(secret, report.path / "completion.csv")
    with pytest.raises(ReportUnavailable) as refused:
        published.read_report_file(report, "completion.csv", kinds=kinds)
    assert refused.value.reason == "missing_file"
    # A report folder that is a symlink (to a report elsewhere) is neither listed nor opened.
    os.symlink(controlled, root / "linked")
    assert [r.name for r in published.published_reports(root)] == []  # q4 is damaged too
    with pytest.raises(ReportUnavailable):
        published.open_report(root, "linked")


def test_a_report_body_with_active_content_is_refused(controlled: Path, tmp_path: Path) -> None:
    body = controlled / "report_body.html"
    body.write_text(body.read_text() + "<script>alert(1)</script>")
    rewrite_manifest(controlled)
    with pytest.raises(ReportUnavailable, match="active content"):
        published.publish(controlled, tmp_path / "root", "q4")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, "not a painpath registry report manifest"),
        ({"manifest_version": 2}, "manifest_version"),
        ({"disclosure_control": "yes"}, "'disclosure_control' is missing or not a bool"),
        (
            {"files": [{"name": "../x.csv", "kind": "table", "bytes": 1, "sha256": "0" * 64}]},
            "not allowed",
        ),
    ],
)
def test_a_manifest_painpath_did_not_write_is_refused(
    controlled: Path, change: dict[str, object], message: str
) -> None:
    path = controlled / "manifest.json"
    document = json.loads(path.read_text())
    document.update(change)
    path.write_text(json.dumps(document))
    with pytest.raises(ReportUnavailable, match=message) as refused:
        published.read_manifest(controlled)
    assert refused.value.reason == "bad_manifest"
    path.write_text("{not json")
    with pytest.raises(ReportUnavailable, match="not readable JSON"):
        published.read_manifest(controlled)
    path.unlink()
    with pytest.raises(ReportUnavailable, match=r"has no manifest\.json") as refused:
        published.read_manifest(controlled)
    assert refused.value.reason == "no_manifest"


def test_rewriting_a_report_removes_the_old_manifest_first(
    synthetic: Path, controlled: Path
) -> None:
    """While a report is rewritten its folder is not a finished report (no manifest), and an
    uncontrolled rewrite over a controlled report ends with an uncontrolled manifest."""
    build_report(synthetic, controlled, disclosure=False)
    assert published.read_manifest(controlled).disclosure_control is False


def test_the_data_dictionary_describes_every_published_column(reports: dict[str, Path]) -> None:
    for kind, folder in reports.items():
        with (folder / "data_dictionary.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        manifest = published.read_manifest(folder)
        expected = [(t.name, c) for t in manifest.tables for c in t.columns]
        assert [(r["table"], r["column"]) for r in rows] == expected
        for r in rows:
            assert r["description"] == describe(r["table"], r["column"]) and r["description"]
            assert r["kind"] in ("label", "count", "percentage", "statistic")
            if kind == "uncontrolled":
                assert r["disclosure"].startswith("NOT APPLIED")
        counts = {(r["table"], r["column"]) for r in rows if r["kind"] == "count"}
        assert ("outcomes", "n_paired") in counts and ("completion", "n_eligible") in counts
