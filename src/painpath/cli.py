"""The `painpath` command line.

Bad input never produces a traceback: an ``InvalidInput`` (or ``CommandError``) prints one line
to stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import painpath.commands
from painpath.clinical.errors import InvalidInput
from painpath.commands.errors import CommandError

__all__ = ["CommandError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="painpath",
        description="painpath: clinical software for chronic back and neck pain services.",
    )
    parser.add_argument("--version", action="version", version=f"painpath {painpath.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(painpath.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"painpath.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except (InvalidInput, CommandError) as exc:
        print(f"painpath {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
