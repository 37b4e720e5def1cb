"""`painpath demo-data` through a subprocess on a fresh embedded database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAINPATH_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", "from painpath.cli import main; raise SystemExit(main())", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )


def test_demo_data_creates_patients_and_users(tmp_path: Path) -> None:
    result = _run(tmp_path, "demo-data", "--patients", "3", "--seed", "5")
    assert result.returncode == 0, result.stderr
    assert "created 3 patients" in result.stdout
    db = sqlite3.connect(tmp_path / "var" / "painpath.sqlite3")
    (patients,) = db.execute("SELECT COUNT(*) FROM patients_patient").fetchone()
    users = {r[0] for r in db.execute("SELECT username FROM accounts_user")}
    assert patients == 3
    assert users == {"prescriber", "nurse", "admin", "researcher", "charity", "patient"}


def test_demo_data_bad_count_is_one_line_exit_2(tmp_path: Path) -> None:
    result = _run(tmp_path, "demo-data", "--patients", "-1")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--patients" in result.stderr and "Traceback" not in result.stderr


def test_serve_rejects_bad_port(tmp_path: Path) -> None:
    result = _run(tmp_path, "serve", "--port", "70000", "--no-seed")
    assert result.returncode == 2 and "--port" in result.stderr


def test_api_token_for_demo_user(tmp_path: Path) -> None:
    assert _run(tmp_path, "demo-data", "--patients", "0").returncode == 0
    result = _run(tmp_path, "api-token", "nurse", "--days", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("pp_")
    missing = _run(tmp_path, "api-token", "nobody")
    assert missing.returncode == 2 and "nobody" in missing.stderr
