"""The finding vocabulary: every code CLINICAL.md sections 3-4 name, each with meaning and group."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from painpath.clinical.triage import FINDINGS, GROUPS

CLINICAL = Path(__file__).resolve().parents[4] / "shared" / "CLINICAL.md"

#: Every finding code CLINICAL.md sections 3 and 4 name (copied from the page; checked against it
#: below whenever the shared page sits beside the checkout).
CLINICAL_CODES = frozenset(
    [
        "ankle_clonus",
        "arm_pain_worse_than_neck",
        "arthritis",
        "babinski_sign",
        "bilateral_hand_numbness",
        "bilateral_leg_weakness",
        "bilateral_radicular_pain",
        "buttock_pain",
        "corticosteroid_use",
        "dermatomal_arm_symptoms",
        "dermatomal_numbness",
        "difficulty_walking",
        "dizziness_on_neck_extension",
        "drop_attacks",
        "enthesitis",
        "faecal_incontinence",
        "family_history_spa",
        "fever",
        "foot_drop",
        "gait_disturbance",
        "hand_clumsiness",
        "history_of_cancer",
        "hoffmann_sign",
        "hyperreflexia",
        "immunosuppression",
        "improves_with_movement",
        "iv_drug_use",
        "leg_pain_worse_than_back",
        "lhermitte_sign",
        "localised_spinal_tenderness",
        "loss_of_rectal_sensation",
        "major_trauma",
        "minor_trauma",
        "myotomal_weakness",
        "night_pain",
        "no_improvement_after_4_weeks",
        "non_blanching_rash",
        "nsaid_response_48h",
        "onset_before_35",
        "osteoporosis",
        "pain_below_knee",
        "pain_varies_with_activity",
        "pain_worse_on_straining",
        "positive_spurling",
        "positive_straight_leg_raise",
        "progressive_leg_weakness",
        "progressive_pain",
        "psoriasis",
        "recent_infection",
        "recent_spinal_procedure",
        "reflex_change",
        "saddle_anaesthesia",
        "severe_headache",
        "sexual_dysfunction",
        "sudden_severe_central_pain_relieved_lying",
        "thoracic_pain",
        "unexplained_weight_loss",
        "urinary_difficulty",
        "urinary_incontinence",
        "urinary_retention",
        "waking_second_half_night",
    ]
)

#: Codes CLINICAL.md sections 3-4 use that are not findings (outputs, urgencies, input keys).
NOT_FINDINGS = {
    "emergency",
    "urgent",
    "soon",
    "routine",
    "refer",
    "hla_b27_test",
    "not_met",
    "not_applicable",
    "low_back",
    "neck",
    "thoracic",
    "mechanical",
    "radicular",
    "non_specific",
    "radiculopathy",
    "myelopathy",
    "likely",
    "ambiguous",
    "unlikely",
    "startback",
    "paindetect",
    "age_at_onset",
    "new",
    "stable",
    "improving",
    "deteriorating",
    "pain_type",
    "neuropathic",
}


def test_every_code_clinical_md_names_is_in_the_vocabulary() -> None:
    assert len(CLINICAL_CODES) == 61
    assert set(FINDINGS) >= CLINICAL_CODES, sorted(CLINICAL_CODES - set(FINDINGS))


@pytest.mark.skipif(not CLINICAL.exists(), reason="../shared/CLINICAL.md not beside the checkout")
def test_the_code_list_matches_clinical_md() -> None:
    text = CLINICAL.read_text(encoding="utf-8")
    part = text[text.index("## 3. Red flags") : text.index("## 5.")]
    assert set(re.findall(r"`([a-z0-9_]+)`", part)) - NOT_FINDINGS == CLINICAL_CODES


def test_mscc_support_codes_exist() -> None:
    for code in (
        "sexual_dysfunction",
        "difficulty_walking",
        "sensory_loss",
        "limb_weakness",
        "radicular_pain",
    ):
        assert code in FINDINGS


def test_findings_interface() -> None:
    for code, finding in FINDINGS.items():
        assert finding.code == code and re.fullmatch(r"[a-z0-9_]+", code)
        assert finding.meaning and finding.source
        assert finding.group in GROUPS
