"""Bad input to every `painpath` sub-command that reads any: exit 2, a short message naming the
argument or field and what is allowed, never a traceback, and nothing half-saved.

Most cases call ``painpath.cli.main`` in-process (an exception escaping ``main`` would be the
traceback a user sees, and fails the test); the few that need a process of their own (a missing
database, the installed entry point) run one.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from painpath.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOOD_TRIAGE = {"region": "low_back", "age": 40, "sex": "female", "duration_weeks": 8}
LONG_NUMBER = "9" * 5000  # past Python's 4300-digit limit for reading an integer
DEEP = "[" * 100_000


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: bytes | None = None,
) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit status, stdout, stderr)."""
    capsys.readouterr()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse refusing an option
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def refused(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
    stdin: bytes | None = None,
) -> str:
    """Assert the command refuses: exit 2, nothing on stdout, ``message`` in a short stderr."""
    code, out, err = run(capsys, monkeypatch, *args, stdin=stdin)
    assert code == 2, (code, out, err)
    assert out == ""
    assert "Traceback" not in err
    assert message in err, err
    assert len(err.strip().splitlines()) <= 4, err  # argparse adds its usage lines
    assert len(err) < 2000, err  # the longest lists every triage finding code
    return err


def one_line(err: str, command: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"painpath {command}: "), err


# --- score ------------------------------------------------------------------------------------

PHQ9_REST = ",0,0,0,0,0,0,0,0"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("[0,", "--answers is not valid JSON"),
        ("", "--answers is not valid JSON"),
        ("{'a': 1}", "--answers is not valid JSON"),
        ('{"a": 1}', "--answers must be a JSON list"),
        ('"[0]"', "--answers must be a JSON list"),
        ("null", "--answers must be a JSON list"),
        ("7", "--answers must be a JSON list"),
        ("[]", "phq9: expected 9 answers (one per item, in order), got 0"),
        ("[0,0,0,0,0,0,0,0,0,0]", "phq9: expected 9 answers"),
        (f"[-1{PHQ9_REST}]", "phq9 item 1 (phq9_1): -1 is not allowed; allowed: an integer 0-3"),
        (f"[4{PHQ9_REST}]", "phq9 item 1 (phq9_1): 4 is not allowed; allowed: an integer 0-3"),
        (f"[1.0{PHQ9_REST}]", "phq9 item 1 (phq9_1): 1.0 is not allowed"),
        (f'["1"{PHQ9_REST}]', "phq9 item 1 (phq9_1): '1' is not allowed"),
        (f"[true{PHQ9_REST}]", "phq9 item 1 (phq9_1): True is not allowed"),
        (f"[{{}}{PHQ9_REST}]", "phq9 item 1 (phq9_1): {} is not allowed"),
        (f"[1e400{PHQ9_REST}]", "phq9 item 1 (phq9_1): inf is not allowed"),
        (f"[NaN{PHQ9_REST}]", "phq9 item 1 (phq9_1): nan is not allowed"),
        (f"[{'9' * 40}{PHQ9_REST}]", "allowed: an integer 0-3"),
        ("[null,null,null,null,null,null,null,null,null]", "phq9 item 1 (phq9_1) is unanswered"),
        # Regressions: these escaped as tracebacks (ValueError, RecursionError).
        (f"[{LONG_NUMBER}{PHQ9_REST}]", "--answers holds a number too long to read"),
        (DEEP, "--answers is nested too deeply"),
    ],
)
def test_score_bad_answers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, answers: str, message: str
) -> None:
    err = refused(capsys, monkeypatch, ("score", "phq9", "--answers", answers), message)
    one_line(err, "score")
    assert any(hint in err for hint in ("e.g. '[0, 1, null]'", "allowed:", "expected 9", "(an")), (
        err
    )


@pytest.mark.parametrize("code", ["nope", "", "PHQ9", "phq9 "])
def test_score_unknown_instrument_lists_the_known(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    err = refused(capsys, monkeypatch, ("score", code, "--answers", "[]"), "unknown instrument")
    assert "known: bpi, dn4," in err and "phq9" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "phq9"), "the following arguments are required: --answers"),
        (("score",), "the following arguments are required: code, --answers"),
        (("nonsense",), "invalid choice: 'nonsense'"),
    ],
)
def test_missing_arguments(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    refused(capsys, monkeypatch, args, message)


# --- change -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("nrs", "8", "eleven"),
            "follow_up: expected a number, got 'eleven'; nrs scores run from 0",
        ),
        (("nrs", "", "4"), "baseline: expected a number, got ''; nrs scores run from 0 to 10"),
        (("nrs", "8", "nan"), "follow_up: expected a finite number, got 'nan'; nrs scores run"),
        (("nrs", "8", "--", "-inf"), "follow_up: expected a finite number"),
        (("nrs", "8", "1e400"), "follow_up: expected a number"),
        (("nrs", "8", LONG_NUMBER), "expected a number, got '9999999999"),
        (("nrs", "8", "0x4"), "follow_up: expected a number"),
        (("nrs", "true", "4"), "baseline: expected a number"),
        (("nrs", "8", "11"), "follow_up: 11 is outside the nrs range 0 to 10"),
        (("nrs", "-1", "4"), "baseline: -1 is outside the nrs range 0 to 10"),
        (("eq5d5l", "0.5", "-0.7"), "follow_up: -0.7 is outside the eq5d5l range -0.594 to 1.0"),
        (("nope", "8", "4"), "unknown instrument 'nope'; known: bpi"),
        (("bpi", "5", "4", "--measure", ""), "allowed: value, interference"),
        (("bpi", "5", "4", "--measure", "mood"), "allowed: value, interference"),
        # Regressions: '1_0' was read as 10 and an Arabic-Indic four as 4.
        (
            ("nrs", "8", "1_0"),
            "follow_up: expected a number, got '1_0'; nrs scores run from 0 to 10",
        ),
        (("nrs", "8", "\u0664"), "follow_up: expected a number"),
        (("nrs", "8", "\uff14"), "follow_up: expected a number"),
    ],
)
def test_change_bad_numbers(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    one_line(refused(capsys, monkeypatch, ("change", *args), message), "change")


def test_change_measure_lists_each_allowed_measure_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the message read 'allowed: value, value'."""
    err = refused(
        capsys, monkeypatch, ("change", "nrs", "5", "4", "--measure", "interference"), "measure:"
    )
    assert err.strip().endswith("allowed: value"), err


def test_change_takes_plain_numbers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stricter parser still reads what a clinician types."""
    for baseline, follow_up in (("8", " 4 "), ("8.0", "4.5"), ("+8", "4e0"), (".5", "1")):
        code, out, err = run(capsys, monkeypatch, "change", "nrs", baseline, follow_up)
        assert code == 0, err
        assert json.loads(out)["instrument"] == "nrs"


# --- triage -----------------------------------------------------------------------------------


def _triage(**changes: object) -> bytes:
    data: dict[str, object] = {**GOOD_TRIAGE, "findings": []}
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"", "standard input: not valid JSON"),
        (b"{", "standard input: not valid JSON (Expecting property name"),
        (b"[1, 2]", "standard input: expected a JSON object with the triage fields"),
        (b'"text"', "expected a JSON object"),
        (b"null", "expected a JSON object"),
        (_triage(age="40"), "age: must be a whole number from 16 to 120, got '40'"),
        (_triage(age=40.0), "age: must be a whole number from 16 to 120, got 40.0"),
        (_triage(age=True), "age: must be a whole number"),
        (_triage(age=None), "age: must be a whole number"),
        (_triage(age=10**30), "age: must be a whole number from 16 to 120"),
        (b'{"region": "low_back", "age": 1e400, "duration_weeks": 8, "findings": []}', "age:"),
        (b'{"region": "low_back", "age": NaN, "duration_weeks": 8, "findings": []}', "age:"),
        (_triage(duration_weeks=-2), "duration_weeks: must be a whole number from 0 to"),
        (_triage(duration_weeks=1e308), "duration_weeks: must be a whole number"),
        (_triage(region="elbow"), "region: must be one of low_back, neck, thoracic"),
        (_triage(region=None), "region: must be one of low_back, neck, thoracic"),
        (_triage(region=["neck"]), "region: must be one of"),
        (_triage(sex=True), "sex: must be one of female, male, other"),
        (_triage(findings="fever"), "findings: must be a list of finding codes or objects"),
        (_triage(findings={}), "findings: must be a list"),
        (_triage(findings=[1]), "findings[0]: must be a finding code or an object"),
        (_triage(findings=[None]), "findings[0]: must be"),
        (_triage(findings=["saddle_numbness"]), "findings[0]: unknown finding code"),
        (_triage(findings=[{}]), "findings[0].code: is required"),
        (_triage(findings=[{"code": None}]), "findings[0].code: must be a finding code"),
        (_triage(findings=[{"code": "fever", "days": -1}]), "findings[0].days: must be"),
        (_triage(findings=[{"code": "fever", "days": 2.5}]), "findings[0].days: must be"),
        (
            _triage(findings=[{"code": "fever", "since": "2026-13-01"}]),
            "findings[0]: unknown key(s) since; allowed: code, days, course",
        ),
        (
            _triage(findings=[{"code": "fever", "course": "bad"}]),
            "findings[0].course: must be one of new, stable, improving, deteriorating",
        ),
        (_triage(startback="x"), "startback: answers must be a list of response codes"),
        (_triage(startback=[]), "startback: expected 9 answers"),
        (_triage(startback=[0] * 8 + [5]), "startback[8]: startback item 9 (startback_9): 5"),
        (_triage(today="2026-12-01"), "today: is not a triage field; allowed: age,"),
        (_triage(colour=1), "colour: is not a triage field"),
        (b"\xff\xfe\x00garbage", "standard input: is not UTF-8 text"),
        # Regression: a 5,000-digit number escaped as a ValueError traceback.
        (
            b'{"region": "low_back", "age": ' + LONG_NUMBER.encode() + b"}",
            "standard input: JSON holds a number too long to read",
        ),
        (DEEP.encode(), "standard input: JSON nested too deeply"),
    ],
)
def test_triage_bad_stdin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: bytes,
    message: str,
) -> None:
    one_line(refused(capsys, monkeypatch, ("triage", "-"), message, stdin=stdin), "triage")


def test_triage_bad_files(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    binary = tmp_path / "latin1.json"
    binary.write_bytes('{"region": "n\xe9ck"}'.encode("latin-1"))
    big = tmp_path / "big.json"
    big.write_text('{"age": ' + LONG_NUMBER + "}")
    empty = tmp_path / "empty.json"
    empty.write_text("")
    cases = {
        str(tmp_path / "missing.json"): "missing.json: no such file",
        str(tmp_path): "is a directory, expected a JSON file",
        str(binary): "latin1.json: is not UTF-8 text",
        str(big): "big.json: JSON holds a number too long to read",
        str(empty): "empty.json: not valid JSON (Expecting value at line 1 column 1)",
        str(empty / "x.json"): "x.json: cannot read (Not a directory)",
    }
    for path, message in cases.items():
        one_line(refused(capsys, monkeypatch, ("triage", path), message), "triage")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_triage_unreadable_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "locked.json"
    path.write_bytes(_triage())
    path.chmod(0)
    refused(capsys, monkeypatch, ("triage", str(path)), "locked.json: cannot read (Permission")


# --- wording ----------------------------------------------------------------------------------


def _questionnaire(items: object) -> str:
    return json.dumps({"resourceType": "Questionnaire", "status": "active", "item": items})


NRS_ITEM = {
    "linkId": "nrs_1",
    "type": "choice",
    "text": "Pain?",
    "answerOption": [{"valueCoding": {"code": str(v), "display": f"A{v}"}} for v in range(11)],
}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"[1, 2]", "wording file: expected a FHIR Questionnaire resource"),
        (b'{"status": "active"}', "wording file: expected a FHIR Questionnaire resource"),
        (_questionnaire("x").encode(), "not a valid FHIR Questionnaire (item: Input should be"),
        (
            _questionnaire([{"linkId": 5, "type": "choice"}]).encode(),
            "not a valid FHIR Questionnaire (item.0.linkId: Input should be a valid string)",
        ),
        (_questionnaire([]).encode(), "questionnaire has no item for nrs linkId(s): nrs_1"),
        (
            _questionnaire([{**NRS_ITEM, "linkId": "pain"}]).encode(),
            "questionnaire linkId 'pain' is not a nrs item; item codes: nrs_1",
        ),
        (_questionnaire([NRS_ITEM, NRS_ITEM]).encode(), "linkId 'nrs_1' appears twice"),
        (
            _questionnaire(
                [{**NRS_ITEM, "answerOption": [{"valueCoding": {"code": "99", "display": "x"}}]}]
            ).encode(),
            "questionnaire item nrs_1: answer codes [99] do not match",
        ),
        # Regressions: these three escaped as tracebacks.
        (b"\xff\xfe\x00\x81", "is not UTF-8 text"),
        (DEEP.encode(), "JSON nested too deeply"),
        (
            b'{"resourceType": "Questionnaire", "x": ' + LONG_NUMBER.encode() + b"}",
            "JSON holds a number too long to read",
        ),
    ],
)
def test_wording_bad_files(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / "q.json"
    path.write_bytes(content)
    one_line(refused(capsys, monkeypatch, ("wording", "nrs", str(path)), message), "wording")


def test_wording_missing_file_directory_and_unknown_instrument(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    good.write_text(_questionnaire([NRS_ITEM]))
    code, out, err = run(capsys, monkeypatch, "wording", "nrs", str(good))
    assert code == 0 and json.loads(out)["items"][0]["label"] == "Pain?", err
    refused(capsys, monkeypatch, ("wording", "nrs", str(tmp_path / "no.json")), "no such file")
    refused(capsys, monkeypatch, ("wording", "nrs", str(tmp_path)), "is a directory")
    refused(capsys, monkeypatch, ("wording", "nope", str(good)), "unknown instrument 'nope'")
    refused(capsys, monkeypatch, ("wording", "nrs"), "required: file")


# --- demo-data, api-token, run-scheduler, serve (refused before the database is touched) ------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("demo-data", "--patients", "-1"), "--patients must be a whole number from 0 to 100000"),
        (("demo-data", "--patients", "100001"), "--patients must be a whole number from 0 to"),
        (("demo-data", "--patients", "9" * 40), "--patients: must be a whole number of at most 30"),
        (("demo-data", "--patients", "abc"), "--patients: must be a whole number, got 'abc'"),
        (("demo-data", "--patients", "1.5"), "--patients: must be a whole number, got '1.5'"),
        (("demo-data", "--patients", ""), "--patients: must be a whole number, got ''"),
        (("demo-data", "--patients", "\u0663"), "--patients: must be a whole number"),
        (("demo-data", "--seed", "x"), "--seed: must be a whole number, got 'x'"),
        (("demo-data", "--patients"), "--patients: expected one argument"),
        (("api-token",), "required: username"),
        (("api-token", "nurse", "--days", "-1"), "--days must be 0 (never expires) or a whole"),
        (("api-token", "nurse", "--days", "abc"), "--days: must be a whole number, got 'abc'"),
        # Regression: a --days past the calendar was an OverflowError traceback.
        (("api-token", "nurse", "--days", "99999999999"), "up to 3650, got 99999999999"),
        # Regression: a name longer than the 100-character column was stored on SQLite (and
        # would fail as a DataError on PostgreSQL).
        (("api-token", "nurse", "--name", "x" * 101), "--name must be 1 to 100 printable"),
        (("api-token", "nurse", "--name", "  "), "--name must be 1 to 100"),
        (("api-token", "nurse", "--name", "a\x1bb"), "got a control character"),
        (("run-scheduler", "--once", "--interval", "0"), "--interval, --batch and --lease must"),
        (("run-scheduler", "--once", "--batch", "0"), "must be positive"),
        (("run-scheduler", "--once", "--lease", "-1"), "must be positive"),
        (("run-scheduler", "--once", "--interval", "abc"), "--interval: invalid float value"),
        (("run-scheduler", "--once", "--batch", "1.5"), "--batch: must be a whole number"),
        # Regressions: nan and inf were taken, and a huge --batch was an IntegrityError.
        (("run-scheduler", "--once", "--interval", "nan"), "--interval must be a number of"),
        (("run-scheduler", "--once", "--lease", "inf"), "--lease must be a number of seconds"),
        (("run-scheduler", "--once", "--lease", "1e400"), "at most 86400, got inf"),
        (("run-scheduler", "--once", "--batch", "9" * 20), "--batch must be a whole number from 1"),
        (("serve", "--port", "70000"), "--port must be between 1 and 65535"),
        (("serve", "--port", "0"), "--port must be between 1 and 65535"),
        (("serve", "--port", "http"), "--port: must be a whole number, got 'http'"),
        (("serve", "--workers", "0"), "--workers must be a whole number from 1 to 64, got 0"),
        (("serve", "--threads", "-3"), "--threads must be a whole number from 1 to 256"),
        # Regressions: these reached Granian and ended in its traceback.
        (("serve", "--workers", "9" * 20), "--workers must be a whole number from 1 to 64"),
        (("serve", "--host", ""), "--host must be an IP address such as 127.0.0.1"),
        (("serve", "--host", "example.org"), "--host must be an IP address"),
        (("serve", "--host", "300.1.1.1"), "--host must be an IP address"),
    ],
)
def test_options_refused_before_any_work(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    refused(capsys, monkeypatch, args, message)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PAINPATH_WORKERS", "abc", "PAINPATH_WORKERS must be a whole number from 1 to 64"),
        ("PAINPATH_WORKERS", "0", "PAINPATH_WORKERS (--workers) must be a whole number"),
        ("PAINPATH_THREADS", "1000", "PAINPATH_THREADS (--threads) must be a whole number"),
    ],
)
def test_serve_bad_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    message: str,
) -> None:
    monkeypatch.setenv(variable, value)
    one_line(refused(capsys, monkeypatch, ("serve", "--no-seed"), message), "serve")


def test_bad_worker_environment_leaves_other_commands_alone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: PAINPATH_WORKERS=abc was read while building the parser: every command
    (even `painpath score`) died with a ValueError traceback."""
    monkeypatch.setenv("PAINPATH_WORKERS", "abc")
    monkeypatch.setenv("PAINPATH_THREADS", "")
    code, out, err = run(capsys, monkeypatch, "score", "nrs", "--answers", "[3]")
    assert code == 0 and json.loads(out)["value"] == 3, err


@pytest.mark.django_db
def test_api_token_unknown_user(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from painpath.apps.accounts.models import ApiToken

    for username in ("nobody", ""):
        err = refused(capsys, monkeypatch, ("api-token", username), "no active user")
        one_line(err, "api-token")
    assert not ApiToken.objects.exists()


# --- registry ---------------------------------------------------------------------------------


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PAINPATH_REGISTRY_KEY", raising=False)
    path = tmp_path / "keys" / "registry.key"
    path.parent.mkdir()
    assert main(["registry", "keygen", "--out", str(path)]) == 0
    return path


def test_registry_keygen_refusals(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, key_file: Path
) -> None:
    tmp = key_file.parent
    refused(capsys, monkeypatch, ("registry",), "required: ACTION")
    refused(capsys, monkeypatch, ("registry", "keygen"), "required: --out")
    refused(capsys, monkeypatch, ("registry", "keygen", "--out", str(key_file)), "already exists")
    refused(capsys, monkeypatch, ("registry", "keygen", "--out", str(tmp)), "already exists")
    refused(
        capsys,
        monkeypatch,
        ("registry", "keygen", "--out", str(tmp / "no" / "such" / "key")),
        "does not exist",
    )


def test_registry_extract_key_refusals(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    key_file: Path,
    tmp_path: Path,
) -> None:
    out = str(tmp_path / "extract")
    short = tmp_path / "short.key"
    short.write_bytes(b"\xff\xfe short")
    cases = {
        (): "no pseudonymisation key: pass --key-file FILE or set PAINPATH_REGISTRY_KEY",
        ("--key-file", str(tmp_path / "none.key")): "cannot be read: No such file",
        ("--key-file", str(tmp_path)): "cannot be read: Is a directory",
        ("--key-file", str(short)): "is 8 bytes; at least 32 needed",
    }
    for extra, message in cases.items():
        refused(capsys, monkeypatch, ("registry", "extract", "--out", out, *extra), message)
    inside = ("registry", "extract", "--out", str(key_file.parent), "--key-file", str(key_file))
    refused(capsys, monkeypatch, inside, "keep the key outside the extract")
    assert not (tmp_path / "extract").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--patients", "0"), "--patients: must be at least 1, got 0"),
        (("--patients", "abc"), "--patients: must be a whole number, got 'abc'"),
        (("--patients", "\u0665"), "--patients: must be a whole number"),
        # Regressions: a negative seed and a huge count were numpy tracebacks, after files
        # had been started in --out.
        (("--patients", "9" * 20), "--patients: must be a whole number from 1 to 100000000"),
        (("--patients", "5", "--seed", "-1"), "--seed: must be a whole number of 0 or more"),
        (("--patients", "5", "--seed", "x"), "--seed: must be a whole number of 0 or more"),
        (("--patients", "5", "--chunk-size", "0"), "--chunk-size: must be at least 1"),
    ],
)
def test_registry_synth_refusals(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: tuple[str, ...],
    message: str,
) -> None:
    out = tmp_path / "synth"
    refused(capsys, monkeypatch, ("registry", "synth", "--out", str(out), *args), message)
    assert not out.exists()


def test_registry_synth_out_is_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "file"
    out.write_text("x")
    args = ("registry", "synth", "--patients", "5", "--out", str(out))
    refused(capsys, monkeypatch, args, "is not a folder")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic registry and a disclosure-controlled report made from it."""
    base = tmp_path_factory.mktemp("registry")
    assert main(["registry", "synth", "--patients", "30", "--out", str(base / "data")]) == 0
    assert (
        main(["registry", "report", "--data", str(base / "data"), "--out", str(base / "rep")]) == 0
    )
    return base


def test_registry_report_refusals(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    synthetic: Path,
    settings: object,
) -> None:
    reports = tmp_path / "published"
    settings.PAINPATH_REGISTRY_REPORTS_DIR = reports  # type: ignore[attr-defined]
    empty = tmp_path / "empty"
    empty.mkdir()
    junk = tmp_path / "junk"
    junk.mkdir()
    for name in ("patients", "outcomes", "adverse_events"):
        (junk / f"{name}.parquet").write_text("not parquet")
    data, out = str(synthetic / "data"), str(tmp_path / "out")
    cases = [
        (("--data", str(tmp_path / "none"), "--out", out), "--data", "is not a folder"),
        (("--data", str(empty), "--out", out), "--data", "has no patients.parquet"),
        (("--data", str(junk), "--out", out), "--data", "is not a readable Parquet file"),
        (("--data", data, "--out", out, "--engine", "pandas"), "--engine", "choose from"),
        (("--data", data, "--out", out, "--threads", "0"), "--threads", "must be at least 1"),
        # Regression: a huge --threads aborted the process (std::bad_alloc, status 134).
        (("--data", data, "--out", out, "--threads", "9" * 14), "--threads", "from 1 to 256"),
        (("--data", data, "--out", str(reports / "x")), "--out", "inside the reports folder"),
        (("--data", data), "--out", "required"),
    ]
    for args, option, message in cases:
        err = refused(capsys, monkeypatch, ("registry", "report", *args), message)
        assert option in err
    assert not (tmp_path / "out").exists() and not reports.exists()


@pytest.mark.django_db
def test_registry_publish_refusals(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    synthetic: Path,
) -> None:
    report = str(synthetic / "rep")
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (("--report", str(tmp_path / "none")), "--report", "is not a folder"),
        (("--report", str(empty)), "empty", "has no manifest.json"),
        (("--report", report, "--name", "Bad Name"), "--name 'Bad Name' is not allowed", "1-64"),
        (("--report", report, "--name", "../x"), "--name '../x' is not allowed", "lower-case"),
        (("--report", report, "--name", ""), "--name '' is not allowed", "digits"),
        ((), "--report", "required"),
    ]
    for args, subject, allowed in cases:
        err = refused(capsys, monkeypatch, ("registry", "publish", *args), subject)
        assert allowed in err


def _subprocess(
    tmp_path: Path, *args: str, var: Path, reports: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PAINPATH_VAR_DIR": str(var),
        "PAINPATH_REGISTRY_REPORTS_DIR": str(reports),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "painpath", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("database", ["no folder", "not migrated"])
def test_registry_without_a_usable_database(
    tmp_path: Path, synthetic: Path, key_file: Path, database: str
) -> None:
    """Regression: extract and publish died with an OperationalError traceback, and publish had
    already copied the report where researchers read it, with no audit event."""
    var = tmp_path / "var"
    if database == "not migrated":
        var.mkdir()
    reports = tmp_path / "published"
    r = _subprocess(
        tmp_path,
        "registry",
        "publish",
        "--report",
        str(synthetic / "rep"),
        "--name",
        "cohort",
        var=var,
        reports=reports,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("painpath registry: cannot publish: the audit trail cannot be ")
    assert "check DATABASE_URL" in r.stderr and "nothing was published" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (reports / "cohort").exists()
    assert not reports.exists() or not any(p.name == "cohort" for p in reports.iterdir())

    out = tmp_path / "extract"
    r = _subprocess(
        tmp_path,
        "registry",
        "extract",
        "--out",
        str(out),
        "--key-file",
        str(key_file),
        var=var,
        reports=reports,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("painpath registry: cannot read the database (sqlite3: ")
    assert not out.exists() or not any(out.iterdir())


def test_installed_command_refuses_without_traceback(tmp_path: Path) -> None:
    """One run through the real console script: the in-process cases above stand for it."""
    script = Path(sys.executable).with_name("painpath")
    if not script.exists():
        pytest.fail(f"the console script is not installed at {script}")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"age": ' + LONG_NUMBER.encode() + b"}")
    r = subprocess.run(
        [str(script), "triage", str(bad)], capture_output=True, text=True, timeout=60, check=False
    )
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == f"painpath triage: {bad}: JSON holds a number too long to read"


@pytest.mark.parametrize(
    ("given", "bound"),
    [
        ("localhost", "127.0.0.1"),
        ("LOCALHOST", "127.0.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("::1", "::1"),
    ],
)
def test_serve_binds_localhost_as_the_loopback_address(given: str, bound: str) -> None:
    from painpath.commands.serve import bind_address

    assert bind_address(given) == bound
