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
        ("a hundred and twenty millilitres", 120),
        ("seven and a half grams", D("7.5")),
        ("half", None),
        ("ml", None),
    ],
)
def test_words_to_number(text, value):
    assert words_to_number(text) == (D(value) if value is not None else None)


# BNF: "'one as directed' constitutes a dose but 'as directed' does not"; the same for "as
# required" / "prn" without an amount.
@pytest.mark.parametrize(
    ("dose", "codes"),
    [
        ("as directed", ["DOSE_AS_DIRECTED"]),
        ("Use as instructed", ["DOSE_AS_DIRECTED"]),
        ("as required", ["DOSE_AS_REQUIRED"]),
        ("PRN", ["DOSE_AS_REQUIRED"]),
        ("p.r.n.", ["DOSE_AS_REQUIRED"]),
        ("when needed", ["DOSE_AS_REQUIRED"]),
        ("as directed, when required", ["DOSE_AS_DIRECTED", "DOSE_AS_REQUIRED"]),
        ("twice daily", ["DOSE_NOT_DEFINED"]),
        ("take some", ["DOSE_NOT_DEFINED"]),
    ],
)
def test_vague_instructions_alone_are_not_doses(rx, dose, codes):
    result = check_prescription(replace(rx, dose=dose), SIGNED)
    dose_errors = [e for e in result.errors if e.field == "dose"]
    assert [e.code for e in dose_errors] == codes
    assert all("reg 15" in e.source for e in dose_errors)


@pytest.mark.parametrize(
    ("dose", "warning"),
    [
        ("0.5 ml twice daily", None),
        ("one capsule as directed", None),
        ("0.5 ml as directed", None),
        ("0.25 ml when required, maximum 1 ml in 24 hours", None),
        ("0.25 ml every 4 hours prn", None),
        ("0.25 ml prn", "DOSE_PRN_NO_MAXIMUM"),
        ("0.5 ml as required", "DOSE_PRN_NO_MAXIMUM"),
    ],
)
def test_amount_with_instruction_is_a_dose(rx, dose, warning):
    result = check_prescription(replace(rx, dose=dose), SIGNED)
    assert result.ok, codes(result)
    assert [w.code for w in result.warnings] == ([warning] if warning else [])
    if warning:
        assert result.warnings[0].needs_reason and result.warnings[0].source


@pytest.mark.parametrize(
    ("days_after", "expired"), [(0, False), (1, False), (27, False), (28, False), (29, True),
                                (30, True), (365, True)],
)  # fmt: skip
def test_validity_boundaries_from_signing(rx, days_after, expired):
    result = check_prescription(rx, SIGNED + timedelta(days=days_after))
    assert ("EXPIRED" in codes(result)[0]) is expired
    assert result.valid_from == SIGNED and result.valid_until == SIGNED + timedelta(days=28)


@pytest.mark.parametrize(
    ("start", "today", "expired", "not_yet"),
    [
        # The appropriate date is the later of the signing date and the start date.
        (date(2026, 3, 10), date(2026, 3, 5), False, True),
        (date(2026, 3, 10), date(2026, 3, 10), False, False),
        (date(2026, 3, 10), date(2026, 4, 7), False, False),  # day 28 after the start date
        (date(2026, 3, 10), date(2026, 4, 8), True, False),  # day 29
        (date(2026, 2, 20), date(2026, 3, 29), False, False),  # earlier start: signing counts
        (date(2026, 2, 20), date(2026, 3, 30), True, False),
    ],
)
def test_validity_from_the_appropriate_date(rx, start, today, expired, not_yet):
    result = check_prescription(replace(rx, appropriate_date=start), today)
    assert ("EXPIRED" in codes(result)[0]) is expired
    assert ("NOT_YET_VALID" in codes(result)[1]) is not_yet
    assert result.valid_from == max(start, SIGNED)
    if not_yet:
        nyv = next(w for w in result.warnings if w.code == "NOT_YET_VALID")
        assert nyv.level == "inform" and not nyv.needs_reason and "reg 16" in nyv.source


def test_expiry_counts_from_the_appropriate_date_and_names_it(rx):
    late = check_prescription(replace(rx, appropriate_date=date(2026, 3, 10)), date(2026, 4, 8))
    expired = next(e for e in late.errors if e.code == "EXPIRED")
    assert "2026-04-07" in expired.message and "2026-03-10" in expired.message


@pytest.mark.parametrize(
    ("quantity", "daily", "warn"),
    [("30", "1", False), ("30.01", "1", True), ("31", "1", True), ("60", "2", False),
     ("15.1", "0.5", True), ("90", "3", False)],
)  # fmt: skip
def test_supply_over_30_days_is_exact(rx, quantity, daily, warn):
    changed = replace(
        rx, quantity=Amount(D(quantity), Unit.ML), daily_amount=Amount(D(daily), Unit.ML),
        quantity_words=quantity_in_words(quantity),
    )  # fmt: skip
    result = check_prescription(changed, SIGNED)
    assert result.ok, codes(result)
    assert ("SUPPLY_OVER_30_DAYS" in codes(result)[1]) is warn


def quantity_in_words(figures: str) -> str:
    words = {"30": "thirty", "30.01": "thirty point zero one", "31": "thirty-one",
             "60": "sixty", "15.1": "fifteen point one", "90": "ninety"}  # fmt: skip
    return words[figures]


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("thirty grams", "QUANTITY_WORDS_UNIT_MISMATCH"),
        ("thirty capsules", "QUANTITY_WORDS_UNIT_MISMATCH"),
        ("thirty", None),
        ("thirty ml", None),
        ("Thirty Millilitres", None),
    ],
)
def test_quantity_words_unit_must_be_the_products(rx, words, code):
    result = check_prescription(replace(rx, quantity_words=words), SIGNED)
    assert codes(result)[0] == ([code] if code else [])


def test_words_and_figures_agree_for_other_units(rx):
    result = check_prescription(
        replace(
            rx,
            quantity=Amount(D("7.5"), Unit.ML),
            daily_amount=Amount(D("0.25"), Unit.ML),
            quantity_words="seven and a half millilitres",
        ),
        SIGNED,
    )
    assert result.ok, codes(result)


def test_every_error_has_code_and_source_and_all_come_back(rx):
    bad = replace(
        rx, patient_name=" ", patient_address="", form="", strength="", dose="prn",
        quantity_words="twelve grams", prescriber_name="", prescriber_address="",
        prescriber_signed=False, date_signed=None, repeats=1,
        prescriber_on_specialist_register=False,
    )  # fmt: skip
    result = check_prescription(bad, SIGNED)
    assert set(codes(result)[0]) == {
        "MISSING_PATIENT_NAME", "MISSING_PATIENT_ADDRESS", "MISSING_FORM", "MISSING_STRENGTH",
        "DOSE_AS_REQUIRED", "QUANTITY_MISMATCH", "QUANTITY_WORDS_UNIT_MISMATCH",
        "MISSING_PRESCRIBER_NAME", "MISSING_PRESCRIBER_ADDRESS", "NOT_SIGNED", "MISSING_DATE",
        "REPEATS_NOT_ALLOWED", "INITIATION_NOT_SPECIALIST",
    }  # fmt: skip
    assert all(e.code and e.source and e.level == "block" for e in result.errors)


@pytest.mark.parametrize(
    ("kind", "register", "shared", "error"),
    [
        ("initiation", True, False, None),
        ("initiation", True, True, None),
        ("initiation", False, True, "INITIATION_NOT_SPECIALIST"),  # shared care never initiates
        ("initiation", False, False, "INITIATION_NOT_SPECIALIST"),
        ("continuation", True, False, None),
        ("continuation", False, True, None),
        ("continuation", False, False, "CONTINUATION_WITHOUT_SHARED_CARE"),
    ],
)
def test_signer_rules(rx, kind, register, shared, error):
    result = check_prescription(
        replace(rx, kind=kind, prescriber_on_specialist_register=register,
                shared_care_agreement=shared),
        SIGNED,
    )  # fmt: skip
    signer = [e.code for e in result.errors if e.field == "prescriber"]
    assert signer == ([error] if error else [])
    if error:
        assert "2018" in result.errors[0].source


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"daily_amount": Amount(D("50.01"), Unit.ML)}, "daily_amount"),
        ({"quantity": Amount(D("5001"), Unit.ML)}, "quantity"),
        ({"quantity": Amount(D("30.0001"), Unit.ML)}, "quantity"),
        ({"daily_amount": Amount(D("1"), Unit.G)}, "daily_amount"),
        ({"patient_name": None}, "patient_name"),
        ({"prescriber_signed": "yes"}, "prescriber_signed"),
        ({"date_signed": "2026-03-01"}, "date_signed"),
    ],
)
def test_over_maximum_and_malformed_name_the_field(rx, change, field):
    with pytest.raises(InvalidInput) as exc:
        check_prescription(replace(rx, **change), SIGNED)
    assert exc.value.field == field and field in str(exc.value)


def test_capsule_amounts_are_whole(rx):
    from painpath.clinical.medicines import Form, Product, Strength

    caps = Product("Caps", Form.CAPSULE, Unit.UNIT, Strength(D(0), Unit.UNIT),
                   Strength(D(10), Unit.UNIT))  # fmt: skip
    whole = replace(
        rx, product=caps, daily_amount=Amount(D(2), Unit.UNIT), quantity=Amount(D(60), Unit.UNIT),
        quantity_words="sixty capsules", dose="one capsule twice daily",
    )  # fmt: skip
    assert check_prescription(whole, SIGNED).ok
    with pytest.raises(InvalidInput, match="whole number"):
        check_prescription(replace(whole, quantity=Amount(D("60.5"), Unit.UNIT)), SIGNED)


def test_prescription_as_mapping(rx):
    data = {
        "patient_name": "Alex Example", "patient_address": "1 Demo Street",
        "product": {"name": "CBD oil", "form": "oil", "cbd_mg": "20"},
        "form": "oil", "strength": "CBD 20 mg/ml", "dose": "as directed",
        "daily_amount": "1", "quantity": {"value": "30", "unit": "ml"},
        "quantity_words": "thirty", "prescriber_name": "Dr Demo", "prescriber_address": "Clinic",
        "prescriber_signed": True, "date_signed": "2026-03-01",
        "prescriber_on_specialist_register": True,
    }  # fmt: skip
    result = check_prescription(data, date(2026, 3, 30))
    assert [e.code for e in result.errors] == ["DOSE_AS_DIRECTED", "EXPIRED"]
    with pytest.raises(InvalidInput, match="missing field"):
        check_prescription({k: v for k, v in data.items() if k != "dose"}, SIGNED)
    with pytest.raises(InvalidInput, match="unknown field"):
        check_prescription({**data, "repeat": 1}, SIGNED)
