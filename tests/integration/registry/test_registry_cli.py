"""`painpath registry ...` end to end: subprocesses for synth/report, in-process for extract."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from painpath.cli import main

from .conftest import Clinic

ENV = {k: v for k, v in os.environ.items() if k != "PAINPATH_REGISTRY_KEY"}


def painpath(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "painpath"), *args],
        capture_output=True,
        text=True,
        env=env or ENV,
        timeout=300,
    )


def test_synth_then_report_writes_html_csv_and_plots(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "report"
    r = painpath("registry", "synth", "--patients", "400", "--out", str(data))
    assert r.returncode == 0, r.stderr
    assert "400 patients rows" in r.stdout
    r = painpath("registry", "report", "--data", str(data), "--out", str(out))
    assert r.returncode == 0, r.stderr
    for name in (
        "baseline_characteristics",
        "baseline_scores",
        "outcomes",
        "outcomes_by_subgroup",
        "adverse_events",
        "completion",
    ):
        assert (out / f"{name}.csv").is_file()
    assert (out / "trajectories.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "completion_funnel.png").read_bytes()[:4] == b"\x89PNG"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Disclosure control applied" in html
    assert "SYNTHETIC DATA" in html
    counts = pd.read_csv(out / "outcomes.csv")["n"].dropna()
    assert (counts % 5 == 0).all() and (counts > 7).all()


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
        (["registry", "extract", "--out", "X"], "no pseudonymisation key"),
        (["registry", "report", "--data", "/nonexistent", "--out", "X"], "is not a folder"),
        (["registry", "synth", "--patients", "0", "--out", "X"], "must be at least 1"),
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
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_report_on_a_folder_without_an_extract_is_refused(tmp_path: Path) -> None:
    r = painpath("registry", "report", "--data", str(tmp_path), "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert "has no patients.parquet" in r.stderr


def test_a_short_key_is_refused(tmp_path: Path) -> None:
    r = painpath(
        "registry",
        "extract",
        "--out",
        str(tmp_path / "o"),
        env={**ENV, "PAINPATH_REGISTRY_KEY": "short"},
    )
    assert r.returncode == 2
    assert "5 bytes; at least 32 needed" in r.stderr


def test_a_key_file_inside_the_extract_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "key").write_text("k" * 40)
    r = painpath("registry", "extract", "--out", str(out), "--key-file", str(out / "key"))
    assert r.returncode == 2
    assert "keep the key outside the extract" in r.stderr


@pytest.mark.django_db
def test_extract_command_with_a_key_file(
    clinic: Clinic, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "registry.key"
    key.write_text("0123456789abcdef" * 4)
    out = tmp_path / "extract"
    assert main(["registry", "extract", "--out", str(out), "--key-file", str(key)]) == 0
    assert "7 patients" in capsys.readouterr().out
    assert pq.read_table(out / "patients.parquet").num_rows == 7


@pytest.mark.spark
def test_spark_report_is_identical_to_duckdb(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    data = tmp_path / "data"
    assert painpath("registry", "synth", "--patients", "300", "--out", str(data)).returncode == 0
    for engine in ("duckdb", "spark"):
        r = painpath(
            "registry",
            "report",
            "--data",
            str(data),
            "--out",
            str(tmp_path / engine),
            "--engine",
            engine,
        )
        assert r.returncode == 0, r.stderr
    for name in (
        "baseline_characteristics",
        "baseline_scores",
        "outcomes",
        "outcomes_by_subgroup",
        "adverse_events",
        "completion",
    ):
        duck = (tmp_path / "duckdb" / f"{name}.csv").read_text(encoding="utf-8")
        spark = (tmp_path / "spark" / f"{name}.csv").read_text(encoding="utf-8")
        assert duck == spark, name
