"""`painpath registry ...` end to end: subprocesses for the command as a user runs it, in-process
where the shared Spark session or the test database is needed."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import stat
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from painpath.cli import main
from painpath.registry.report import TITLES

from .conftest import Clinic

ENV = {k: v for k, v in os.environ.items() if k != "PAINPATH_REGISTRY_KEY"}
PAINPATH = str(Path(sys.executable).parent / "painpath")


def painpath(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PAINPATH, *args], capture_output=True, text=True, env=env or ENV, timeout=300
    )


def one_line_error(r: subprocess.CompletedProcess[str], message: str) -> None:
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr
    assert r.stderr.strip().count("\n") == 0, r.stderr
    assert "Traceback" not in r.stderr


def test_synth_then_report_writes_html_csv_and_plots(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "report"
    r = painpath("registry", "synth", "--patients", "400", "--out", str(data))
    assert r.returncode == 0, r.stderr
    assert "400 patients rows" in r.stdout
    assert r.stderr == ""  # not a terminal: no progress bar
    r = painpath("registry", "report", "--data", str(data), "--out", str(out))
    assert r.returncode == 0, r.stderr
    for name in TITLES:
        assert (out / f"{name}.csv").is_file()
    assert (out / "trajectories.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "completion_funnel.png").read_bytes()[:4] == b"\x89PNG"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Disclosure control applied" in html
    assert "SYNTHETIC DATA" in html
    for name in ("outcomes", "outcomes_by_subgroup", "completion", "adverse_events"):
        table = pd.read_csv(out / f"{name}.csv", dtype=str)
        for column in ("n", "n_paired", "n_events", "n_eligible", "n_completed"):
            if column in table:
                shown = table[column].dropna()
                shown = shown[shown != "[c]"].astype(int)
                assert (shown % 5 == 0).all() and (shown > 7).all(), (name, column)


def test_report_without_disclosure_control_says_so_and_shows_exact_counts(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "report"
    assert painpath("registry", "synth", "--patients", "123", "--out", str(data)).returncode == 0
    r = painpath(
        "registry", "report", "--data", str(data), "--out", str(out), "--no-disclosure-control"
    )
    assert r.returncode == 0, r.stderr
    assert "NO DISCLOSURE CONTROL" in (out / "report.html").read_text(encoding="utf-8")
    first = pd.read_csv(out / "baseline_characteristics.csv").iloc[0]
    assert first["n"] == 123


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["registry", "extract", "--out", "X"], "painpath registry keygen --out FILE"),
        (["registry", "report", "--data", "/nonexistent", "--out", "X"], "is not a folder"),
        (["registry", "report", "--data", "D", "--out", "X"], "has no patients.parquet"),
        (["registry", "synth", "--patients", "0", "--out", "X"], "must be at least 1"),
        (["registry", "synth", "--patients", "ten", "--out", "X"], "must be a whole number"),
        (
            ["registry", "report", "--data", "D", "--out", "X", "--engine", "pandas"],
            "invalid choice",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.replace("X", str(tmp_path / "x")).replace("D", str(tmp_path)) for a in args]
    r = painpath(*args)
    if message == "invalid choice" or "must be" in message:
        # argparse's own errors: usage line plus one error line, exit 2.
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    else:
        one_line_error(r, message)


def test_report_on_a_damaged_extract_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert painpath("registry", "synth", "--patients", "50", "--out", str(data)).returncode == 0
    (data / "adverse_events.parquet").write_bytes(b"PAR1 truncated")
    r = painpath("registry", "report", "--data", str(data), "--out", str(tmp_path / "r"))
    one_line_error(r, "adverse_events.parquet is not a readable Parquet file")
    (tmp_path / "file").write_text("x")
    r = painpath("registry", "report", "--data", str(data), "--out", str(tmp_path / "file"))
    one_line_error(r, "is not a folder")


def test_synth_refuses_a_folder_holding_other_files(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("k" * 64)
    r = painpath("registry", "synth", "--patients", "10", "--out", str(tmp_path))
    one_line_error(r, "holds files that are not part of an extract (key)")


def test_synth_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """tqdm writes to stderr when it is a terminal (and only then: see the test above)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    args = ["registry", "synth", "--patients", "3000", "--chunk-size", "1000"]
    proc = subprocess.Popen(
        [PAINPATH, *args, "--out", str(tmp_path / "d")],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=ENV,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=120) == 0
    os.close(leader)
    text = seen.decode("utf-8", errors="replace")
    assert re.search(r"synth: 100%.*3000/3000", text), text


def test_a_short_key_is_refused(tmp_path: Path) -> None:
    r = painpath(
        "registry",
        "extract",
        "--out",
        str(tmp_path / "o"),
        env={**ENV, "PAINPATH_REGISTRY_KEY": "short"},
    )
    one_line_error(r, "5 bytes; at least 32 needed")


def test_a_key_file_inside_the_extract_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "key").write_text("k" * 40)
    r = painpath("registry", "extract", "--out", str(out), "--key-file", str(out / "key"))
    one_line_error(r, "keep the key outside the extract")
    assert sorted(p.name for p in out.iterdir()) == ["key"]


def test_keygen_makes_a_private_key_and_never_overwrites_one(tmp_path: Path) -> None:
    key = tmp_path / "registry.key"
    r = painpath("registry", "keygen", "--out", str(key))
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"[0-9a-f]{64}\n", key.read_text())
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_text()
    r = painpath("registry", "keygen", "--out", str(key))
    one_line_error(r, "already exists; a key is never overwritten")
    assert key.read_text() == first
    other = tmp_path / "other.key"
    assert painpath("registry", "keygen", "--out", str(other)).returncode == 0
    assert other.read_text() != first


@pytest.mark.django_db
def test_extract_command_with_a_generated_key_file(
    clinic: Clinic, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "registry.key"
    assert main(["registry", "keygen", "--out", str(key)]) == 0
    out = tmp_path / "extract"
    assert main(["registry", "extract", "--out", str(out), "--key-file", str(key)]) == 0
    printed = capsys.readouterr().out
    assert "7 patients" in printed and "0 values outside their coded vocabulary" in printed
    assert pq.read_table(out / "patients.parquet").num_rows == 7
    assert key.read_text().strip() not in "".join(
        p.read_bytes().decode("latin-1") for p in out.iterdir()
    )


def test_spark_engine_without_pyspark_is_one_line_and_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert painpath("registry", "synth", "--patients", "20", "--out", str(data)).returncode == 0
    code = (
        "import sys; sys.modules['pyspark'] = None\n"
        "from painpath.cli import main\n"
        f"raise SystemExit(main(['registry', 'report', '--data', {str(data)!r}, "
        f"'--out', {str(tmp_path / 'r')!r}, '--engine', 'spark']))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120
    )
    one_line_error(r, "--engine spark needs PySpark: pip install 'painpath[spark]'")
    assert not (tmp_path / "r").exists()


@pytest.mark.spark
def test_spark_engine_without_java_is_one_line_and_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert painpath("registry", "synth", "--patients", "20", "--out", str(data)).returncode == 0
    env = {**ENV, "JAVA_HOME": str(tmp_path / "no-java")}
    args = ["registry", "report", "--data", str(data), "--out", str(tmp_path / "r")]
    r = painpath(*args, "--engine", "spark", env=env)
    one_line_error(r, f"--engine spark needs Java 17+: JAVA_HOME={tmp_path / 'no-java'} has no")


@pytest.mark.spark
def test_spark_report_is_identical_to_duckdb(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert painpath("registry", "synth", "--patients", "300", "--out", str(data)).returncode == 0
    r = painpath("registry", "report", "--data", str(data), "--out", str(tmp_path / "duckdb"))
    assert r.returncode == 0, r.stderr
    # In-process, so the test session's Spark session is reused (no second JVM).
    argv = ["registry", "report", "--data", str(data), "--out", str(tmp_path / "spark")]
    assert main([*argv, "--engine", "spark"]) == 0
    assert "report written" in capsys.readouterr().out
    suppressed = 0
    for name in TITLES:
        duck = (tmp_path / "duckdb" / f"{name}.csv").read_text(encoding="utf-8")
        spark_csv = (tmp_path / "spark" / f"{name}.csv").read_text(encoding="utf-8")
        assert duck == spark_csv, name
        suppressed += duck.count("[c]")
    assert suppressed > 0  # the comparison covers suppressed cells too
    html = (tmp_path / "spark" / "report.html").read_text(encoding="utf-8")
    assert "Engine: spark." in html
