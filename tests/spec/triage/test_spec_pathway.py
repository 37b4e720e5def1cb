"""The pathway (CLINICAL.md section 4): NICE NG59 by risk, classification and duration; NICE NG144
on CBPMs in every result; neck from NICE CKS; no NG59 for the neck or thoracic spine."""

from __future__ import annotations

import pytest

from painpath.clinical.triage import Triage

from .helpers import run

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


def test_pw_opioids_by_duration() -> None:
    """NG59: not routinely for acute, never for chronic low back pain (chronic > 12 weeks);
    weak opioid only if an NSAID is unsuitable, acute only."""
    acute, chronic = run(duration_weeks=12), run(duration_weeks=13)
    assert "opioids_routinely_acute_lbp" in codes(acute, "not_recommended")
    assert "weak_opioid_acute" in codes(acute, "consider")
    assert "opioids_chronic_lbp" in codes(chronic, "not_recommended")
    assert "weak_opioid_acute" not in codes(chronic, "consider")


def test_pw_sciatica_items_only_for_radicular() -> None:
    """NG59: no gabapentinoids, antiepileptics, oral steroids or benzodiazepines for sciatica;
    no opioids for chronic sciatica; epidural for acute severe sciatica; decompression."""
    acute = run(SCIATICA, duration_weeks=4)
    assert acute.pain_type == "radicular"
    drugs = "sciatica_gabapentinoids_antiepileptics_steroids_benzodiazepines"
    assert drugs in codes(acute, "not_recommended")
    assert {"epidural_acute_severe_sciatica", "decompression_sciatica"} <= codes(acute, "consider")
    chronic = run(SCIATICA, duration_weeks=30)
    assert {drugs, "opioids_chronic_sciatica"} <= codes(chronic, "not_recommended")
    assert "epidural_acute_severe_sciatica" not in codes(chronic, "consider")
    mech = run(["pain_varies_with_activity"], duration_weeks=30)
    assert drugs not in codes(mech, "not_recommended")
    assert "radiofrequency_denervation" in codes(mech, "consider")


def test_pw_ng144_cbpm_position_in_every_region() -> None:
    for region in ("low_back", "neck", "thoracic"):
        t = run(region=region)
        assert t.pathway.cbpm.code == "cbpm_chronic_pain"
        assert "NG144" in t.pathway.cbpm.source
        assert "cbpm_chronic_pain" in codes(t, "not_recommended")
        assert t.to_dict()["pathway"]["cbpm"]["code"] == "cbpm_chronic_pain"  # type: ignore[index]


@pytest.mark.parametrize("region", ["neck", "thoracic"])
def test_pw_ng59_never_shown_outside_low_back(region: str) -> None:
    t = run(["pain_varies_with_activity"], region=region, startback=HIGH, duration_weeks=30)
    every = codes(t, "recommended") | codes(t, "consider") | codes(t, "not_recommended")
    assert not every & (INTENSIVE | NOT_OFFER - {"cbpm_chronic_pain"})
    assert all("NG59" not in i.source or "scope" in i.source for i in t.pathway.recommended)


def test_pw_neck_cks() -> None:
    assert codes(run(region="neck", duration_weeks=2), "recommended") == {
        "neck_reassurance_activity"
    }
    assert "neck_physiotherapy" in codes(run(region="neck", duration_weeks=4), "recommended")


def test_pw_red_flags_first() -> None:
    t = run(["fever"])
    assert t.pathway.recommended[0].code == "act_on_red_flags"
    assert run().pathway.recommended[0].code != "act_on_red_flags"


def test_pw_every_option_cites_a_source() -> None:
    from painpath.clinical.triage.pathway import ALL_ITEMS

    assert len({i.code for i in ALL_ITEMS}) == len(ALL_ITEMS)
    assert all(i.code and i.text and i.source for i in ALL_ITEMS)
