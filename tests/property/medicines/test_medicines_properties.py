"""Properties (Hypothesis). Titration schedules for any product strength: total THC never above
40 mg/day, doses never decrease, step days are exactly the days the dose changes, mg per day
always equal the measured amount times the product's content. Safety screen for any facts and
medicines: every issue sourced, ordered, only the THC maximum overridable. Prescription
validity for any dates: expired exactly after day 28 of the appropriate date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st

from painpath.clinical import InvalidInput
from painpath.clinical.medicines import (
    Amount,
    Form,
    PatientFacts,
    Prescription,
    Product,
    Strength,
    Unit,
    check_prescription,
    safety_screen,
    titration_schedule,
)
from painpath.clinical.medicines.interactions import MEDICINE_CLASSES

ML = Unit.ML
strength = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=1)
protocols = st.sampled_from(["routine", "conservative", "rapid"])


def oil(thc: Decimal, cbd: Decimal, name: str) -> Product | None:
    if thc == 0 and cbd == 0:
        return None
    return Product(name, Form.OIL, ML, Strength(thc, ML), Strength(cbd, ML))


@settings(max_examples=150, deadline=None)
@given(protocols, st.integers(1, 200), strength, strength, strength)
def test_schedule_invariants(protocol, days, thc, cbd, thc2):
    product = oil(thc, cbd, "P")
    thc_product = oil(thc2, Decimal(0), "T")
    if product is None:
        return
    try:
        s = titration_schedule(protocol, days, product, thc_product=thc_product)
    except InvalidInput:
        event("refused")
        return  # refused inputs are covered by the spec tests
    assert len(s.days) == days
    previous = None
    for day in s.days:
        assert day.thc_mg <= Decimal(40)
        for line in day.doses:
            assert line.amount_per_day == line.amount_per_dose * line.doses_per_day
            assert line.amount_per_dose > 0
        if previous is not None:
            assert day.thc_mg >= previous.thc_mg and day.cbd_mg >= previous.cbd_mg
            assert day.step_change == (day.doses != previous.doses)
        previous = day


# --- safety screen and prescription check ----------------------------------------------------

BAL = Product("Balanced", Form.OIL, ML, Strength(Decimal(10), ML), Strength(Decimal(10), ML))
lfts = st.none() | st.decimals(min_value=Decimal(0), max_value=Decimal(10), places=2)
facts = st.builds(
    PatientFacts,
    age_years=st.integers(0, 110),
    pregnant=st.booleans(),
    breastfeeding=st.booleans(),
    psychosis_personal_history=st.booleans(),
    psychosis_family_history=st.booleans(),
    unstable_cardiovascular_disease=st.booleans(),
    hepatic_impairment=st.sampled_from(["none", "mild", "moderate", "severe"]),
    substance_use_disorder=st.booleans(),
    epilepsy=st.booleans(),
    alt_x_uln=lfts,
    ast_x_uln=lfts,
    bilirubin_x_uln=lfts,
)
medicines = st.lists(
    st.sampled_from(sorted(MEDICINE_CLASSES)) | st.text(min_size=1, max_size=12), max_size=6
).filter(lambda names: all(n.strip() for n in names))
mg = st.decimals(min_value=Decimal(0), max_value=Decimal(80), places=1)


@settings(max_examples=200, deadline=None)
@given(facts, mg, mg, medicines)
def test_screen_returns_every_issue_sourced_and_ordered(patient, thc, cbd, meds):
    if thc == 0 and cbd == 0:
        return
    issues = safety_screen(patient, BAL, thc, cbd, meds)
    order = ["block", "warn", "inform"]
    assert [i.level for i in issues] == sorted((i.level for i in issues), key=order.index)
    assert all(i.code and i.source and i.message for i in issues)
    codes = [i.code for i in issues]
    assert codes.count("DRIVING_ADVICE") == 1
    assert ("THC_OVER_MAXIMUM" in codes) == (thc > 40)
    # Contraindications are never overridable; only the THC maximum is.
    assert all(i.code == "THC_OVER_MAXIMUM" for i in issues if i.overridable)
    if patient.pregnant:
        assert "PREGNANCY" in codes
    if patient.psychosis_personal_history and thc > 0:
        assert "PSYCHOSIS_PERSONAL" in codes


RX = Prescription(
    patient_name="A", patient_address="B", product=BAL, form="oil", strength="THC 10, CBD 10",
    dose="0.5 ml twice daily", daily_amount=Amount(Decimal(1), ML),
    quantity=Amount(Decimal(30), ML), quantity_words="thirty", prescriber_name="Dr",
    prescriber_address="Clinic", prescriber_signed=True, date_signed=date(2026, 1, 31),
    prescriber_on_specialist_register=True,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60), st.none() | st.integers(-10, 20))
def test_expired_exactly_after_day_28_of_the_appropriate_date(offset, start_shift):
    start = None if start_shift is None else RX.date_signed + timedelta(days=start_shift)
    rx = replace(RX, appropriate_date=start)
    appropriate = max(RX.date_signed, start or RX.date_signed)
    today = RX.date_signed + timedelta(days=offset)
    result = check_prescription(rx, today)
    assert ("EXPIRED" in [e.code for e in result.errors]) == ((today - appropriate).days > 28)
    assert result.valid_until == appropriate + timedelta(days=28)
