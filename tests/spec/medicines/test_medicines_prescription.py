"""Schedule 2 prescription rules: MDR 2001 reg 15 (content), reg 16(1)(e) (28-day validity),
30-day supply good practice, no repeats, specialist register for initiation."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.medicines import Amount, Prescription, Unit, check_prescription
from painpath.clinical.medicines.quantity_words import words_to_number

D = Decimal
SIGNED = date(2026, 3, 1)


@pytest.fixture
def rx(cbd_oil) -> Prescription:
    return Prescription(
        patient_name="Alex Example",
        patient_address="1 Demo Street, Testtown, TT1 1AA",
        product=cbd_oil,
        form="oral oil",
        strength="CBD 20 mg/ml",
        dose="0.5 ml twice daily",
        daily_amount=Amount(D("1"), Unit.ML),
        quantity=Amount(D("30"), Unit.ML),
        quantity_words="thirty millilitres",
        prescriber_name="Dr Demo",
        prescriber_address="Demo Pain Clinic, 2 Clinic Road",
        prescriber_signed=True,
        date_signed=SIGNED,
        prescriber_on_specialist_register=True,
    )


def codes(result):
    return [i.code for i in result.errors], [i.code for i in result.warnings]


def test_complete_prescription_passes(rx):
    result = check_prescription(rx, SIGNED)
    assert result.ok and codes(result) == ([], [])
    assert result.days_supply == D("30.0")


def test_day_28_valid_day_29_expired(rx):
    assert check_prescription(rx, SIGNED + timedelta(days=28)).ok
    late = check_prescription(rx, SIGNED + timedelta(days=29))
    assert codes(late)[0] == ["EXPIRED"]
    assert "reg 16(1)(e)" in late.errors[0].source
    assert late.valid_until == date(2026, 3, 29)


def test_validity_runs_from_later_appropriate_date(rx):
    later = replace(rx, appropriate_date=date(2026, 3, 10))
    assert check_prescription(later, date(2026, 4, 7)).ok  # 28 days after 10 March
    assert not check_prescription(later, date(2026, 4, 8)).ok


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"patient_name": ""}, "MISSING_PATIENT_NAME"),
        ({"patient_address": " "}, "MISSING_PATIENT_ADDRESS"),
        ({"form": ""}, "MISSING_FORM"),
        ({"strength": ""}, "MISSING_STRENGTH"),
        ({"dose": ""}, "MISSING_DOSE"),
        ({"dose": "As directed"}, "DOSE_AS_DIRECTED"),
        ({"dose": "take as directed by clinic"}, "DOSE_AS_DIRECTED"),
        ({"dose": "MDU"}, "DOSE_AS_DIRECTED"),
        ({"dose": "at night"}, "DOSE_NOT_DEFINED"),
        ({"quantity_words": ""}, "MISSING_QUANTITY_WORDS"),
        ({"quantity_words": "thirteen millilitres"}, "QUANTITY_MISMATCH"),
        ({"quantity_words": "lots"}, "QUANTITY_WORDS_UNREADABLE"),
        ({"prescriber_signed": False}, "NOT_SIGNED"),
        ({"prescriber_address": ""}, "MISSING_PRESCRIBER_ADDRESS"),
        ({"date_signed": None}, "MISSING_DATE"),
        ({"date_signed": SIGNED + timedelta(days=1)}, "DATED_IN_FUTURE"),
        ({"repeats": 1}, "REPEATS_NOT_ALLOWED"),
        ({"prescriber_on_specialist_register": False}, "INITIATION_NOT_SPECIALIST"),
        (
            {"prescriber_on_specialist_register": False, "kind": "continuation"},
            "CONTINUATION_WITHOUT_SHARED_CARE",
        ),
    ],
)
def test_each_error(rx, change, code):
    result = check_prescription(replace(rx, **change), SIGNED)
    assert code in codes(result)[0]
    assert not result.ok
    assert result.errors[0].source


def test_continuation_under_shared_care_allowed(rx):
    shared = replace(
        rx, kind="continuation", prescriber_on_specialist_register=False, shared_care_agreement=True
    )
    assert check_prescription(shared, SIGNED).ok


def test_all_errors_returned_together(rx):
    bad = replace(rx, patient_name="", dose="as directed", quantity_words="ten", repeats=2)
    assert set(codes(check_prescription(bad, SIGNED))[0]) == {
        "MISSING_PATIENT_NAME",
        "DOSE_AS_DIRECTED",
        "QUANTITY_MISMATCH",
        "REPEATS_NOT_ALLOWED",
    }


def test_over_30_days_supply_warns(rx):
    assert check_prescription(replace(rx, quantity=Amount(D(30), Unit.ML)), SIGNED).warnings == ()
    more = replace(rx, quantity=Amount(D(31), Unit.ML), quantity_words="thirty-one ml")
    result = check_prescription(more, SIGNED)
    assert result.ok and codes(result)[1] == ["SUPPLY_OVER_30_DAYS"]
    assert result.warnings[0].needs_reason


def test_malformed_input_raises(rx):
    with pytest.raises(InvalidInput, match="quantity: unit mismatch"):
        check_prescription(replace(rx, quantity=Amount(D(30), Unit.G)), SIGNED)
    with pytest.raises(InvalidInput, match="kind"):
        check_prescription(replace(rx, kind="repeat"), SIGNED)
    with pytest.raises(InvalidInput, match="repeats"):
        check_prescription(replace(rx, repeats=-1), SIGNED)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("thirty", 30),
        ("thirty (30) millilitres", None),
        ("one hundred and fifty ml", 150),
        ("two point five grams", D("2.5")),
        ("sixty capsules", 60),
        ("one thousand two hundred", 1200),
        ("forty-five", 45),
        ("point five", None),
        ("fifty apples", None),
        ("", None),
    ],
)
def test_words_to_number(text, value):
    assert words_to_number(text) == (D(value) if value is not None else None)
