"""One spec test (table) per red-flag rule, from the rule's source (CLINICAL.md section 3).

A clinician reviews these tables: each row is (findings, other input, expected red flag urgency).
"""

from __future__ import annotations

from typing import Any

import pytest

from painpath.clinical.triage import RULES
from painpath.clinical.triage.vocabulary import (
    CES_CODES,
    MSCC_NEURO_CODES,
    MYELOPATHY_CODES,
    NEURO_DEFICIT_CODES,
)

from .helpers import f, flags, run

# --- RF-CES: GIRFT national suspected CES pathway 2023 -----------------------------------------

CES_TIMING = [
    # (finding as given, expected urgency of the cauda_equina flag)
    ("saddle_anaesthesia", "emergency"),  # bare code counts as new
    (f("saddle_anaesthesia"), "emergency"),  # object without days or course: new
    (f("saddle_anaesthesia", 0, "new"), "emergency"),
    (f("saddle_anaesthesia", 14, "new"), "emergency"),  # 14 days is still new (<= 14)
    (f("saddle_anaesthesia", 14, "stable"), "emergency"),  # not yet > 14 days
    (f("saddle_anaesthesia", 15, "stable"), "urgent"),  # > 14 days and stable
    (f("saddle_anaesthesia", 400, "stable"), "urgent"),
    (f("saddle_anaesthesia", 15, "improving"), "urgent"),  # policy: improving as stable, no lower
    (f("saddle_anaesthesia", 3, "improving"), "emergency"),  # improving but new
    (f("saddle_anaesthesia", 15, "deteriorating"), "emergency"),
    (f("saddle_anaesthesia", 400, "deteriorating"), "emergency"),
    (f("saddle_anaesthesia", 30), "emergency"),  # course not given: counts as new
    (f("saddle_anaesthesia", None, "stable"), "emergency"),  # days not given: not > 14
]


@pytest.mark.parametrize(("finding", "urgency"), CES_TIMING)
def test_rf_ces_course_and_duration(finding: Any, urgency: str) -> None:
    """GIRFT 2023: new (<= 14 days) or deteriorating -> emergency; > 14 days and stable ->
    urgent. Policy (ADR 0021): downgrade only when both days > 14 and stable/improving are given."""
    t = run([finding])
    assert flags(t) == {"cauda_equina": urgency}
    assert t.urgency == urgency


@pytest.mark.parametrize("code", sorted(CES_CODES))
def test_rf_ces_every_ces_finding_is_an_emergency_when_new(code: str) -> None:
    """GIRFT 2023: each of the eight CES findings (bilateral radicular pain by policy) alone."""
    t = run([f(code, 2, "new")])
    assert flags(t) == {"cauda_equina": "emergency"}
    assert t.red_flags[0].findings == (code,)
    assert t.action.startswith("EMERGENCY: Suspected cauda equina syndrome.")


def test_rf_ces_one_acute_finding_keeps_the_emergency() -> None:
    """Several CES findings: one new or deteriorating is enough for emergency."""
    t = run([f("saddle_anaesthesia", 30, "stable"), f("urinary_difficulty", 40, "deteriorating")])
    assert flags(t) == {"cauda_equina": "emergency"}
    t = run([f("saddle_anaesthesia", 30, "stable"), f("urinary_difficulty", 40, "improving")])
    assert flags(t) == {"cauda_equina": "urgent"}


# --- RF-CES-SEX: sexual dysfunction (GIRFT: alone not CES-suggestive) --------------------------


def test_rf_ces_sex_alone_is_review_not_emergency() -> None:
    t = run(["sexual_dysfunction"])
    assert flags(t) == {"ces_review": "soon"}


def test_rf_ces_sex_counts_with_another_ces_finding() -> None:
    """With another CES finding it counts, and so does its course."""
    t = run([f("saddle_anaesthesia", 30, "stable"), f("sexual_dysfunction", 3, "new")])
    assert flags(t) == {"cauda_equina": "emergency"}
    assert set(t.red_flags[0].findings) == {"saddle_anaesthesia", "sexual_dysfunction"}
    t = run([f("saddle_anaesthesia", 30, "stable"), f("sexual_dysfunction", 30, "stable")])
    assert flags(t) == {"cauda_equina": "urgent"}


# --- RF-NEURO -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "finding",
    [
        "foot_drop",
        "progressive_leg_weakness",
        f("foot_drop", 90, "stable"),
        f("foot_drop", 90, "improving"),
    ],
)
def test_rf_neuro_foot_drop_or_progressive_weakness_is_urgent(finding: Any) -> None:
    """CLINICAL.md section 3 (CKS Sciatica): urgent whatever the course (never downgraded)."""
    assert flags(run([finding])) == {"neurological_deficit": "urgent"}


# --- RF-MSCC / RF-METASTASES / RF-CANCER-HISTORY / RF-MALIGNANCY-50 (NG234, NG12, CKS) -----


@pytest.mark.parametrize("code", sorted(MSCC_NEURO_CODES - CES_CODES))
def test_rf_mscc_cancer_with_any_neurological_finding_is_an_emergency(code: str) -> None:
    """NICE NG234: known cancer + neurological symptoms (radicular pain, limb weakness, difficulty
    walking, sensory loss, bladder/bowel) -> MSCC coordinator immediately."""
    t = run(["history_of_cancer", code])
    assert flags(t).get("mscc") == "emergency"
    assert t.urgency == "emergency"


def test_rf_mscc_includes_bladder_and_bowel() -> None:
    for code in ("urinary_retention", "faecal_incontinence", "saddle_anaesthesia"):
        t = run(["history_of_cancer", f(code, 40, "stable")])
        assert flags(t) == {"mscc": "emergency", "cauda_equina": "urgent"}


def test_rf_mscc_not_for_sexual_dysfunction_or_pain_site_comparisons() -> None:
    """Policy (ADR 0023): sexual dysfunction alone and leg/arm-dominance codes are not
    neurological findings for MSCC."""
    for code in ("sexual_dysfunction", "leg_pain_worse_than_back", "arm_pain_worse_than_neck"):
        assert "mscc" not in flags(run(["history_of_cancer", code]))


@pytest.mark.parametrize(
    "code",
    [
        "thoracic_pain",
        "night_pain",
        "progressive_pain",
        "severe_unremitting_pain",
        "pain_worse_on_straining",
        "localised_spinal_tenderness",
    ],
)
def test_rf_metastases_cancer_with_suggestive_pain_is_urgent(code: str) -> None:
    """NICE NG234: known cancer + spinal pain suggestive of metastases -> within 24 hours."""
    t = run(["history_of_cancer", code], age=45)
    assert flags(t) == {"spinal_metastases": "urgent"}


@pytest.mark.parametrize("region", ["thoracic", "neck"])
def test_rf_metastases_thoracic_or_neck_region_counts_as_the_pain(region: str) -> None:
    """NG234 (after CG75): thoracic or cervical spinal pain; the region is that pain."""
    assert flags(run(["history_of_cancer"], region=region)) == {"spinal_metastases": "urgent"}
    assert flags(run(["history_of_cancer"], region="low_back")) == {"cancer_history": "soon"}


def test_rf_cancer_history_alone_is_never_ignored() -> None:
    """Policy (ADR 0023; CKS red flag 'past history of cancer'): soon."""
    assert flags(run(["history_of_cancer"])) == {"cancer_history": "soon"}


@pytest.mark.parametrize(
    ("age", "code", "expected"),
    [
        (50, "unexplained_weight_loss", {"possible_malignancy": "soon"}),
        (49, "unexplained_weight_loss", {}),
        (50, "night_pain", {"possible_malignancy": "soon"}),
        (49, "night_pain", {}),
        (50, "no_improvement_after_4_weeks", {"possible_malignancy": "soon"}),
        (49, "no_improvement_after_4_weeks", {}),
        (87, "unexplained_weight_loss", {"possible_malignancy": "soon"}),
    ],
)
def test_rf_malignancy_50_age_inclusive(age: int, code: str, expected: dict[str, str]) -> None:
    """CLINICAL.md section 3 (NG12; CKS): age >= 50 with weight loss or night pain, or no
    improvement after 4 weeks -> soon. 50 counts."""
    assert flags(run([code], age=age)) == expected


# --- RF-INFECTION / RF-FEVER / RF-SEA ----------------------------------------------------------


@pytest.mark.parametrize(
    "risk", ["iv_drug_use", "immunosuppression", "recent_infection", "recent_spinal_procedure"]
)
def test_rf_infection_fever_with_a_risk_factor_is_urgent(risk: str) -> None:
    assert flags(run(["fever", risk])) == {"spinal_infection": "urgent"}


def test_rf_infection_risk_factor_without_fever_is_not_a_red_flag() -> None:
    assert flags(run(["iv_drug_use", "immunosuppression"])) == {}


def test_rf_fever_alone_is_urgent() -> None:
    """CLINICAL.md section 3: fever alone with spinal pain -> urgent (policy, not routine)."""
    t = run(["fever"])
    assert flags(t) == {"fever_with_spinal_pain": "urgent"}


def test_rf_sea_fever_with_a_neurological_deficit_is_an_emergency() -> None:
    """Darouiche 2006: fever + spinal pain + deficit (painpath addition, ADR 0025)."""
    t = run(["fever", "myotomal_weakness"])
    assert flags(t) == {"spinal_epidural_abscess": "emergency"}
    t = run(["fever", "recent_spinal_procedure", "difficulty_walking"])
    assert flags(t) == {"spinal_epidural_abscess": "emergency"}
    # pain-only findings are not a deficit
    assert flags(run(["fever", "pain_below_knee"])) == {"fever_with_spinal_pain": "urgent"}


# --- RF-TRAUMA / RF-FRAGILITY ------------------------------------------------------------------


def test_rf_trauma_major_trauma_is_an_emergency() -> None:
    assert flags(run(["major_trauma"])) == {"spinal_fracture_trauma": "emergency"}


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        (["minor_trauma", "osteoporosis"], {"fragility_fracture": "soon"}),
        (["minor_trauma", "corticosteroid_use"], {"fragility_fracture": "soon"}),
        (["minor_trauma"], {}),
        (["osteoporosis", "corticosteroid_use"], {}),
    ],
)
def test_rf_fragility_minor_trauma_with_osteoporosis_or_steroids(
    findings: list[str], expected: dict[str, str]
) -> None:
    assert flags(run(findings, age=70)) == expected


def test_rf_fragility_pain_pattern_is_soon() -> None:
    assert flags(run(["sudden_severe_central_pain_relieved_lying"])) == {
        "fragility_fracture_pain": "soon"
    }


# --- RF-MYELOPATHY -----------------------------------------------------------------------------

MYELO_TABLE = [
    # (findings, expected myelopathy urgency or None)
    ([f("hoffmann_sign", 90, "stable")], None),  # one finding: no flag
    ([f("hoffmann_sign", 90, "stable"), f("hyperreflexia", 90, "stable")], "soon"),
    ([f("hoffmann_sign", 90, "stable"), f("hyperreflexia", 90, "improving")], "soon"),
    ([f("hoffmann_sign", 90, "stable"), f("hyperreflexia", 20, "deteriorating")], "emergency"),
    ([f("hoffmann_sign", 90, "stable"), f("gait_disturbance", 5, "new")], "emergency"),
    (["hand_clumsiness", "gait_disturbance"], "emergency"),  # bare codes count as new
    ([f("hand_clumsiness", 10, "stable"), f("gait_disturbance", 90, "stable")], "emergency"),
]


@pytest.mark.parametrize(("findings", "urgency"), MYELO_TABLE)
def test_rf_myelopathy_two_or_more_findings(findings: list[Any], urgency: str | None) -> None:
    """CLINICAL.md section 3 (Davies 2018): two or more -> soon if stable, emergency if
    deteriorating over days. Policy (ADR 0021): the GIRFT 14-day window decides 'new'."""
    t = run(findings, region="neck", age=62)
    assert flags(t).get("myelopathy") == urgency


@pytest.mark.parametrize("pair", [sorted(MYELOPATHY_CODES)[i : i + 2] for i in range(0, 8, 2)])
def test_rf_myelopathy_every_finding_counts(pair: list[str]) -> None:
    t = run([f(c, 60, "stable") for c in pair], region="neck")
    assert flags(t) == {"myelopathy": "soon"} and t.pain_type == "myelopathy"


@pytest.mark.parametrize("region", ["low_back", "thoracic"])
def test_rf_myelopathy_fires_outside_the_neck(region: str) -> None:
    """Policy (ADR 0022): a red flag is never hidden by the region; the action says where to
    image."""
    t = run([f("babinski_sign", 60, "stable"), f("ankle_clonus", 60, "stable")], region=region)
    assert flags(t) == {"myelopathy": "soon"}
    assert "cervical and thoracic cord" in t.red_flags[0].action
    assert t.pain_type != "myelopathy"


# --- RF-MENINGITIS / RF-CAD (neck) ---------------------------------------------------------------


def test_rf_meningitis_triad_is_an_emergency() -> None:
    t = run(["severe_headache", "fever", "non_blanching_rash"], region="neck")
    assert flags(t) == {"meningitis": "emergency"}
    # two of three: no meningitis flag (fever alone stays urgent)
    assert flags(run(["severe_headache", "fever"], region="neck")) == {
        "fever_with_spinal_pain": "urgent"
    }


@pytest.mark.parametrize("code", ["drop_attacks", "dizziness_on_neck_extension"])
def test_rf_cad_drop_attacks_or_dizziness_is_urgent(code: str) -> None:
    assert flags(run([code], region="neck")) == {"cervical_arterial_dysfunction": "urgent"}


@pytest.mark.parametrize("region", ["low_back", "thoracic"])
def test_rf_neck_flags_fire_in_every_region(region: str) -> None:
    """Policy (ADR 0022): neck red flags recorded in another region's assessment still fire."""
    assert flags(run(["drop_attacks"], region=region)) == {
        "cervical_arterial_dysfunction": "urgent"
    }
    t = run(["severe_headache", "fever", "non_blanching_rash"], region=region)
    assert flags(t) == {"meningitis": "emergency"}


# --- every rule has a spec test above ------------------------------------------------------------


def test_every_rule_is_tested_here() -> None:
    import inspect
    import sys

    names = " ".join(n for n, _ in inspect.getmembers(sys.modules[__name__], inspect.isfunction))
    for rule in RULES:
        tag = "test_" + rule.id.lower().replace("-", "_")
        assert tag in names, f"no spec test for {rule.id} (expected a test named {tag}...)"


# --- review additions: every sentence of CLINICAL.md section 3, with its boundaries --------------

REGIONS = ["low_back", "neck", "thoracic"]


@pytest.mark.parametrize("code", sorted(CES_CODES))
@pytest.mark.parametrize(("finding", "urgency"), CES_TIMING)
def test_rf_ces_timing_for_every_ces_finding(finding: Any, urgency: str, code: str) -> None:
    """GIRFT 2023, the same course and duration rule for each of the eight CES findings:
    <= 14 days new -> emergency; > 14 days and stable -> urgent; deteriorating at any duration ->
    emergency; improving > 14 days -> urgent (never lower, ADR 0021); a bare code counts as new."""
    given = code if isinstance(finding, str) else {**finding, "code": code}
    assert flags(run([given])) == {"cauda_equina": urgency}


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", sorted(CES_CODES))
def test_rf_ces_fires_in_every_region(code: str, region: str) -> None:
    assert flags(run([code], region=region)) == {"cauda_equina": "emergency"}


SEXUAL_DYSFUNCTION = [
    # (findings, expected flags): GIRFT: alone not CES-suggestive (review); with another CES
    # finding it counts, and the combination's course rule then applies to it as well.
    (["sexual_dysfunction"], {"ces_review": "soon"}),
    ([f("sexual_dysfunction", 3, "new")], {"ces_review": "soon"}),
    ([f("sexual_dysfunction", 30, "deteriorating")], {"ces_review": "soon"}),
    ([f("sexual_dysfunction", 30, "stable")], {"ces_review": "soon"}),
    (["sexual_dysfunction", "urinary_retention"], {"cauda_equina": "emergency"}),
    (
        [f("sexual_dysfunction", 30, "stable"), f("urinary_retention", 30, "stable")],
        {"cauda_equina": "urgent"},
    ),
    (
        [f("sexual_dysfunction", 30, "improving"), f("saddle_anaesthesia", 60, "improving")],
        {"cauda_equina": "urgent"},
    ),
    (
        ["sexual_dysfunction", f("saddle_anaesthesia", 30, "stable")],
        {"cauda_equina": "emergency"},
    ),  # the bare sexual_dysfunction counts as new
    (
        [f("sexual_dysfunction", 30, "deteriorating"), f("saddle_anaesthesia", 30, "stable")],
        {"cauda_equina": "emergency"},
    ),
    (
        [f("sexual_dysfunction", 10, "stable"), f("bilateral_radicular_pain", 30, "stable")],
        {"cauda_equina": "emergency"},
    ),  # 10 days is new
    (
        [f("sexual_dysfunction", 30, "stable"), f("bilateral_leg_weakness", 5, "new")],
        {"cauda_equina": "emergency"},
    ),
]


@pytest.mark.parametrize(("findings", "expected"), SEXUAL_DYSFUNCTION)
def test_rf_ces_sex_alone_review_with_ces_the_combined_course_rule(
    findings: list[Any], expected: dict[str, str]
) -> None:
    t = run(findings)
    assert flags(t) == expected
    if "cauda_equina" in expected:
        assert "sexual_dysfunction" in t.red_flags[0].findings


@pytest.mark.parametrize("code", sorted(CES_CODES))
def test_rf_mscc_cancer_with_any_ces_finding(code: str) -> None:
    """NG234: bladder or bowel dysfunction, sensory loss, leg weakness, radicular pain."""
    t = run(["history_of_cancer", code])
    assert flags(t) == {"mscc": "emergency", "cauda_equina": "emergency"}


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    "code", ["foot_drop", "difficulty_walking", "sensory_loss", "radicular_pain", "limb_weakness"]
)
def test_rf_mscc_in_every_region(code: str, region: str) -> None:
    t = run(["history_of_cancer", code], region=region)
    assert flags(t)["mscc"] == "emergency" and t.urgency == "emergency"
    assert t.red_flags[0].code == "mscc"
    assert "spinal_metastases" not in flags(t) and "cancer_history" not in flags(t)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    "code",
    [
        "thoracic_pain",
        "night_pain",
        "progressive_pain",
        "pain_worse_on_straining",
        "localised_spinal_tenderness",
    ],
)
def test_rf_metastases_each_feature_in_every_region(code: str, region: str) -> None:
    """CLINICAL.md: history_of_cancer with thoracic, night, progressive or straining pain or
    localised tenderness -> urgent (age 45: the age-50 rule does not add itself)."""
    assert flags(run(["history_of_cancer", code], region=region, age=45)) == {
        "spinal_metastases": "urgent"
    }


def test_rf_malignancy_50_below_the_age_is_explained_not_silent() -> None:
    """Age 49 with weight loss or night pain: no flag (CLINICAL.md: age >= 50), but the
    explanation says the feature was seen and why it did not fire."""
    for code in ("unexplained_weight_loss", "night_pain", "no_improvement_after_4_weeks"):
        t = run([code], age=49)
        assert t.urgency == "routine"
        assert any(e.startswith("[RF-MALIGNANCY-50]") and "age 49" in e for e in t.explanations)
    assert not any("[RF-MALIGNANCY-50]" in e for e in run(age=49).explanations)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    "risk", ["iv_drug_use", "immunosuppression", "recent_infection", "recent_spinal_procedure"]
)
def test_rf_infection_each_combination_in_every_region(risk: str, region: str) -> None:
    """Fever with each risk factor -> urgent (same day); the risk factor alone -> nothing; fever
    alone -> urgent."""
    assert flags(run(["fever", risk], region=region)) == {"spinal_infection": "urgent"}
    assert flags(run([risk], region=region)) == {}
    assert flags(run(["fever"], region=region)) == {"fever_with_spinal_pain": "urgent"}


@pytest.mark.parametrize("code", sorted(NEURO_DEFICIT_CODES))
def test_rf_sea_fever_with_each_objective_deficit(code: str) -> None:
    """Fever with any objective neurological deficit -> emergency (ADR 0025), with or without a
    risk factor; the less urgent fever flags are shown under it."""
    for extra in ([], ["iv_drug_use"]):
        t = run(["fever", code, *extra])
        assert flags(t)["spinal_epidural_abscess"] == "emergency" and t.urgency == "emergency"
        assert "spinal_infection" not in flags(t) and "fever_with_spinal_pain" not in flags(t)


@pytest.mark.parametrize("region", REGIONS)
def test_rf_trauma_and_fragility_in_every_region(region: str) -> None:
    assert flags(run(["major_trauma"], region=region)) == {"spinal_fracture_trauma": "emergency"}
    assert flags(run(["minor_trauma", "osteoporosis"], region=region)) == {
        "fragility_fracture": "soon"
    }
    assert flags(run(["minor_trauma", "corticosteroid_use"], region=region)) == {
        "fragility_fracture": "soon"
    }
    assert flags(run(["sudden_severe_central_pain_relieved_lying"], region=region)) == {
        "fragility_fracture_pain": "soon"
    }
    # minor trauma with osteoporosis and the pain pattern: one fragility flag
    both = ["minor_trauma", "osteoporosis", "sudden_severe_central_pain_relieved_lying"]
    assert flags(run(both, region=region)) == {"fragility_fracture": "soon"}


MYELO_BOUNDARIES = [
    # (days and course of both findings, expected urgency): the 14-day window (ADR 0021)
    ((14, "stable"), "emergency"),
    ((15, "stable"), "soon"),
    ((15, "improving"), "soon"),
    ((14, "improving"), "emergency"),
    ((15, "deteriorating"), "emergency"),
    ((400, "deteriorating"), "emergency"),
    ((None, "stable"), "emergency"),  # stable without days: onset unknown, may be acute
    ((60, None), "emergency"),
]


@pytest.mark.parametrize(("timing", "urgency"), MYELO_BOUNDARIES)
@pytest.mark.parametrize("region", REGIONS)
def test_rf_myelopathy_course_boundaries(
    timing: tuple[int | None, str | None], urgency: str, region: str
) -> None:
    days, course = timing
    t = run([f("lhermitte_sign", days, course), f("babinski_sign", days, course)], region=region)
    assert flags(t) == {"myelopathy": urgency}
    assert (t.pain_type == "myelopathy") is (region == "neck")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    "findings",
    [
        ["severe_headache", "fever", "non_blanching_rash"],
        ["drop_attacks"],
        ["dizziness_on_neck_extension"],
    ],
)
def test_rf_meningitis_and_cad_fire_in_every_region(findings: list[str], region: str) -> None:
    """Policy (ADR 0022): the neck red flags are never hidden by the recorded region."""
    t = run(findings, region=region)
    expected = "meningitis" if len(findings) == 3 else "cervical_arterial_dysfunction"
    assert set(flags(t)) == {expected}
    assert t.urgency == ("emergency" if expected == "meningitis" else "urgent")


NEVER_HIDDEN = [
    # (region, findings, pain_type, urgency): the most urgent red flag sets the urgency whatever
    # the classification (CLINICAL.md section 1)
    ("low_back", ["leg_pain_worse_than_back", "reflex_change", "urinary_retention"], "radicular",
     "emergency"),
    ("low_back", ["pain_varies_with_activity", "bilateral_radicular_pain"], "non_specific",
     "emergency"),
    ("low_back", ["pain_varies_with_activity", "fever"], "mechanical", "urgent"),
    ("neck", ["arm_pain_worse_than_neck", "positive_spurling", "saddle_anaesthesia"],
     "radiculopathy", "emergency"),
    ("neck", ["arm_pain_worse_than_neck", "myotomal_weakness", "foot_drop"], "radiculopathy",
     "urgent"),
    ("neck", ["pain_varies_with_activity", "history_of_cancer"], "mechanical", "urgent"),
    ("thoracic", ["pain_varies_with_activity", "major_trauma"], "mechanical", "emergency"),
]  # fmt: skip


@pytest.mark.parametrize(("region", "findings", "pain_type", "urgency"), NEVER_HIDDEN)
def test_rf_most_urgent_flag_sets_the_urgency_never_the_classification(
    region: str, findings: list[str], pain_type: str, urgency: str
) -> None:
    t = run(findings, region=region)
    assert (t.pain_type, t.urgency) == (pain_type, urgency)
    assert t.urgency == t.red_flags[0].urgency
