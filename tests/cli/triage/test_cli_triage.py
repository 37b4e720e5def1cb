"""`painpath triage` and `painpath findings` through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from painpath.clinical.triage import FINDINGS, RULESET
from tests.spec.triage.vignettes import VIGNETTES, Vignette

_SCRIPT = Path(sys.executable).with_name("painpath")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "painpath.cli"]
ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "triage"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=60, input=stdin, cwd=ROOT
    )


@pytest.mark.parametrize("v", VIGNETTES, ids=lambda v: v.name)
def test_every_example_file(v: Vignette) -> None:
    """Each examples/triage/*.json vignette gets the urgency its source gives."""
    r = run("triage", str(EXAMPLES / f"{v.name}.json"))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["urgency"] == v.urgency, v.source
    assert {f["code"] for f in out["red_flags"]} == v.red_flags
    assert out["ruleset"] == RULESET


def test_every_example_file_is_run() -> None:
    assert {p.stem for p in EXAMPLES.glob("*.json")} == {v.name for v in VIGNETTES}


def test_readme_example() -> None:
    r = run("triage", "examples/triage/saddle_anaesthesia.json")
    assert r.returncode == 0 and json.loads(r.stdout)["urgency"] == "emergency"


def test_stdin() -> None:
    data = {
        "region": "neck",
        "age": 70,
        "sex": "male",
        "duration_weeks": 3,
        "findings": ["drop_attacks"],
    }
    r = run("triage", "-", stdin=json.dumps(data))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["urgency"] == "urgent"


GOOD = {"region": "low_back", "age": 40, "sex": "female", "duration_weeks": 8, "findings": []}


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        (None, ("triage", "no/such/file.json"), "no/such/file.json: no such file"),
        (None, ("triage", "examples"), "is a directory"),
        ("{", ("triage", "-"), "standard input: not valid JSON"),
        ("[1, 2]", ("triage", "-"), "expected a JSON object"),
        ("", ("triage", "-"), "not valid JSON"),
        (
            json.dumps({**GOOD, "findings": ["saddle_numbness"]}),
            ("triage", "-"),
            "findings[0]: unknown finding code 'saddle_numbness'",
        ),
        (json.dumps({**GOOD, "region": "elbow"}), ("triage", "-"), "region: must be one of"),
        (json.dumps({**GOOD, "age": 130}), ("triage", "-"), "age: must be a whole number"),
        (json.dumps({**GOOD, "duration_weeks": -2}), ("triage", "-"), "duration_weeks: must be"),
        (json.dumps({**GOOD, "colour": 1}), ("triage", "-"), "colour: is not a triage field"),
        (
            json.dumps({**GOOD, "findings": [{"code": "fever", "course": "bad"}]}),
            ("triage", "-"),
            "findings[0].course: must be one of new, stable, improving, deteriorating",
        ),
        (json.dumps({**GOOD, "startback": [1, 2]}), ("triage", "-"), "startback"),
        (json.dumps({**GOOD, "sex": "x"}), ("triage", "-"), "sex: must be one of female"),
        (json.dumps({**GOOD, "age": True}), ("triage", "-"), "age: must be a whole number"),
        (
            json.dumps({**GOOD, "findings": [{"code": "fever", "days": 2.5}]}),
            ("triage", "-"),
            "findings[0].days: must be a whole number",
        ),
        (
            json.dumps({**GOOD, "startback": [0] * 8 + [5]}),
            ("triage", "-"),
            "startback[8]: startback item 9 (startback_9): 5 is not allowed",
        ),
        (json.dumps({**GOOD, "findings": [None]}), ("triage", "-"), "findings[0]: must be"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    stdin: str | None, args: tuple[str, ...], message: str
) -> None:
    r = run(*args, stdin=stdin)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("painpath triage: ") and message in r.stderr, r.stderr


def test_findings_table_and_json() -> None:
    r = run("findings")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split()[:3] == ["code", "group", "meaning"]
    assert len(lines) == len(FINDINGS) + 1
    assert any(line.startswith("saddle_anaesthesia ") and "cauda_equina" in line for line in lines)
    r = run("findings", "--json")
    rows = json.loads(r.stdout)
    assert [row["code"] for row in rows] == list(FINDINGS)
    assert all(set(row) == {"code", "meaning", "group"} for row in rows)


def test_findings_markdown_is_the_reference_page() -> None:
    r = run("findings", "--markdown")
    assert r.stdout == (ROOT / "docs" / "reference" / "triage.md").read_text(encoding="utf-8")


def test_action_leads_with_the_emergency_and_matches_the_pain_type() -> None:
    """The action a clinician reads: the emergency first; otherwise this pain type's first step."""
    r = run("triage", str(EXAMPLES / "ces_finding_in_a_neck_assessment.json"))
    out = json.loads(r.stdout)
    assert out["action"].startswith("EMERGENCY: Suspected cauda equina syndrome.")
    assert out["pain_type"] == "radiculopathy"
    r = run("triage", str(EXAMPLES / "cervical_radiculopathy.json"))
    action = json.loads(r.stdout)["action"]
    assert action.startswith("No red flags. Cervical radiculopathy:")
    assert "non-specific neck pain" not in action


def test_sex_may_be_left_out() -> None:
    data = {k: v for k, v in GOOD.items() if k != "sex"}
    r = run("triage", "-", stdin=json.dumps(data))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["urgency"] == "routine"
