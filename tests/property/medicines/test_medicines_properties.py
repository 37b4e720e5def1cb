"""Properties of titration schedules for any product strength (Hypothesis): total THC never
above 40 mg/day, doses never decrease, step days are exactly the days the dose changes, and mg
per day always equal the measured amount times the product's content."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st

from painpath.clinical import InvalidInput
from painpath.clinical.medicines import Form, Product, Strength, Unit, titration_schedule

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
