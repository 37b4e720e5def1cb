"""Valid input to `painpath score`, `change` and `triage` is still accepted after the input
hardening (ASCII digits only, digit and nesting limits): range edges, decimals where a score can
be one, negative EQ-5D indices, surrounding spaces, a triage file with Windows line endings, and
standard input.

In-process (``painpath.cli.main``), like tests/cli/test_cli_bad_input.py.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from painpath.cli import main
from painpath.clinical.instruments.registry import all_instruments
from painpath.clinical.triage.input import MAX_AGE, MIN_AGE

INSTRUMENTS = list(all_instruments())


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: bytes | None = None,
) -> dict[str, object]:
    """Run the CLI in-process; assert it succeeded; return the JSON it printed."""
    capsys.readouterr()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, (args, code, err)
    assert err == ""
    result = json.loads(out)
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("end", ["lowest", "highest"])
@pytest.mark.parametrize("inst", INSTRUMENTS, ids=lambda i: i.code)
def test_score_takes_every_item_at_its_lowest_and_highest_answer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, inst: object, end: str
) -> None:
    items = inst.items  # type: ignore[attr-defined]
    answers = [it.values[0] if end == "lowest" else it.values[-1] for it in items]
    result = run(capsys, monkeypatch, "score", inst.code, "--answers", json.dumps(answers))  # type: ignore[attr-defined]
    assert result["instrument"] == inst.code  # type: ignore[attr-defined]
    assert result["complete"] is True


@pytest.mark.parametrize("inst", INSTRUMENTS, ids=lambda i: i.code)
def test_change_takes_the_instruments_minimum_and_maximum(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, inst: object
) -> None:
    low, high = inst.min_value, inst.max_value  # type: ignore[attr-defined]
    result = run(capsys, monkeypatch, "change", inst.code, str(high), str(low))  # type: ignore[attr-defined]
    assert (result["baseline"], result["follow_up"]) == (high, low)


@pytest.mark.parametrize(
    ("code", "baseline", "follow_up", "expected"),
    [
        ("odi", "37.5", "2.5", (37.5, 2.5)),  # ODI is a percentage: halves are common
        ("eq5d5l", "-0.285", "0.5", (-0.285, 0.5)),  # the UK index goes below 0
        ("eq5d5l", "-.2", ".75", (-0.2, 0.75)),
        ("bpi", "7.25", "3", (7.25, 3)),  # BPI severity and interference are means
        ("nrs", " 7 ", "+2", (7, 2)),  # spaces around, an explicit sign
        ("ndi", "50.0", "1e1", (50.0, 10.0)),
    ],
)
def test_change_takes_decimals_and_negative_indices(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    baseline: str,
    follow_up: str,
    expected: tuple[float, float],
) -> None:
    result = run(capsys, monkeypatch, "change", code, baseline, follow_up)
    assert (result["baseline"], result["follow_up"]) == expected


def _triage(age: int, duration_weeks: int, days: int) -> dict[str, object]:
    return {
        "region": "low_back",
        "age": age,
        "sex": "female",
        "duration_weeks": duration_weeks,
        "findings": [{"code": "night_pain", "days": days, "course": "stable"}],
    }


@pytest.mark.parametrize(("age", "weeks", "days"), [(MIN_AGE, 0, 0), (MAX_AGE, 5200, 365)])
def test_triage_takes_range_edges_from_a_file_with_windows_line_endings(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    age: int,
    weeks: int,
    days: int,
) -> None:
    path = tmp_path / "triage.json"
    path.write_bytes(json.dumps(_triage(age, weeks, days), indent=2).replace("\n", "\r\n").encode())
    result = run(capsys, monkeypatch, "triage", str(path))
    assert "urgency" in result


def test_triage_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The triage input has no free-text field (every key and finding code is from a fixed
    vocabulary), so there is no unicode to accept; standard input is read as UTF-8."""
    text = json.dumps(_triage(40, 8, 3))
    result = run(capsys, monkeypatch, "triage", "-", stdin=text.encode("utf-8"))
    assert "urgency" in result
