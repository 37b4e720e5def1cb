"""The one reader of typed whole numbers (forms, query strings, CLI options)."""

from __future__ import annotations

import pytest

from painpath.typed_numbers import ascii_integer


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("0", {}, 0),
        ("42", {}, 42),
        ("007", {}, 7),
        ("-3", {"signs": "-"}, -3),
        ("+3", {"signs": "+-"}, 3),
        ("9" * 18, {}, int("9" * 18)),
    ],
)
def test_ascii_whole_numbers_are_read(text: str, kwargs: dict[str, str], expected: int) -> None:
    assert ascii_integer(text, max_digits=18, **kwargs) == expected


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        ("", ""),
        ("-", "-"),
        ("-3", ""),  # a sign the caller does not allow
        ("+3", "-"),
        ("1_0", ""),  # int() reads this as 10
        ("١٠", ""),  # Arabic-Indic digits: int() reads them
        ("²", ""),  # str.isdigit() accepts it, int() raises
        ("１２", ""),  # fullwidth digits
        (" 4", ""),  # no stripping: the caller decides
        ("4.0", ""),
        ("9" * 19, ""),  # past the digit limit
        ("9" * 5000, ""),  # past int()'s own limit: was a server error
    ],
)
def test_anything_else_is_none(text: str, signs: str) -> None:
    assert ascii_integer(text, max_digits=18, signs=signs) is None
