"""Whole numbers typed by people (forms, query strings, command-line options).

``int()`` alone is too lenient for input: it reads "1_0" as 10, takes other scripts' digits
(Arabic-Indic, fullwidth) and raises on superscripts ("²", which ``str.isdigit`` accepts) and
on more than 4,300 digits, which were server errors and tracebacks. Every reader of typed
whole numbers goes through this one function, each with its own digit limit.
"""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def ascii_integer(text: str, *, max_digits: int, signs: str = "") -> int | None:
    """``text`` as a whole number: an optional sign from ``signs``, then 1 to ``max_digits``
    ASCII digits and nothing else; None for anything else (no stripping: callers decide)."""
    body = text[1:] if signs and text[:1] in signs else text
    if not 0 < len(body) <= max_digits or not _ASCII_DIGITS.fullmatch(body):
        return None
    return int(text)
