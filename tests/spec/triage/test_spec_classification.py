"""Pain classification (CLINICAL.md section 4): one table per region."""

from __future__ import annotations

import pytest

from .helpers import run

LOW_BACK = [
    # (findings, pain_type)
    (["leg_pain_worse_than_back", "dermatomal_numbness"], "radicular"),
    (["pain_below_knee", "positive_straight_leg_raise"], "radicular"),
    (["pain_below_knee", "myotomal_weakness"], "radicular"),
    (["leg_pain_worse_than_back", "reflex_change"], "radicular"),
    (
        [
            "leg_pain_worse_than_back",
            "pain_below_knee",
            "reflex_change",
            "pain_varies_with_activity",
        ],
        "radicular",
    ),
    (["pain_below_knee"], "non_specific"),  # leg pain without a nerve-root sign
    (["positive_straight_leg_raise"], "non_specific"),  # sign without dominant leg pain
    (["pain_varies_with_activity"], "mechanical"),
    (["pain_varies_with_activity", "pain_below_knee"], "non_specific"),  # radicular feature
    (["pain_varies_with_activity", "radicular_pain"], "non_specific"),
    ([], "non_specific"),
    (["buttock_pain"], "non_specific"),
]


@pytest.mark.parametrize(("findings", "pain_type"), LOW_BACK)
def test_cl_low_back(findings: list[str], pain_type: str) -> None:
    """Radicular: leg pain dominates with a nerve-root sign; mechanical: varies with activity
    without radicular features (policy: none of them, ADR 0020); else non_specific."""
    assert run(findings).pain_type == pain_type


NECK = [
    (["arm_pain_worse_than_neck", "dermatomal_arm_symptoms"], "radiculopathy"),
    (["arm_pain_worse_than_neck", "positive_spurling"], "radiculopathy"),
    (["arm_pain_worse_than_neck", "myotomal_weakness"], "radiculopathy"),
    (["arm_pain_worse_than_neck"], "mechanical"),
    (["dermatomal_arm_symptoms", "positive_spurling"], "mechanical"),
    (["pain_varies_with_activity"], "mechanical"),
    ([], "mechanical"),
    (
        ["arm_pain_worse_than_neck", "positive_spurling", "hoffmann_sign", "hyperreflexia"],
        "myelopathy",
    ),  # cord compression outranks a root lesion
    (["hoffmann_sign"], "mechanical"),  # one myelopathy finding is not enough
]


@pytest.mark.parametrize(("findings", "pain_type"), NECK)
def test_cl_neck(findings: list[str], pain_type: str) -> None:
    assert run(findings, region="neck").pain_type == pain_type


@pytest.mark.parametrize(
    ("findings", "pain_type"),
    [
        (["pain_varies_with_activity"], "mechanical"),
        ([], "non_specific"),
        (["pain_varies_with_activity", "radicular_pain"], "non_specific"),
    ],
)
def test_cl_thoracic_policy(findings: list[str], pain_type: str) -> None:
    """Policy (ADR 0022): CLINICAL.md names no thoracic scheme."""
    assert run(findings, region="thoracic").pain_type == pain_type


def test_cl_other_regions_codes_are_named_not_silently_used() -> None:
    t = run(["arm_pain_worse_than_neck", "positive_spurling"])
    assert t.pain_type == "non_specific"
    assert any(e.startswith("[CL-REGION]") and "positive_spurling" in e for e in t.explanations)


def test_cl_classification_never_hides_a_red_flag() -> None:
    """CLINICAL.md section 1: a radicular classification and a CES red flag together."""
    t = run(["leg_pain_worse_than_back", "dermatomal_numbness", "urinary_retention"])
    assert t.pain_type == "radicular" and t.urgency == "emergency"
