"""Every way of starting the CLI gives the same one-line error and exit 2 for bad input.

``python -m painpath.cli`` runs the CLI module as ``__main__``; the sub-commands import
``painpath.cli`` again. Both must share one ``CommandError`` class, or the error escapes as a
traceback with exit status 1.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("painpath")
ENTRY_POINTS = {
    "console script": [str(SCRIPT)],
    "python -m painpath": [sys.executable, "-m", "painpath"],
    "python -m painpath.cli": [sys.executable, "-m", "painpath.cli"],
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "phq9", "--answers", "not json"], "--answers is not valid JSON"),
        (["triage", "/nonexistent/triage.json"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(entry: str, args: list[str], message: str) -> None:
    if entry == "console script" and not SCRIPT.exists():
        pytest.fail(f"the console script is not installed at {SCRIPT}")
    r = subprocess.run(
        [*ENTRY_POINTS[entry], *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
