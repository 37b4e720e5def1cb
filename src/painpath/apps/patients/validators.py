"""NHS number validation: the Modulus 11 check digit.

Source: NHS Data Dictionary, "NHS Number" (format and check digit) — the first nine digits are
weighted 10, 9, ... 2 and summed; the check digit is 11 minus the remainder of the sum divided by
11; a result of 11 means 0, and a result of 10 means the number is not valid (such numbers are
never issued). Numbers starting 999 are reserved for testing and are used by the demo data.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]+")
WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
#: The digits 0-9 only: ``str.isdigit`` also accepts superscripts (which ``int`` refuses: a
#: server error) and other scripts' digits (stored as typed: a number no NHS system matches).
_ASCII_DIGITS = re.compile(r"[0-9]+")


class InvalidNhsNumber(ValueError):
    """The text is not a valid NHS number; the message says why, for the person typing it."""


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid number exists.

    None is returned when 11 - (sum mod 11) is 10 (NHS Data Dictionary: such a number is invalid).
    """
    if len(first_nine) != 9 or not _ASCII_DIGITS.fullmatch(first_nine):
        raise InvalidNhsNumber("needs nine digits before the check digit")
    total = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def normalise_nhs_number(text: str) -> str:
    """Return the ten digits of a valid NHS number; spaces and hyphens are allowed as separators.

    Raises ``InvalidNhsNumber`` with a one-line reason (wrong length, non-digits, failed check).
    """
    digits = _SEPARATORS.sub("", str(text or ""))
    if not digits:
        raise InvalidNhsNumber("is required")
    if not _ASCII_DIGITS.fullmatch(digits):
        raise InvalidNhsNumber("must contain only digits (spaces or hyphens allowed between them)")
    if len(digits) != 10:
        raise InvalidNhsNumber(f"must be 10 digits, got {len(digits)}")
    expected = check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        raise InvalidNhsNumber("fails the Modulus 11 check digit; please re-check the number")
    return digits


def is_valid_nhs_number(text: str) -> bool:
    try:
        normalise_nhs_number(text)
    except InvalidNhsNumber:
        return False
    return True


def format_nhs_number(digits: str) -> str:
    """Display form 3-3-4 (e.g. "943 476 5919"), as NHS systems show it."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits
