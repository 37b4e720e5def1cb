"""`painpath registry keygen|extract|synth|report`: the research registry (issue 7)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("registry", help="research registry: keygen, extract, synth, report")
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

    p = rsub.add_parser("report", help="cohort outcome report (HTML, CSV, plots)")
    p.add_argument("--data", required=True, type=Path, help="extract or synthetic registry")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    p.add_argument("--threads", type=_positive_int, default=None)
    p.add_argument(
        "--no-disclosure-control",
        action="store_true",
        help="show exact small counts (the clinic's own use only; never publish)",
    )
    p.set_defaults(func=_report)


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


def _report(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError
    from painpath.registry.analytics.spark_engine import SparkUnavailable
    from painpath.registry.report import ReportError, build_report

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
