"""Titration tables, hand-worked from Bhaskar et al. 2021 (J Cannabis Res 3:22) with the policy
points of docs/decisions/0060 (step every 3 days where the source says 2-3; THC step every 7 days
where it says 2-7; lowest start dose where it gives a range).

Each table row: (first day, last day, product amounts per dose, mg THC/day, mg CBD/day).
Worked with CBD oil 20 mg/ml, THC oil 10 mg/ml, balanced oil 10:10 mg/ml:
routine CBD 10 mg/day = 5 mg bd = 0.25 ml bd; +10 mg/day every 3 days; 40 mg/day = 1 ml bd on
day 10; THC starts one interval later (day 13) at 2.5 mg = 0.25 ml once daily, +2.5 mg every
7 days.
"""

from decimal import Decimal

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.medicines import Form, Product, Strength, Unit, titration_schedule
from painpath.clinical.medicines.titration import SOURCE

D = Decimal

ROUTINE = [
    (1, 3, ["0.25 ml twice daily"], "0", "10"),
    (4, 6, ["0.5 ml twice daily"], "0", "20"),
    (7, 9, ["0.75 ml twice daily"], "0", "30"),
    (10, 12, ["1 ml twice daily"], "0", "40"),
    (13, 19, ["1 ml twice daily", "0.25 ml once daily"], "2.5", "40"),
    (20, 26, ["1 ml twice daily", "0.5 ml once daily"], "5", "40"),
    (27, 30, ["1 ml twice daily", "0.75 ml once daily"], "7.5", "40"),
]
CONSERVATIVE = [
    (1, 3, ["0.25 ml once daily"], "0", "5"),
    (4, 6, ["0.75 ml once daily"], "0", "15"),
    (7, 9, ["1.25 ml once daily"], "0", "25"),
    (10, 12, ["1.75 ml once daily"], "0", "35"),
    (13, 15, ["2 ml once daily"], "0", "40"),
    (16, 22, ["2 ml once daily", "0.1 ml once daily"], "1", "40"),
    (23, 29, ["2 ml once daily", "0.2 ml once daily"], "2", "40"),
    (30, 32, ["2 ml once daily", "0.3 ml once daily"], "3", "40"),
]
RAPID = [
    (1, 3, ["0.25 ml once daily"], "2.5", "2.5"),
    (4, 6, ["0.5 ml once daily"], "5", "5"),
    (7, 9, ["0.75 ml once daily"], "7.5", "7.5"),
    (10, 12, ["1 ml once daily"], "10", "10"),
    (22, 24, ["2 ml once daily"], "20", "20"),
    (43, 45, ["3.75 ml once daily"], "37.5", "37.5"),
    (46, 60, ["4 ml once daily"], "40", "40"),  # THC maximum 40 mg/day reached and held
]


def _check(schedule, table):
    for first, last, lines, thc, cbd in table:
        for day in schedule.days[first - 1 : last]:
            assert [line.text() for line in day.doses] == lines, day.day
            assert day.thc_mg == D(thc), day.day
            assert day.cbd_mg == D(cbd), day.day


def test_routine_table(cbd_oil, thc_oil):
    s = titration_schedule("routine", 30, cbd_oil, thc_product=thc_oil)
    _check(s, ROUTINE)
    assert [d.day for d in s.steps()] == [1, 4, 7, 10, 13, 20, 27]
    assert s.days[9].at_maximum and not s.days[8].at_maximum
    assert s.source == SOURCE and "Bhaskar" in s.source


def test_conservative_table(cbd_oil, thc_oil):
    s = titration_schedule("conservative", 32, cbd_oil, thc_product=thc_oil)
    _check(s, CONSERVATIVE)
    assert [d.day for d in s.steps()] == [1, 4, 7, 10, 13, 16, 23, 30]


def test_rapid_table_reaches_and_holds_thc_maximum(balanced_oil):
    s = titration_schedule("rapid", 60, balanced_oil)
    _check(s, RAPID)
    assert max(d.thc_mg for d in s.days) == D("40")
    assert s.days[45].at_maximum and not s.days[44].at_maximum


def test_routine_without_thc_product_holds_cbd_and_says_so(cbd_oil):
    s = titration_schedule("routine", 20, cbd_oil)
    assert {d.phase for d in s.days[12:]} == {"maintenance"}
    assert all(d.cbd_mg == D("40") for d in s.days[9:])
    assert "THC phase needs a THC-containing product" in s.notes[0]


def test_routine_thc_phase_reaches_40_mg_maximum_and_never_exceeds(cbd_oil, thc_oil):
    s = titration_schedule("routine", 366, cbd_oil, thc_product=thc_oil)
    # 2.5 mg on day 13, +2.5 every 7 days: 40 mg after 15 steps = day 13 + 105 = 118.
    assert s.days[117].thc_mg == D("40") and s.days[116].thc_mg == D("37.5")
    assert max(d.thc_mg for d in s.days) == D("40")


def test_thc_in_cbd_product_counts_toward_maximum():
    # CBD phase with a 1:1 product at 40 mg CBD gives 40 mg THC; the THC add-on is then 0 room.
    mixed = Product(
        "Mixed 20:20", Form.OIL, Unit.ML, Strength(D(20), Unit.ML), Strength(D(20), Unit.ML)
    )
    thc_hi = Product("THC 25", Form.OIL, Unit.ML, Strength(D(25), Unit.ML), Strength(D(0), Unit.ML))
    s = titration_schedule("routine", 20, mixed, thc_product=thc_hi)
    assert s.days[9].thc_mg == D("40") and s.days[9].cbd_mg == D("40")
    assert all(d.phase == "maintenance" and len(d.doses) == 1 for d in s.days[12:])
    assert max(d.thc_mg for d in s.days) == D("40")


def test_too_concentrated_product_refused():
    strong = Product(
        "CBD 1000", Form.OIL, Unit.ML, Strength(D(0), Unit.ML), Strength(D(1000), Unit.ML)
    )
    with pytest.raises(InvalidInput, match="too concentrated"):
        titration_schedule("conservative", 3, strong)


def test_rounding_down_never_exceeds_target():
    # 30 mg/ml CBD: 5 mg per dose = 0.1666.. ml -> 0.16 ml (4.8 mg), never 0.17 ml (5.1 mg).
    p = Product("CBD 30", Form.OIL, Unit.ML, Strength(D(0), Unit.ML), Strength(D(30), Unit.ML))
    day1 = titration_schedule("routine", 1, p).days[0]
    assert day1.doses[0].amount_per_dose == D("0.16")
    assert day1.cbd_mg == D("9.60")


def test_capsules_are_whole_units():
    caps = Product(
        "CBD capsule 5 mg",
        Form.CAPSULE,
        Unit.UNIT,
        Strength(D(0), Unit.UNIT),
        Strength(D(5), Unit.UNIT),
    )
    s = titration_schedule("conservative", 4, caps)
    assert [d.doses[0].amount_per_dose for d in s.days] == [D(1), D(1), D(1), D(3)]


@pytest.mark.parametrize(
    ("protocol", "days", "match"),
    [
        ("fast", 10, "unknown protocol 'fast'"),
        ("routine", 0, "days"),
        ("routine", 367, "days"),
        ("routine", True, "days"),
    ],
)
def test_bad_protocol_or_days(cbd_oil, protocol, days, match):
    with pytest.raises(InvalidInput, match=match):
        titration_schedule(protocol, days, cbd_oil)


def test_wrong_products_for_protocol(cbd_oil, thc_oil):
    with pytest.raises(InvalidInput, match="starts with CBD"):
        titration_schedule("routine", 10, thc_oil)
    with pytest.raises(InvalidInput, match="thc_product"):
        titration_schedule("routine", 10, cbd_oil, thc_product=cbd_oil)
    with pytest.raises(InvalidInput, match="balanced"):
        titration_schedule("rapid", 10, cbd_oil)
    skewed = Product(
        "THC-heavy", Form.OIL, Unit.ML, Strength(D(20), Unit.ML), Strength(D(5), Unit.ML)
    )
    with pytest.raises(InvalidInput, match="1:2 and 2:1"):
        titration_schedule("rapid", 10, skewed)


def test_reference_document_in_sync():
    from pathlib import Path

    from painpath.clinical.medicines.reference import titration_markdown

    doc = Path(__file__).parents[3] / "docs" / "reference" / "titration.md"
    assert doc.read_text() == titration_markdown()


# CLINICAL.md s5 / Bhaskar 2021 ranges, and the point ADR 0060 chose in each (the slower end).
# (protocol, field, chosen, lowest allowed, highest allowed)
PARAMETERS = [
    ("routine", "cbd_start", D(10), D(10), D(10)),  # 5 mg twice daily
    ("routine", "cbd_doses_per_day", 2, 2, 2),
    ("routine", "cbd_step", D(10), D(10), D(10)),
    ("routine", "cbd_interval", 3, 2, 3),
    ("routine", "thc_start", D("2.5"), D("2.5"), D("2.5")),
    ("routine", "thc_step", D("2.5"), D("2.5"), D("2.5")),
    ("routine", "thc_interval", 7, 2, 7),
    ("conservative", "cbd_start", D(5), D(5), D(5)),  # 5 mg once daily
    ("conservative", "cbd_doses_per_day", 1, 1, 1),
    ("conservative", "cbd_step", D(10), D(10), D(10)),
    ("conservative", "cbd_interval", 3, 2, 3),
    ("conservative", "thc_start", D(1), D(1), D(1)),
    ("conservative", "thc_step", D(1), D(1), D(1)),
    ("conservative", "thc_interval", 7, 7, 7),
    ("rapid", "thc_start", D("2.5"), D("2.5"), D(10)),  # 2.5-5 mg once or twice daily
    ("rapid", "thc_doses_per_day", 1, 1, 2),
    ("rapid", "thc_step", D("2.5"), D("2.5"), D(5)),
    ("rapid", "thc_interval", 3, 2, 3),
]


@pytest.mark.parametrize(("protocol", "field", "chosen", "low", "high"), PARAMETERS)
def test_protocol_parameters_inside_the_sources_ranges(protocol, field, chosen, low, high):
    from painpath.clinical.medicines import PROTOCOLS

    value = getattr(PROTOCOLS[protocol], field)
    assert value == chosen
    assert low <= value <= high


def test_slowest_point_in_each_range_is_documented():
    from pathlib import Path

    adr = Path(__file__).parents[3] / "docs" / "decisions" / "0060-titration-policy-choices.md"
    text = adr.read_text()
    for phrase in ("every 3 days", "every 7 days", "2.5 mg THC once daily", "40 mg/day"):
        assert phrase in text


@pytest.mark.parametrize(
    ("protocol", "days", "thc_targets", "cbd_targets"),
    [
        # Day-by-day protocol targets (mg/day), hand-worked from the source's wording.
        ("routine", [1, 3, 4, 7, 10, 12, 13, 19, 20, 27, 118],
         ["0", "0", "0", "0", "0", "0", "2.5", "2.5", "5", "7.5", "40"],
         ["10", "10", "20", "30", "40", "40", "40", "40", "40", "40", "40"]),
        ("conservative", [1, 4, 7, 10, 13, 15, 16, 22, 23, 30, 289],
         ["0", "0", "0", "0", "0", "0", "1", "1", "2", "3", "40"],
         ["5", "15", "25", "35", "40", "40", "40", "40", "40", "40", "40"]),
        ("rapid", [1, 3, 4, 7, 46, 100],
         ["2.5", "2.5", "5", "7.5", "40", "40"],
         ["2.5", "2.5", "5", "7.5", "40", "40"]),
    ],
)  # fmt: skip
def test_protocol_targets(protocol, days, thc_targets, cbd_targets, cbd_oil, thc_oil, balanced_oil):
    if protocol == "rapid":
        s = titration_schedule(protocol, 366, balanced_oil)
    else:
        s = titration_schedule(protocol, 366, cbd_oil, thc_product=thc_oil)
    for day, thc, cbd in zip(days, thc_targets, cbd_targets, strict=True):
        d = s.days[day - 1]
        assert (d.thc_target_mg, d.cbd_target_mg) == (D(thc), D(cbd)), day
        # With these concentrations every target is measured exactly.
        assert (d.thc_mg, d.cbd_mg) == (D(thc), D(cbd)), day


def test_conservative_thc_reaches_40_on_day_289_and_holds(cbd_oil, thc_oil):
    # THC from day 16 at 1 mg, +1 mg every 7 days: 40 mg after 39 steps = day 16 + 273.
    s = titration_schedule("conservative", 366, cbd_oil, thc_product=thc_oil)
    assert s.days[287].thc_mg == D(39) and s.days[288].thc_mg == D(40)
    assert all(d.thc_mg == D(40) and d.at_maximum for d in s.days[288:])


def test_product_as_mapping(cbd_oil):
    as_map = titration_schedule("routine", 12, {"name": "CBD oil 20 mg/ml", "form": "oil",
                                                "cbd_mg": "20"})  # fmt: skip
    assert as_map.days == titration_schedule("routine", 12, cbd_oil).days


@pytest.mark.parametrize("product", ["Demo CBD oil", None, 20])
def test_unknown_product_refused(product):
    with pytest.raises(InvalidInput) as exc:
        titration_schedule("routine", 10, product)
    assert exc.value.field == "product"


@pytest.mark.parametrize(
    ("thc", "cbd", "match"),
    [("0", "0", "both 0"), ("0", "1000.5", "over the maximum"), ("0", "-1", "negative"),
     ("0", "0.0001", "decimal places")],
)  # fmt: skip
def test_bad_product_content_refused(thc, cbd, match):
    with pytest.raises(InvalidInput, match=match):
        Product("X", Form.OIL, Unit.ML, Strength(D(thc), Unit.ML), Strength(D(cbd), Unit.ML))
