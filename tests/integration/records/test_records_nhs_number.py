"""NHS number Modulus 11 (NHS Data Dictionary, "NHS Number"), from published examples."""

from __future__ import annotations

import pytest

from painpath.apps.patients.validators import (
    InvalidNhsNumber,
    check_digit,
    format_nhs_number,
    is_valid_nhs_number,
    normalise_nhs_number,
)
from tests.factories import synthetic_nhs_numbers

# 943 476 5919 is the NHS Data Dictionary's worked example (weights 10..2, sum 299, 299 mod 11 = 2,
# 11 - 2 = 9 = check digit). 401 023 2137 is a widely used valid example (sum 92, 92 mod 11 = 4).
VALID = ["9434765919", "943 476 5919", "943-476-5919", "4010232137"]
INVALID = [
    ("9434765918", "Modulus 11"),  # last digit changed
    ("9434765910", "Modulus 11"),
    ("4010232138", "Modulus 11"),
    ("1234567890", "Modulus 11"),  # check digit would be 10: never issued
    ("943476591", "10 digits"),
    ("94347659199", "10 digits"),
    ("94347A5919", "only digits"),
    ("", "required"),
]


@pytest.mark.parametrize("text", VALID)
def test_valid_examples(text: str) -> None:
    assert is_valid_nhs_number(text)
    assert len(normalise_nhs_number(text)) == 10


@pytest.mark.parametrize(("text", "reason"), INVALID)
def test_invalid_examples(text: str, reason: str) -> None:
    assert not is_valid_nhs_number(text)
    with pytest.raises(InvalidNhsNumber, match=reason):
        normalise_nhs_number(text)


def test_worked_example_check_digit() -> None:
    assert check_digit("943476591") == 9
    assert check_digit("123456789") is None  # 11 - (210 mod 11) = 10 -> invalid


def test_remainder_zero_gives_check_digit_zero() -> None:
    # Find a nine-digit stem whose weighted sum is divisible by 11: its check digit must be 0.
    stem = next(f"999{n:06d}" for n in range(10_000) if check_digit(f"999{n:06d}") == 0)
    assert is_valid_nhs_number(stem + "0")


def test_every_single_digit_error_is_caught() -> None:
    """Modulus 11 detects every single-digit substitution (the reason for the scheme)."""
    number = "9434765919"
    for i in range(10):
        for d in "0123456789":
            if d != number[i]:
                assert not is_valid_nhs_number(number[:i] + d + number[i + 1 :])


def test_test_range_numbers_are_valid() -> None:
    gen = synthetic_nhs_numbers()
    numbers = [next(gen) for _ in range(200)]
    assert all(n.startswith("999") and is_valid_nhs_number(n) for n in numbers)


def test_format() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
