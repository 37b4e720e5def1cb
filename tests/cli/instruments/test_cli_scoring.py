"""`painpath score`, `painpath instruments` and `painpath change` through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

_SCRIPT = Path(sys.executable).with_name("painpath")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "painpath.cli"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=60)


def test_phq9_item9_flag() -> None:
    """The issue's acceptance example."""
    r = run("score", "phq9", "--answers", "[0,0,0,0,0,0,0,0,1]")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out == {
        "instrument": "phq9",
        "value": 1,
        "band": "minimal",
        "subscores": {},
        "flags": ["phq9_item9_positive"],
        "complete": True,
    }


def test_score_with_nulls_and_subscores() -> None:
    r = run("score", "bpi", "--answers", "[8, 2, 5, 5, 5, 6, null, 5, 5, 5, 5]")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["value"] == 5.0 and out["subscores"]["interference"] == pytest.approx(31 / 6)
    assert out["complete"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "phq9", "--answers", "[0,0,0,0,0,0,0,0,4]"), "phq9 item 9 (phq9_9): 4 is not"),
        (("score", "phq9", "--answers", "[0,0,0,0,0,0,0,0,true]"), "True is not allowed"),
        (("score", "phq9", "--answers", "[0,0]"), "phq9: expected 9 answers"),
        (("score", "phq9", "--answers", "[0,"), "--answers is not valid JSON"),
        (("score", "phq9", "--answers", '{"a": 1}'), "--answers must be a JSON list"),
        (("score", "nope", "--answers", "[]"), "unknown instrument 'nope'"),
        (("score", "odi", "--answers", "[1,1,1,1,1,1,1,null,null,null]"), "at least 8 needed"),
        (("change", "nrs", "8", "eleven"), "follow_up: expected a number, got 'eleven'"),
        (("change", "nrs", "8", "11"), "follow_up: 11 is outside the nrs range 0 to 10"),
        (("change", "nrs", "8", "nan"), "follow_up: expected a finite number"),
        (("change", "nope", "8", "4"), "unknown instrument 'nope'"),
        (("change", "nrs", "true", "4"), "baseline: expected a number, got 'true'"),
        (("change", "bpi", "5", "4", "--measure", "mood"), "measure: 'mood' is not a bpi"),
        (("score", "nrs", "--answers", "[5.0]"), "nrs item 1 (nrs_1): 5.0 is not allowed"),
        (("score", "nrs", "--answers", '["5"]'), "nrs item 1 (nrs_1): '5' is not allowed"),
        (("score", "nrs", "--answers", "[[5]]"), "nrs item 1 (nrs_1): [5] is not allowed"),
        (("score", "pgic", "--answers", "[0]"), "allowed: an integer 1-7"),
        (("score", "ndi", "--answers", "[1,1,1,1,1,1,1,null,null,null]"), "at least 8 needed"),
        (("score", "bpi", "--answers", "[null,1,1,1,1,1,1,1,1,1,1]"), "bpi item 1 (bpi_worst)"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: tuple[str, ...], message: str) -> None:
    r = run(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in r.stderr


def test_instruments_lists_all_fourteen() -> None:
    r = run("instruments")
    assert r.returncode == 0
    codes = [line.split()[0] for line in r.stdout.splitlines()[1:]]
    assert codes == [
        "startback", "odi", "ndi", "rmdq", "bpi", "gad7", "phq9",
        "sqs", "pgic", "nrs", "eq5d5l", "paindetect", "dn4", "pseq",
    ]  # fmt: skip
    rows = json.loads(run("instruments", "--json").stdout)
    eq5d = next(r for r in rows if r["code"] == "eq5d5l")
    assert (eq5d["min"], eq5d["max"], eq5d["items"], eq5d["full_text"]) == (-0.594, 1.0, 6, False)


def test_change_prints_json() -> None:
    r = run("change", "nrs", "8", "4")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["change"] == -4 and out["percent_change"] == -50.0
    assert out["improved"] is True and out["category"] == "substantial"
    assert out["meets_mcid_points"] is True and out["meets_mcid_percent"] is True


def test_change_eq5d_floats() -> None:
    out = json.loads(run("change", "eq5d5l", "0.64", "0.70").stdout)
    assert out["change"] == pytest.approx(0.06) and out["meets_mcid_points"] is True


def _questionnaire_file(tmp_path: Path, link_ids: list[str]) -> Path:
    data = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [{"linkId": c, "type": "integer", "text": f"Clinic text {c}"} for c in link_ids],
    }
    path = tmp_path / "wording.json"
    path.write_text(json.dumps(data))
    return path


def test_wording_check_accepts_a_matching_file(tmp_path: Path) -> None:
    r = run("wording", "sqs", str(_questionnaire_file(tmp_path, ["sqs_1"])))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["items"][0]["label"] == "Clinic text sqs_1"


def test_wording_check_refuses_a_mismatched_file(tmp_path: Path) -> None:
    r = run("wording", "nrs", str(_questionnaire_file(tmp_path, ["pain"])))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "painpath wording: questionnaire linkId 'pain' is not a nrs item; item codes: nrs_1"
    )


@pytest.mark.parametrize(
    ("code", "baseline", "follow_up", "improved", "category"),
    [
        ("sqs", "3", "5", True, None),  # higher is better
        ("pseq", "40", "30", False, None),
        ("eq5d5l", "0.70", "0.64", False, "worse"),
        ("odi", "40", "30", True, "moderate"),
        ("phq9", "10", "15", False, "worse"),
    ],
)
def test_change_is_direction_aware(
    code: str, baseline: str, follow_up: str, improved: bool, category: str | None
) -> None:
    r = run("change", code, baseline, follow_up)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["improved"], out["category"]) == (improved, category)
