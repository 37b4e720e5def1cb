"""The pathway (CLINICAL.md section 4): NICE NG59 by risk, classification and duration; NICE NG144
on CBPMs in every result; neck from NICE CKS with NG59's stratified care by clinic policy
(ADR 0027); no NICE pathway for the thoracic spine."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.clinical.triage import Triage

from .helpers import f, run

LOW = [0, 0, 0, 0, 0, 0, 0, 0, 0]
MEDIUM = [1, 1, 1, 1, 1, 0, 0, 0, 0]
HIGH = [1, 0, 1, 0, 1, 1, 1, 1, 3]
INTENSIVE = {
    "exercise_programme",
    "manual_therapy_with_exercise",
    "psychological_therapy_with_exercise",
}


def codes(t: Triage, key: str) -> set[str]:
    items = {
        "recommended": t.pathway.recommended,
        "consider": t.pathway.consider,
        "not_recommended": t.pathway.not_recommended,
    }[key]
    return {i.code for i in items}


def test_pw_low_risk_simple_support_only() -> None:
    """NG59 1.1: low risk -> reassurance, advice to keep active, self-management."""
    t = run(["pain_varies_with_activity"], startback=LOW)
    assert {"self_management", "simple_support"} <= codes(t, "recommended")
    assert not INTENSIVE & codes(t, "recommended")


@pytest.mark.parametrize("answers", [MEDIUM, HIGH])
def test_pw_medium_and_high_risk_exercise_manual_cbt(answers: list[int]) -> None:
    """NG59: exercise programme; manual therapy and CBT approach only with exercise."""
    t = run(["pain_varies_with_activity"], startback=answers)
    assert codes(t, "recommended") >= INTENSIVE
    assert "simple_support" not in codes(t, "recommended")
    manual = next(i for i in t.pathway.recommended if i.code == "manual_therapy_with_exercise")
    assert "only as part of a treatment package including exercise" in manual.text


@pytest.mark.parametrize(
    ("answers", "weeks", "where"),
    [(HIGH, 13, "recommended"), (HIGH, 12, None), (MEDIUM, 52, "consider"), (LOW, 52, "consider")],
)
def test_pw_combined_programme_for_persistent_pain(
    answers: list[int], weeks: int, where: str | None
) -> None:
    """NG59: combined physical and psychological programme for persistent pain with psychosocial
    obstacles (high risk) or after failed treatment (consider)."""
    t = run(startback=answers, duration_weeks=weeks)
    for key in ("recommended", "consider"):
        assert ("combined_physical_psychological" in codes(t, key)) == (key == where)


def test_pw_without_startback_stratify_first() -> None:
    t = run()
    assert "stratify_startback" in codes(t, "recommended")
    assert codes(t, "consider") >= INTENSIVE
    assert all(
        i.text.startswith("If STarT Back medium or high risk")
        for i in t.pathway.consider
        if i.code in INTENSIVE
    )


NOT_OFFER = {
    "paracetamol_alone",
    "antidepressants_for_lbp",
    "anticonvulsants_for_lbp",
    "belts_corsets",
    "foot_orthotics",
    "traction",
    "acupuncture",
    "ultrasound",
    "tens",
    "pens",
    "interferential_therapy",
    "spinal_injections_for_lbp",
    "disc_replacement",
    "spinal_fusion_outside_trial",
    "cbpm_chronic_pain",
}
SCIATICA = ["pain_below_knee", "positive_straight_leg_raise"]


def test_pw_ng59_do_not_offer_list() -> None:
    assert codes(run(), "not_recommended") >= NOT_OFFER


def test_pw_ng144_cbpm_position_in_every_region() -> None:
    """NICE NG144: CBPMs not recommended for chronic pain, in every region and with red flags."""
    for region in ("low_back", "neck", "thoracic"):
        for findings in ([], ["saddle_anaesthesia"], [f("hoffmann_sign"), f("hyperreflexia")]):
            t = run(findings, region=region)
            assert t.pathway.cbpm.code == "cbpm_chronic_pain"
            assert "NG144" in t.pathway.cbpm.source
            assert "privately records why" in t.pathway.cbpm.text
            assert "cbpm_chronic_pain" in codes(t, "not_recommended")
            out = t.to_dict()["pathway"]
            assert out["cbpm"]["code"] == "cbpm_chronic_pain"  # type: ignore[index]


def test_pw_red_flags_first() -> None:
    t = run(["fever"])
    assert t.pathway.recommended[0].code == "act_on_red_flags"
    assert run().pathway.recommended[0].code != "act_on_red_flags"


def test_pw_every_option_cites_a_source() -> None:
    from painpath.clinical.triage.pathway import ALL_ITEMS

    assert len({i.code for i in ALL_ITEMS}) == len(ALL_ITEMS)
    assert all(i.code and i.text and i.source for i in ALL_ITEMS)


# --- NG59 do-not-offer list, exactly as CLINICAL.md section 4, in every low back result -----------

#: Each CLINICAL.md section 4 "Not recommended" item: (code, words its text must contain).
CLINICAL_NOT_RECOMMENDED = [
    ("paracetamol_alone", ("paracetamol alone",)),
    ("opioids_chronic_lbp", ("opioids", "chronic low back pain")),
    ("opioids_chronic_sciatica", ("opioids", "chronic sciatica")),
    ("antidepressants_for_lbp", ("ssris", "snris", "tricyclic", "low back pain")),
    ("anticonvulsants_for_lbp", ("anticonvulsants", "low back pain")),
    (
        "sciatica_gabapentinoids_antiepileptics_steroids_benzodiazepines",
        ("gabapentinoids", "antiepileptics", "oral corticosteroids", "benzodiazepines", "sciatica"),
    ),
    ("belts_corsets", ("belts",)),
    ("foot_orthotics", ("orthotics",)),
    ("traction", ("traction",)),
    ("acupuncture", ("acupuncture",)),
    ("ultrasound", ("ultrasound",)),
    ("tens", ("(tens)",)),
    ("pens", ("(pens)",)),
    ("interferential_therapy", ("interferential therapy",)),
    ("spinal_injections_for_lbp", ("spinal injections", "low back pain")),
    ("disc_replacement", ("disc replacement",)),
    ("spinal_fusion_outside_trial", ("fusion", "randomised controlled trial")),
]
LOW_BACK_CASES = [
    ([], 4),  # non_specific, acute
    (["pain_varies_with_activity"], 30),  # mechanical, chronic
    (SCIATICA, 4),  # radicular, acute
    (SCIATICA, 30),  # radicular, chronic
    (["saddle_anaesthesia"], 2),  # with an emergency red flag
]


@pytest.mark.parametrize(("findings", "weeks"), LOW_BACK_CASES)
@pytest.mark.parametrize(("code", "words"), CLINICAL_NOT_RECOMMENDED)
def test_pw_not_recommended_list_exactly_as_clinical_md_for_low_back(
    findings: list[str], weeks: int, code: str, words: tuple[str, ...]
) -> None:
    """NG59 1.2 and 1.3 'do not offer', every item, whatever the classification or duration (the
    classification may be wrong; the sciatica items matter whenever leg pain is present)."""
    t = run(findings, duration_weeks=weeks)
    item = next(i for i in t.pathway.not_recommended if i.code == code)
    assert all(w in item.text.lower() for w in words), item.text
    assert "NG59" in item.source


@pytest.mark.parametrize(("findings", "weeks"), LOW_BACK_CASES)
def test_pw_low_back_not_recommended_has_nothing_else(findings: list[str], weeks: int) -> None:
    """The list is CLINICAL.md's, plus NG59's rocker sole shoes, 'not routinely opioids' for acute
    pain and NG144 (no NG59 item that only applies outside a specialist clinic)."""
    t = run(findings, duration_weeks=weeks)
    extra = {"rocker_sole_shoes", "cbpm_chronic_pain"} | (
        {"opioids_routinely_acute_lbp"} if weeks <= 12 else set()
    )
    assert codes(t, "not_recommended") == {c for c, _ in CLINICAL_NOT_RECOMMENDED} | extra


def test_pw_opioids_by_duration() -> None:
    """NG59: not routinely for acute, never for chronic low back pain or chronic sciatica (chronic
    > 12 weeks); weak opioid only if an NSAID is unsuitable, acute only."""
    acute, chronic = run(duration_weeks=12), run(duration_weeks=13)
    assert "opioids_routinely_acute_lbp" in codes(acute, "not_recommended")
    assert "opioids_routinely_acute_lbp" not in codes(chronic, "not_recommended")
    assert "weak_opioid_acute" in codes(acute, "consider")
    assert "weak_opioid_acute" not in codes(chronic, "consider")
    for t in (acute, chronic):
        assert {"opioids_chronic_lbp", "opioids_chronic_sciatica"} <= codes(t, "not_recommended")


# --- NG59 "consider" (CLINICAL.md section 4) ---------------------------------------------------

CONSIDER = [
    # (findings, weeks, epidural, decompression, radiofrequency)
    (SCIATICA, 4, True, True, False),  # acute sciatica: epidural for acute severe sciatica
    (SCIATICA, 12, True, True, False),  # 12 weeks is still acute (chronic > 12)
    (SCIATICA, 13, False, True, True),  # chronic sciatica: no epidural
    (["pain_varies_with_activity"], 4, False, False, False),
    (["pain_varies_with_activity"], 13, False, False, True),  # chronic low back pain
    ([], 52, False, False, True),
]


@pytest.mark.parametrize(("findings", "weeks", "epidural", "decompression", "rf"), CONSIDER)
def test_pw_consider_list(
    findings: list[str], weeks: int, epidural: bool, decompression: bool, rf: bool
) -> None:
    """NG59 1.3: epidural for acute and severe sciatica; radiofrequency denervation for chronic
    low back pain after a positive medial branch block when pain >= 5/10; decompression for
    sciatica when non-surgical care failed and imaging agrees."""
    t = run(findings, duration_weeks=weeks)
    got = codes(t, "consider")
    assert ("epidural_acute_severe_sciatica" in got) is epidural
    assert ("decompression_sciatica" in got) is decompression
    assert ("radiofrequency_denervation" in got) is rf
    items = {i.code: i.text for i in t.pathway.consider}
    if rf:
        text = items["radiofrequency_denervation"]
        assert "positive diagnostic medial branch block" in text and "5/10 or more" in text
    if decompression:
        text = items["decompression_sciatica"]
        assert "non-surgical treatment has not improved" in text and "radiological" in text
    if epidural:
        assert "acute and severe sciatica" in items["epidural_acute_severe_sciatica"]


def test_pw_sciatica_lead_has_the_ces_safety_net() -> None:
    """GIRFT 2023: people with sciatica get cauda equina safety-net advice."""
    t = run(SCIATICA, startback=MEDIUM)
    assert t.pathway.recommended[0].code == "sciatica_self_management"
    assert "cauda equina safety-net" in t.pathway.recommended[0].text
    assert run(["pain_varies_with_activity"]).pathway.recommended[0].code == "self_management"


# --- risk groups exactly as CLINICAL.md section 4 ------------------------------------------------

RISK_TABLE = [
    # (answers, weeks, recommended must include, recommended must not include)
    (
        LOW,
        6,
        {"simple_support"},
        INTENSIVE | {"combined_physical_psychological", "stratify_startback"},
    ),
    (MEDIUM, 6, INTENSIVE, {"simple_support", "combined_physical_psychological"}),
    (HIGH, 6, INTENSIVE, {"simple_support", "combined_physical_psychological"}),
    (HIGH, 13, INTENSIVE | {"combined_physical_psychological"}, {"simple_support"}),
    (None, 6, {"stratify_startback"}, INTENSIVE | {"simple_support"}),
]


@pytest.mark.parametrize("region", ["low_back", "neck"])
@pytest.mark.parametrize(("answers", "weeks", "present", "absent"), RISK_TABLE)
def test_pw_risk_groups(
    region: str, answers: list[int] | None, weeks: int, present: set[str], absent: set[str]
) -> None:
    """Low risk: advice, reassurance, self-management (charity education); medium/high: exercise
    programme, manual therapy only with exercise, CBT approach with exercise; persistent pain with
    psychosocial obstacles: combined programme. The neck by clinic policy (ADR 0027)."""
    t = run(["pain_varies_with_activity"], region=region, startback=answers, duration_weeks=weeks)
    rec = codes(t, "recommended")
    assert present <= rec and not absent & rec
    if answers is LOW:
        support = next(i for i in t.pathway.recommended if i.code == "simple_support")
        assert "reassurance" in support.text and "charity education" in support.text
    if answers in (MEDIUM, HIGH):
        by_code = {i.code: i.text for i in t.pathway.recommended}
        assert (
            "only as part of a treatment package including exercise"
            in (by_code["psychological_therapy_with_exercise"])
        )


# --- neck (ADR 0027) -----------------------------------------------------------------------------


@pytest.mark.parametrize("answers", [LOW, MEDIUM, HIGH, None])
def test_pw_neck_uses_ng59_stratified_care_by_clinic_policy(answers: list[int] | None) -> None:
    """Each NG59 option shown for the neck says that NG59 covers low back pain and that it is
    applied to the neck by clinic policy; the risk explanation says so too."""
    from painpath.clinical.triage.pathway import NECK_EXTRAPOLATION

    t = run(["pain_varies_with_activity"], region="neck", startback=answers, duration_weeks=30)
    for item in t.pathway.recommended + t.pathway.consider:
        if "NG59" in item.source:
            assert item.source.endswith(NECK_EXTRAPOLATION), item
    assert "clinic policy" in t.pathway.guideline
    if answers is not None:
        assert t.risk is not None
        assert any("used for the neck pathway by clinic policy" in e for e in t.explanations)


NECK_TABLE = [
    # (findings, weeks, lead, must include, must not include)
    (
        ["pain_varies_with_activity"],
        2,
        "neck_reassurance_activity",
        set(),
        {"neck_physiotherapy", "cervical_radiculopathy_specialist"},
    ),
    (
        ["pain_varies_with_activity"],
        4,
        "neck_reassurance_activity",
        {"neck_physiotherapy"},
        {"cervical_radiculopathy_specialist"},
    ),
    (
        ["arm_pain_worse_than_neck", "positive_spurling"],
        6,
        "cervical_radiculopathy_care",
        {"neck_physiotherapy", "cervical_radiculopathy_specialist"},
        {"neck_reassurance_activity"},
    ),
    (
        [f("hoffmann_sign", 60, "stable"), f("gait_disturbance", 60, "stable")],
        30,
        "myelopathy_surgical_assessment",
        set(),
        {"neck_reassurance_activity", "neck_physiotherapy", "manual_therapy_with_exercise"}
        | INTENSIVE
        | {"stratify_startback", "simple_support"},
    ),
]


@pytest.mark.parametrize(("findings", "weeks", "lead", "present", "absent"), NECK_TABLE)
def test_pw_neck_cks_by_pain_type(
    findings: list[Any], weeks: int, lead: str, present: set[str], absent: set[str]
) -> None:
    """NICE CKS Neck pain: non-specific pain (reassurance, activity, simple analgesia; physio and
    psychosocial factors from 4 weeks); cervical radiculopathy (conservative care; specialist if
    severe or persisting after 4-6 weeks). Suspected myelopathy: surgical assessment only (no
    reassurance that neck pain settles, no manual therapy)."""
    t = run(findings, region="neck", startback=HIGH, duration_weeks=weeks)
    rec = [i for i in t.pathway.recommended if i.code != "act_on_red_flags"]
    assert rec[0].code == lead
    every = codes(t, "recommended") | codes(t, "consider")
    assert present <= every and not absent & every


def test_pw_neck_has_no_low_back_drug_or_device_list() -> None:
    """NG59's do-not-offer items are worded for low back pain and sciatica: not shown for the neck
    (only NICE NG144)."""
    t = run(["pain_varies_with_activity"], region="neck", duration_weeks=30)
    assert codes(t, "not_recommended") == {"cbpm_chronic_pain"}


def test_pw_thoracic_has_no_nice_pathway() -> None:
    t = run(["pain_varies_with_activity"], region="thoracic", startback=HIGH, duration_weeks=30)
    assert codes(t, "recommended") == {"thoracic_specialist_assessment"}
    assert codes(t, "consider") == set()
    assert codes(t, "not_recommended") == {"cbpm_chronic_pain"}
    assert any("not used for this pathway" in e for e in t.explanations)


def test_pw_red_flags_first_and_the_action_says_the_pathway_waits() -> None:
    """With any red flag the pathway is shown after 'act on the red flags first', and the action
    leads with the most urgent flag and ends saying the pathway waits."""
    t = run(["saddle_anaesthesia", "leg_pain_worse_than_back", "dermatomal_numbness"])
    assert t.pain_type == "radicular" and t.urgency == "emergency"
    assert t.pathway.recommended[0].code == "act_on_red_flags"
    assert t.action.startswith("EMERGENCY: Suspected cauda equina syndrome. Send to the emergency")
    assert t.action.endswith("apply only once this has been dealt with.")
