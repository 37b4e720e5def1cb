"""`painpath serve`: migrate, seed a demo on an empty database, collect static files, and serve
with the production WSGI server Granian (not Django's runserver) on 127.0.0.1."""

from __future__ import annotations

import argparse
import ipaddress
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from painpath.commands._input import parse_integer, whole_number

DEMO_PATIENTS = 40
MAX_WORKERS = 64
MAX_THREADS = 256


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="migrate, seed demo data if the database is empty, and serve on 127.0.0.1",
        description="Apply migrations, seed demo users and synthetic patients when the database "
        "has no users (unless --no-seed), collect static files, then serve painpath with Granian.",
    )
    p.add_argument(
        "--port", type=whole_number(), default=8000, help="port on 127.0.0.1 (default 8000)"
    )
    p.add_argument("--host", default="127.0.0.1", help="IP address to bind (default 127.0.0.1)")
    p.add_argument("--no-seed", action="store_true", help="never create demo users or patients")
    p.add_argument(
        "--workers",
        type=whole_number(),
        default=None,
        help=f"server worker processes, 1 to {MAX_WORKERS} (default 2, or PAINPATH_WORKERS)",
    )
    p.add_argument(
        "--threads",
        type=whole_number(),
        default=None,
        help=f"blocking threads per worker, 1 to {MAX_THREADS} (default 2, or PAINPATH_THREADS)",
    )
    p.set_defaults(func=handle)


def granian_command(args: argparse.Namespace, static_root: Path) -> list[str]:
    """The Granian command line serving the WSGI app and the collected static files."""
    exe = shutil.which("granian", path=str(Path(sys.executable).parent)) or shutil.which("granian")
    base = [exe] if exe else [sys.executable, "-m", "granian"]
    return [
        *base,
        "--interface",
        "wsgi",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--blocking-threads",
        str(args.threads),
        "--static-path-route",
        "/static",
        "--static-path-mount",
        str(static_root),
        "--no-access-log",
        "painpath.config.wsgi:application",
    ]


def _count(option: str, value: int | None, variable: str, high: int) -> int:
    """``value`` (from ``option``), else the environment ``variable``, else 2; 1 to ``high``."""
    from painpath.cli import CommandError

    where = option
    if value is None:
        raw = os.environ.get(variable, "").strip()
        parsed = parse_integer(raw) if raw else 2
        if parsed is None:
            raise CommandError(f"{variable} must be a whole number from 1 to {high}, got {raw!r}")
        value, where = parsed, f"{variable} ({option})" if raw else option
    if not 1 <= value <= high:
        raise CommandError(f"{where} must be a whole number from 1 to {high}, got {value}")
    return value


def handle(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError

    if not 1 <= args.port <= 65535:
        raise CommandError("--port must be between 1 and 65535")
    args.workers = _count("--workers", args.workers, "PAINPATH_WORKERS", MAX_WORKERS)
    args.threads = _count("--threads", args.threads, "PAINPATH_THREADS", MAX_THREADS)
    args.host = bind_address(args.host)
    from painpath.commands._db import prepare_database

    prepare_database()
    from django.conf import settings
    from django.core.management import call_command

    from painpath.apps.accounts.models import Role, User

    if not args.no_seed and not User.objects.exists():
        from painpath.demo.seed import seed

        print(f"empty database: creating demo users and {DEMO_PATIENTS} synthetic patients ...")
        summary = seed(DEMO_PATIENTS, seed=2026)
        print(
            f"  {summary.patients} patients, {summary.assessments} assessments, "
            f"{summary.responses} questionnaire responses, {summary.alerts} alerts"
        )
        for note in summary.notes:
            print(f"  {note}")
    call_command("collectstatic", interactive=False, verbosity=0)
    order = (Role.PRESCRIBER, Role.NURSE, Role.ADMIN, Role.RESEARCHER, Role.CHARITY, Role.PATIENT)
    demo = [r.value for r in order if User.objects.filter(username=r.value, role=r.value).exists()]
    url = f"http://{args.host}:{args.port}/"
    print(f"painpath serving at {url} (API: {url}api/v1/docs); Ctrl-C to stop")
    if demo:
        from painpath.demo.users import demo_password

        print(f"demo logins (password {demo_password()!r} unless changed):")
        for role in demo:
            print(f"  {role:<11} username {role}")
    sys.stdout.flush()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpath.config.settings")
    static_root = Path(settings.STATIC_ROOT)
    static_root.mkdir(parents=True, exist_ok=True)
    cmd = granian_command(args, static_root)
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover - execv does not return


def bind_address(host: str) -> str:
    """The IP address to bind for ``--host``: Granian binds addresses only (a name ended in its
    traceback), so ``localhost``, which people type, means the loopback address."""
    from painpath.cli import CommandError

    if host.strip().lower() == "localhost":
        return "127.0.0.1"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise CommandError(
            f"--host must be an IP address such as 127.0.0.1 or 0.0.0.0 (or localhost), "
            f"got {host!r}"
        ) from None
    return host
