"""Reading user input for sub-commands: files, standard input, JSON and numbers.

Every failure is a one-line ``CommandError`` (or ``argparse.ArgumentTypeError`` for option
types) naming where the input came from and what is allowed, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from typing import Any

from painpath.typed_numbers import ascii_integer

# ASCII digits only: int() and float() also take other scripts' digits and '1_000'.
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)
# More digits than any count, id or score needs, and within Python's int-parsing limit.
_MAX_DIGITS = 30


def read_text(path: str) -> str:
    """The UTF-8 text of ``path`` (``-``: standard input)."""
    from painpath.commands.errors import CommandError

    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        try:
            if stream is None:
                return sys.stdin.read()
            return stream.read().decode("utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read standard input ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise CommandError("standard input: is not UTF-8 text") from None
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory, expected a JSON file") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: is not UTF-8 text") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read ({exc.strerror or exc})") from None


def parse_json(text: str, where: str, example: str) -> Any:
    """``text`` as JSON; ``where`` names the input in the message, ``example`` shows a good one."""
    from painpath.commands.errors import CommandError

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            f"expected {example}"
        ) from None
    except RecursionError:
        raise CommandError(f"{where}: JSON nested too deeply; expected {example}") from None
    except ValueError:
        # Python refuses integers of more than 4300 digits (int_max_str_digits).
        raise CommandError(f"{where}: JSON holds a number too long to read") from None


def parse_integer(text: str) -> int | None:
    """``text`` as a whole number in ASCII digits (surrounding spaces allowed), else None."""
    return ascii_integer(text.strip(), max_digits=_MAX_DIGITS, signs="+-")


def parse_decimal(text: str) -> int | float | None:
    """``text`` as a finite number in ASCII digits (an int when whole and written so), else None."""
    text = text.strip()
    if len(text) > 2 * _MAX_DIGITS or not _DECIMAL.fullmatch(text):
        return None
    integer = parse_integer(text)
    if integer is not None:
        return integer
    value = float(text)
    return value if math.isfinite(value) else None


def shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut short when long (a message stays one short line)."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


def whole_number(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: a whole number in ASCII digits from ``low`` to ``high``."""

    def convert(text: str) -> int:
        value = parse_integer(text)
        if value is None and _INTEGER.fullmatch(text.strip()):
            raise argparse.ArgumentTypeError(
                f"must be {_span('a whole number', low, high)} of at most {_MAX_DIGITS} digits, "
                f"got {shown(text)}"
            )
        if (
            value is None
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise argparse.ArgumentTypeError(
                f"must be {_span('a whole number', low, high)}, got {shown(text)}"
            )
        return value

    return convert


def _span(what: str, low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{what} from {low} to {high}"
    if low is not None:
        return f"{what} of at least {low}"
    if high is not None:
        return f"{what} of at most {high}"
    return what
