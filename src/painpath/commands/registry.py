"""`painpath registry keygen|extract|synth|report|publish`: the research registry (issue 7)."""

from __future__ import annotations

import argparse
import os
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
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
    p.add_argument("--patients", required=True, type=_positive_int)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--chunk-size", type=_positive_int, default=100_000)
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
    p.add_argument("--threads", type=_positive_int, default=None)
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

    from painpath.registry.extract import extract
    from painpath.registry.folders import OutputFolderError

    try:
        summary = extract(args.out, key, today=dt.date.today())
    except OutputFolderError as exc:
        raise CommandError(str(exc)) from None
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

    from painpath.apps.audit.services import record

    try:
        report = publish(args.report, Path(settings.PAINPATH_REGISTRY_REPORTS_DIR), args.name)
    except ReportUnavailable as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(
            f"could not publish {args.report} ({type(exc).__name__}: {exc.strerror or exc})"
        ) from None
    manifest = report.manifest
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
    print(
        f"published {report.name!r} to {report.path}; researchers see it at "
        f"{settings.PAINPATH_BASE_URL}/research/reports/{report.name}/"
    )
    return 0
