"""`painpath registry keygen|extract|synth|report|publish`: the research registry (issue 7)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

DESCRIPTION = """\
The research registry, step by step:

  1. painpath registry keygen --out KEYFILE          once; keep the key outside every extract
  2. painpath registry extract --out EXTRACT --key-file KEYFILE
                                                     consented patients, pseudonymised (Parquet)
     (or: painpath registry synth --patients N --out EXTRACT, for invented data)
  3. painpath registry report --data EXTRACT --out REPORT
                                                     tables, plots, HTML, with disclosure control
  4. painpath registry publish --report REPORT [--name NAME]
                                                     researchers see it at /research/reports/NAME/

Only a disclosure-controlled report can be published; publishing copies it into the reports
folder (PAINPATH_REGISTRY_REPORTS_DIR, default var/registry/reports) and never replaces a
report published under the same name. To withdraw a report, delete its folder there.
"""


MAX_PATIENTS = 100_000_000
MAX_THREADS = 256


def _positive_int(text: str, high: int | None = None) -> int:
    from painpath.commands._input import parse_integer, shown

    value = parse_integer(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {shown(text)}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    if high is not None and value > high:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {high}, got {value}")
    return value


def _count(text: str) -> int:
    return _positive_int(text, MAX_PATIENTS)


def _threads(text: str) -> int:
    return _positive_int(text, MAX_THREADS)


def _seed(text: str) -> int:
    from painpath.commands._input import parse_integer, shown

    value = parse_integer(text)
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number of 0 or more, got {shown(text)}")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "registry",
        help="research registry: keygen, extract, synth, report, publish",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rsub = parser.add_subparsers(dest="registry_command", metavar="ACTION", required=True)

    p = rsub.add_parser("keygen", help="create a pseudonymisation key file (mode 0600)")
    p.add_argument("--out", required=True, type=Path, help="key file to create; never overwritten")
    p.set_defaults(func=_keygen)

    p = rsub.add_parser("extract", help="pseudonymised extract of consented patients (Parquet)")
    p.add_argument("--out", required=True, type=Path, help="folder to write the extract to")
    p.add_argument(
        "--key-file",
        type=Path,
        default=None,
        help="file holding the pseudonymisation key (else PAINPATH_REGISTRY_KEY); keep it "
        "outside the extract",
    )
    p.set_defaults(func=_extract)

    p = rsub.add_parser("synth", help="synthetic registry with the extract's schema")
    p.add_argument(
        "--patients", required=True, type=_count, help=f"how many, 1 to {MAX_PATIENTS:_}"
    )
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--seed", type=_seed, default=20261125, help="a whole number of 0 or more")
    p.add_argument("--chunk-size", type=_count, default=100_000)
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_synth)

    p = rsub.add_parser("report", help="cohort outcome report (HTML, CSV, plots, manifest)")
    p.add_argument("--data", required=True, type=Path, help="extract or synthetic registry")
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        help="folder to write the report to (not inside the reports folder: use publish)",
    )
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    p.add_argument("--threads", type=_threads, default=None, help=f"1 to {MAX_THREADS}")
    p.add_argument(
        "--no-disclosure-control",
        action="store_true",
        help="show exact small counts (the clinic's own use only; never publish)",
    )
    p.set_defaults(func=_report)

    p = rsub.add_parser(
        "publish",
        help="publish a disclosure-controlled report to researchers (the web area)",
        description="Check a report made by `painpath registry report` (disclosure control "
        "applied, every file as its manifest lists it, every count one that disclosure control "
        "publishes) and copy it into the reports folder, where researchers can read it at "
        "/research/reports/NAME/. A published report is never replaced.",
    )
    p.add_argument("--report", required=True, type=Path, help="report folder to publish")
    p.add_argument(
        "--name",
        default=None,
        help="name researchers see and the address uses: lower-case letters, digits, '-' and "
        "'_' (default: the report folder's name)",
    )
    p.set_defaults(func=_publish)


def _keygen(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError
    from painpath.registry.pseudonymise import RegistryKeyError, create_key_file

    try:
        create_key_file(args.out)
    except RegistryKeyError as exc:
        raise CommandError(str(exc)) from None
    print(
        f"key written to {args.out} (readable by you only). Keep it outside every extract and "
        "back it up: the same key gives the same pseudonyms in every release."
    )
    return 0


def _extract(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError
    from painpath.config import django_setup
    from painpath.registry.pseudonymise import RegistryKeyError, load_key

    try:
        key = load_key(args.key_file, out_dir=args.out)
    except RegistryKeyError as exc:
        raise CommandError(str(exc)) from None
    django_setup()
    import datetime as dt

    from django.db import DatabaseError

    from painpath.registry.extract import extract
    from painpath.registry.folders import OutputFolderError

    try:
        summary = extract(args.out, key, today=dt.date.today())
    except OutputFolderError as exc:
        raise CommandError(str(exc)) from None
    except DatabaseError as exc:
        raise CommandError(f"cannot read the database ({_database_problem(exc)})") from None
    print(
        f"extract written to {args.out}: {summary.patients} patients, {summary.outcomes} "
        f"outcome rows, {summary.adverse_events} adverse events "
        f"({summary.excluded_no_start} consented patients without a treatment start left out; "
        f"{summary.uncoded_values} values outside their coded vocabulary blanked)"
    )
    return 0


def _synth(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError
    from painpath.registry.folders import OutputFolderError
    from painpath.registry.synth import synthesise

    try:
        rows = synthesise(
            args.out,
            args.patients,
            seed=args.seed,
            chunk_size=args.chunk_size,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    except OutputFolderError as exc:
        raise CommandError(str(exc)) from None
    print(
        f"synthetic registry written to {args.out}: "
        + ", ".join(f"{n} {name} rows" for name, n in rows.items())
    )
    return 0


def _database_problem(exc: Exception) -> str:
    """One line on a database that cannot be used: which engine, what went wrong, what to do."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"{engine}: {first}; check DATABASE_URL (or PAINPATH_VAR_DIR) and that the database "
        "is migrated, e.g. by `painpath serve`"
    )


def _audit_unavailable(exc: Exception) -> Exception:
    from painpath.cli import CommandError

    return CommandError(
        f"cannot publish: the audit trail cannot be written ({_database_problem(exc)}); "
        "nothing was published"
    )


def _reports_folder() -> Path:
    """The folder the researcher web area reads (settings only: no app loading)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpath.config.settings")
    from django.conf import settings

    return Path(settings.PAINPATH_REGISTRY_REPORTS_DIR)


def _report(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError
    from painpath.registry.analytics.spark_engine import SparkUnavailable
    from painpath.registry.report import ReportError, build_report

    reports = _reports_folder().resolve()
    out = args.out.resolve()
    if out == reports or out.is_relative_to(reports):
        raise CommandError(
            f"--out {args.out} is inside the reports folder researchers read ({reports}); write "
            "the report elsewhere, then publish it: painpath registry publish --report DIR"
        )
    try:
        path = build_report(
            args.data,
            args.out,
            engine=args.engine,
            disclosure=not args.no_disclosure_control,
            threads=args.threads,
        )
    except (ReportError, SparkUnavailable) as exc:
        raise CommandError(str(exc)) from None
    print(f"report written to {path}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError
    from painpath.config import django_setup
    from painpath.registry.published import ReportUnavailable, publish

    django_setup()
    from django.conf import settings
    from django.db import DatabaseError, connection

    from painpath.apps.audit.services import record

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise _audit_unavailable(exc) from None
    try:
        report = publish(args.report, Path(settings.PAINPATH_REGISTRY_REPORTS_DIR), args.name)
    except ReportUnavailable as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(
            f"could not publish {args.report} ({type(exc).__name__}: {exc.strerror or exc})"
        ) from None
    manifest = report.manifest
    try:
        record(
            actor="painpath registry publish",
            action="registry.publish",
            object_type="registry_report",
            object_id=report.name,
            detail={
                "engine": manifest.engine,
                "created": manifest.created,
                "synthetic": manifest.synthetic,
                "tables": len(manifest.tables),
                "ruleset": (manifest.ruleset or {}).get("version"),
            },
        )
    except DatabaseError as exc:
        # A publication the audit trail does not hold must not stay readable: withdraw it.
        shutil.rmtree(report.path, ignore_errors=True)
        raise _audit_unavailable(exc) from None
    print(
        f"published {report.name!r} to {report.path}; researchers see it at "
        f"{settings.PAINPATH_BASE_URL}/research/reports/{report.name}/"
    )
    return 0
