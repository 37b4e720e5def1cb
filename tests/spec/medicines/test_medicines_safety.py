"""Safety screen rules (CLINICAL.md section 5; Sativex and Epidyolex SmPCs; BNF; RTA 1988 s5A).

One row per rule: facts -> the issue code and level expected. The screen returns ALL issues.
"""

from decimal import Decimal

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.medicines import PatientFacts, safety_screen

D = Decimal
ADULT = {"age_years": 40}

RULES = [
    # (facts, thc, cbd, medicines, code, level, source fragment)
    ({"psychosis_personal_history": True}, "5", "0", [], "PSYCHOSIS_PERSONAL", "block", "Sativex"),
    ({"psychosis_family_history": True}, "5", "0", [], "PSYCHOSIS_FAMILY", "block", "Sativex"),
    ({"breastfeeding": True}, "0", "10", [], "BREASTFEEDING", "block", "SmPC"),
    ({"pregnant": True}, "0", "10", [], "PREGNANCY", "block", "SmPC"),
    (
        {"alt_x_uln": D("3.1"), "bilirubin_x_uln": D("2.1")},
        "0",
        "10",
        [],
        "CBD_LIVER",
        "block",
        "Epidyolex",
    ),
    (
        {"ast_x_uln": D("4"), "bilirubin_x_uln": D("2.5")},
        "0",
        "10",
        [],
        "CBD_LIVER",
        "block",
        "Epidyolex",
    ),
    ({"age_years": 17}, "0", "10", [], "AGE_UNDER_18", "warn", "Sativex"),
    ({"age_years": 24}, "5", "0", [], "THC_UNDER_25", "warn", "clinic policy"),
    ({"age_years": 65}, "0", "10", [], "ELDERLY", "warn", "Sativex"),
    ({"unstable_cardiovascular_disease": True}, "5", "0", [], "UNSTABLE_CVD", "warn", "Sativex"),
    ({"hepatic_impairment": "moderate"}, "0", "10", [], "HEPATIC_IMPAIRMENT", "warn", "Epidyolex"),
    ({"hepatic_impairment": "severe"}, "0", "10", [], "HEPATIC_IMPAIRMENT", "warn", "Epidyolex"),
    ({"substance_use_disorder": True}, "5", "0", [], "SUBSTANCE_USE", "warn", "Sativex"),
    ({"epilepsy": True}, "5", "0", [], "EPILEPSY", "warn", "Sativex"),
    ({}, "0", "10", ["Clobazam 10 mg"], "IX_CLOBAZAM", "warn", "Epidyolex"),
    ({}, "0", "10", ["sodium valproate"], "IX_VALPROATE", "warn", "Epidyolex"),
    ({}, "5", "0", ["Warfarin"], "IX_WARFARIN", "warn", "BNF"),
    ({}, "5", "0", ["clarithromycin"], "IX_CYP3A4_INHIBITOR", "warn", "Sativex"),
    ({}, "5", "0", ["rifampicin"], "IX_CYP3A4_INDUCER", "warn", "Sativex"),
    ({}, "5", "0", ["pregabalin 75 mg"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["Alcohol"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["oxycodone"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["diazepam"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["madeupzumab"], "IX_UNKNOWN_MEDICINE", "inform", "BNF"),
    ({}, "40.5", "0", [], "THC_OVER_MAXIMUM", "block", "Bhaskar"),
    ({}, "5", "0", [], "DRIVING_ADVICE", "inform", "Road Traffic Act 1988 s5A"),
]


@pytest.mark.parametrize(("facts", "thc", "cbd", "meds", "code", "level", "source"), RULES)
def test_rule(facts, thc, cbd, meds, code, level, source, balanced_oil):
    issues = safety_screen(PatientFacts(**{**ADULT, **facts}), balanced_oil, D(thc), D(cbd), meds)
    found = [i for i in issues if i.code == code]
    assert found, [i.code for i in issues]
    assert found[0].level == level
    assert source in found[0].source


# Boundaries: the rule's threshold itself does not trigger it.
NOT_TRIGGERED = [
    ({"psychosis_personal_history": True}, "0", "10", [], "PSYCHOSIS_PERSONAL"),  # CBD only
    ({"alt_x_uln": D("3"), "bilirubin_x_uln": D("2.5")}, "0", "10", [], "CBD_LIVER"),
    ({"alt_x_uln": D("5"), "bilirubin_x_uln": D("2")}, "0", "10", [], "CBD_LIVER"),
    ({"alt_x_uln": D("5")}, "0", "10", [], "CBD_LIVER"),  # bilirubin unknown
    ({"alt_x_uln": D("5"), "bilirubin_x_uln": D("3")}, "5", "0", [], "CBD_LIVER"),  # no CBD
    ({"age_years": 18}, "0", "10", [], "AGE_UNDER_18"),
    ({"age_years": 25}, "5", "0", [], "THC_UNDER_25"),
    ({"age_years": 20}, "0", "10", [], "THC_UNDER_25"),  # CBD only
    ({"age_years": 64}, "0", "10", [], "ELDERLY"),
    ({"hepatic_impairment": "mild"}, "0", "10", [], "HEPATIC_IMPAIRMENT"),
    ({}, "5", "0", ["clobazam"], "IX_CLOBAZAM"),  # THC only: the CBD interaction does not apply
    ({}, "40", "0", [], "THC_OVER_MAXIMUM"),  # exactly 40 mg/day is allowed
]


@pytest.mark.parametrize(("facts", "thc", "cbd", "meds", "code"), NOT_TRIGGERED)
def test_boundary_not_triggered(facts, thc, cbd, meds, code, balanced_oil):
    issues = safety_screen(PatientFacts(**{**ADULT, **facts}), balanced_oil, D(thc), D(cbd), meds)
    assert code not in [i.code for i in issues]


def test_returns_every_issue_ordered_block_warn_inform(balanced_oil):
    facts = PatientFacts(age_years=17, pregnant=True, psychosis_family_history=True, epilepsy=True)
    issues = safety_screen(facts, balanced_oil, D("45"), D("10"), ["clobazam", "warfarin"])
    codes = [i.code for i in issues]
    assert set(codes) == {
        "PSYCHOSIS_FAMILY",
        "PREGNANCY",
        "THC_OVER_MAXIMUM",
        "AGE_UNDER_18",
        "THC_UNDER_25",
        "EPILEPSY",
        "IX_CLOBAZAM",
        "IX_CNS_DEPRESSANT",
        "IX_WARFARIN",
        "DRIVING_ADVICE",
    }
    levels = [i.level for i in issues]
    assert levels == sorted(levels, key=["block", "warn", "inform"].index)


def test_override_and_recording_flags(balanced_oil):
    issues = {
        i.code: i for i in safety_screen(PatientFacts(age_years=70), balanced_oil, D(41), D(0), [])
    }
    assert issues["THC_OVER_MAXIMUM"].overridable and issues["THC_OVER_MAXIMUM"].needs_reason
    assert issues["ELDERLY"].needs_reason
    assert issues["DRIVING_ADVICE"].must_record and not issues["DRIVING_ADVICE"].needs_reason
    pregnant = safety_screen(
        PatientFacts(age_years=30, pregnant=True), balanced_oil, D(1), D(1), []
    )
    assert not pregnant[0].overridable


@pytest.mark.parametrize(
    ("thc", "cbd", "meds", "match"),
    [
        ("-1", "0", [], "daily_thc_mg"),
        ("0", "0", [], "both are 0"),
        ("1", "x", [], "daily_cbd_mg"),
        ("1", "0", [""], "current_medicines"),
    ],
)
def test_bad_input(thc, cbd, meds, match, balanced_oil):
    with pytest.raises(InvalidInput, match=match):
        safety_screen(PatientFacts(age_years=40), balanced_oil, thc, cbd, meds)


def test_dose_of_absent_cannabinoid_refused(cbd_oil):
    with pytest.raises(InvalidInput, match="contains no THC"):
        safety_screen(PatientFacts(age_years=40), cbd_oil, D(5), D(10), [])


@pytest.mark.parametrize(
    "facts",
    [
        {"age_years": -1},
        {"age_years": 40, "hepatic_impairment": "x"},
        {"age_years": 40, "alt_x_uln": D(-1)},
    ],
)
def test_bad_facts(facts):
    with pytest.raises(InvalidInput):
        PatientFacts(**facts)
