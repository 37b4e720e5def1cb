"""Run the whole suite: everything on SQLite, then every database test again on PostgreSQL.

Why two runs: the product ships on the embedded SQLite database and on PostgreSQL, and the
behaviours that matter (append-only audit triggers, row locking in the scheduler, constraints)
differ between them. CI sets PAINPATH_TEST_DATABASE_URL and PAINPATH_REQUIRE_POSTGRES so the
PostgreSQL run can never be skipped silently.
"""

from __future__ import annotations

import os
import subprocess
import sys


def _postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5):
            return True
    except Exception as exc:  # any failure means "not reachable"; we report it below
        print(f"PostgreSQL at {url} is not reachable: {exc}", file=sys.stderr)
        return False


def main() -> int:
    extra = sys.argv[1:]
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    print("== painpath suite on SQLite ==", flush=True)
    rc = subprocess.call([sys.executable, "-m", "pytest", *extra], env=env)
    if rc != 0:
        return rc
    url = os.environ.get("PAINPATH_TEST_DATABASE_URL", "")
    if not url:
        if os.environ.get("PAINPATH_REQUIRE_POSTGRES"):
            print("PAINPATH_TEST_DATABASE_URL is required but not set", file=sys.stderr)
            return 1
        print("PAINPATH_TEST_DATABASE_URL not set: PostgreSQL run skipped (CI always sets it)")
        return 0
    if not _postgres_reachable(url):
        return 1
    print("== painpath database tests on PostgreSQL ==", flush=True)
    env["DATABASE_URL"] = url
    return subprocess.call(
        [sys.executable, "-m", "pytest", "-m", "django_db and not browser", *extra], env=env
    )


if __name__ == "__main__":
    raise SystemExit(main())
