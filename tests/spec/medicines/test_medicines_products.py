"""Bad input for products and amounts: explicit units, no zero/negative amounts."""

from decimal import Decimal

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.medicines import Amount, Form, Product, Strength, Unit

D = Decimal


def test_zero_concentration_of_both_refused():
    with pytest.raises(InvalidInput, match="both 0"):
        Product("Empty", Form.OIL, Unit.ML, Strength(D(0), Unit.ML), Strength(D(0), Unit.ML))


def test_strength_unit_mismatch_refused():
    with pytest.raises(InvalidInput, match="unit mismatch"):
        Product("Oil", Form.OIL, Unit.ML, Strength(D(10), Unit.G), Strength(D(0), Unit.ML))


def test_form_unit_mismatch_refused():
    with pytest.raises(InvalidInput, match="oil is measured in ml"):
        Product("Oil", Form.OIL, Unit.G, Strength(D(10), Unit.G), Strength(D(0), Unit.G))


@pytest.mark.parametrize("value", ["0", "-1", "nan", "abc", True])
def test_amount_must_be_positive_number(value):
    with pytest.raises(InvalidInput, match="amount"):
        Amount(value, Unit.ML)  # type: ignore[arg-type]


def test_negative_strength_and_unknown_unit_refused():
    with pytest.raises(InvalidInput, match="must not be negative"):
        Strength(D(-1), Unit.ML)
    with pytest.raises(InvalidInput, match="unknown unit 'litre'"):
        Amount(D(1), "litre")  # type: ignore[arg-type]


def test_product_amount_unit_check():
    p = Product(
        "Caps",
        Form.CAPSULE,
        Unit.UNIT,
        Strength(D(0), Unit.UNIT),
        Strength(D(10), Unit.UNIT),
        pack_sizes=(D(30),),
    )
    with pytest.raises(InvalidInput, match="daily_amount: unit mismatch"):
        p.check_unit(Amount(D(1), Unit.ML), "daily_amount")
    assert p.strength_text() == "THC 0 mg/unit, CBD 10 mg/unit"


def test_float_input_read_without_binary_error():
    assert Amount(0.1, Unit.ML).value == D("0.1")  # type: ignore[arg-type]


def test_bare_numbers_for_content_are_mg_per_the_products_unit():
    p = Product("Oil", "oil", "ml", "10", D(20))  # type: ignore[arg-type]
    assert p.thc == Strength(D(10), Unit.ML) and p.cbd == Strength(D(20), Unit.ML)
    with pytest.raises(InvalidInput, match="cbd"):
        Product("Oil", Form.OIL, Unit.ML, D(1), "-2")  # type: ignore[arg-type]


def test_protocol_name_is_case_insensitive():
    from painpath.clinical.medicines import titration_schedule

    p = Product("CBD", Form.OIL, Unit.ML, D(0), D(20))  # type: ignore[arg-type]
    assert titration_schedule(" Routine ", 5, p).protocol == "routine"
