"""`painpath registry publish`: the only way a report reaches researchers (in-process, so the
test database holds the audit event)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from painpath.apps.audit.models import AuditEvent
from painpath.cli import main
from painpath.registry import published
from painpath.registry.synth import synthesise


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registry") / "data"
    synthesise(out, 200, seed=3, progress=False)
    return out


@pytest.fixture
def reports_root(settings: Any, tmp_path: Path) -> Path:
    settings.PAINPATH_REGISTRY_REPORTS_DIR = tmp_path / "published"
    return tmp_path / "published"


def one_line(capsys: pytest.CaptureFixture[str], message: str) -> None:
    err = capsys.readouterr().err
    assert message in err and err.strip().count("\n") == 0 and "Traceback" not in err, err


@pytest.mark.django_db
def test_report_then_publish_reaches_the_reports_folder_and_is_audited(
    data: Path, reports_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["registry", "report", "--data", str(data), "--out", str(tmp_path / "r")]) == 0
    argv = ["registry", "publish", "--report", str(tmp_path / "r"), "--name", "cohort-2026"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "published 'cohort-2026'" in out and "/research/reports/cohort-2026/" in out
    assert [r.name for r in published.published_reports(reports_root)] == ["cohort-2026"]
    event = AuditEvent.objects.get(action="registry.publish")
    assert (event.object_type, event.object_id) == ("registry_report", "cohort-2026")
    assert event.detail == {
        "engine": "duckdb",
        "created": published.read_manifest(reports_root / "cohort-2026").created,
        "synthetic": True,
        "tables": 6,
        "ruleset": "2",
    }
    # Publishing again under the same name is refused in one line; nothing is replaced.
    assert main(argv) == 2
    one_line(capsys, "already published")
    assert AuditEvent.objects.filter(action="registry.publish").count() == 1


@pytest.mark.django_db
def test_an_uncontrolled_report_is_refused_in_one_line(
    data: Path, reports_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "clinic-only"
    argv = ["registry", "report", "--data", str(data), "--out", str(report)]
    assert main([*argv, "--no-disclosure-control"]) == 0
    capsys.readouterr()
    assert main(["registry", "publish", "--report", str(report)]) == 2
    one_line(capsys, "made with --no-disclosure-control; only a disclosure-controlled report")
    assert not reports_root.exists()
    assert not AuditEvent.objects.filter(action="registry.publish").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "{tmp}/nowhere"], "is not a folder"),
        (["--report", "{tmp}", "--name", "Bad Name"], "is not allowed"),
        (["--report", "{tmp}"], "has no manifest.json"),
    ],
)
def test_publish_refusals_are_one_line(
    args: list[str],
    message: str,
    reports_root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["registry", "publish", *(a.format(tmp=tmp_path) for a in args)]) == 2
    one_line(capsys, message)


def test_report_refuses_to_write_inside_the_reports_folder(
    data: Path, reports_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in ([], ["--no-disclosure-control"]):
        out = reports_root / "direct"
        assert main(["registry", "report", "--data", str(data), "--out", str(out), *extra]) == 2
        one_line(capsys, "is inside the reports folder researchers read")
        assert not out.exists()


def test_registry_help_explains_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["registry", "--help"])
    text = capsys.readouterr().out
    for step in ("keygen", "extract", "report", "publish --report REPORT", "/research/reports/"):
        assert step in text
