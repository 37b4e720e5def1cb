"""Pain classification (CLINICAL.md section 4): ``pain_type`` for each region.

The classification never hides a red flag: red flags are evaluated separately from the same
findings, and the urgency comes only from them (CLINICAL.md section 1).
"""

from __future__ import annotations

from typing import Final

from painpath.clinical.triage.input import TriageInput
from painpath.clinical.triage.vocabulary import FINDINGS, MYELOPATHY_CODES

#: Low back (NICE NG59 sciatica; CKS Sciatica): leg pain dominates ...
LEG_DOMINANT: Final = frozenset({"leg_pain_worse_than_back", "pain_below_knee"})
#: ... with at least one nerve-root sign.
ROOT_SIGNS: Final = frozenset(
    {"dermatomal_numbness", "positive_straight_leg_raise", "myotomal_weakness", "reflex_change"}
)
#: Radicular features that stop pain being called mechanical (policy: any of them, ADR 0020).
RADICULAR_FEATURES: Final = (
    LEG_DOMINANT | ROOT_SIGNS | {"radicular_pain", "bilateral_radicular_pain"}
)
#: Neck (CKS Neck pain - cervical radiculopathy): arm pain dominates with an arm root finding.
ARM_ROOT_SIGNS: Final = frozenset(
    {"dermatomal_arm_symptoms", "positive_spurling", "myotomal_weakness"}
)
#: Classification codes that belong to one region's scheme only.
LOW_BACK_ONLY: Final = frozenset(
    {
        "leg_pain_worse_than_back",
        "pain_below_knee",
        "dermatomal_numbness",
        "positive_straight_leg_raise",
    }
)
NECK_ONLY: Final = frozenset(
    {"arm_pain_worse_than_neck", "dermatomal_arm_symptoms", "positive_spurling"}
)

PAIN_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "low_back": ("radicular", "mechanical", "non_specific"),
    "neck": ("myelopathy", "radiculopathy", "mechanical"),
    "thoracic": ("mechanical", "non_specific"),
}


def _listed(codes: set[str] | frozenset[str]) -> str:
    return ", ".join(sorted(codes))


def classify_low_back(codes: frozenset[str]) -> tuple[str, str]:
    """``radicular`` when leg pain dominates (leg_pain_worse_than_back or pain_below_knee) with at
    least one of dermatomal_numbness, positive_straight_leg_raise, myotomal_weakness,
    reflex_change; ``mechanical`` when pain_varies_with_activity without radicular features;
    otherwise ``non_specific``.

    Source: CLINICAL.md section 4, after NICE NG59 (low back pain and sciatica) and NICE CKS
    Sciatica (lumbar radiculopathy). Policy: "without radicular features" means none of
    RADICULAR_FEATURES is present (ADR 0020).
    """
    leg, signs = codes & LEG_DOMINANT, codes & ROOT_SIGNS
    if leg and signs:
        return "radicular", (
            f"[CL-LB-RADICULAR] radicular: leg pain dominates ({_listed(leg)}) with a nerve-root "
            f"sign ({_listed(signs)}) (NICE NG59; CKS Sciatica)."
        )
    features = codes & RADICULAR_FEATURES
    if "pain_varies_with_activity" in codes and not features:
        return "mechanical", (
            "[CL-LB-MECHANICAL] mechanical: pain varies with posture or activity, no radicular "
            "features (CKS Back pain - low)."
        )
    if features:
        why = (
            f"radicular features ({_listed(features)}) without the full radicular pattern "
            "(dominant leg pain AND a nerve-root sign)"
        )
    else:
        why = "neither the radicular nor the mechanical pattern"
    return "non_specific", f"[CL-LB-NONSPECIFIC] non_specific: {why} (CLINICAL.md section 4)."


def classify_neck(codes: frozenset[str]) -> tuple[str, str]:
    """``myelopathy`` with two or more myelopathy findings; ``radiculopathy`` when
    arm_pain_worse_than_neck with dermatomal_arm_symptoms, positive_spurling or (arm)
    myotomal_weakness; otherwise ``mechanical``.

    Source: CLINICAL.md sections 3-4; Davies BM et al. BMJ 2018 (myelopathy); NICE CKS Neck pain -
    cervical radiculopathy. Myelopathy is checked first: cord compression outranks a root lesion.
    """
    myelo = codes & MYELOPATHY_CODES
    if len(myelo) >= 2:
        return "myelopathy", (
            f"[CL-NECK-MYELOPATHY] myelopathy: two or more myelopathy findings ({_listed(myelo)}) "
            "(Davies BM et al. BMJ 2018)."
        )
    signs = codes & ARM_ROOT_SIGNS
    if "arm_pain_worse_than_neck" in codes and signs:
        return "radiculopathy", (
            f"[CL-NECK-RADICULOPATHY] radiculopathy: arm pain dominates with {_listed(signs)} "
            "(CKS Neck pain - cervical radiculopathy)."
        )
    return "mechanical", (
        "[CL-NECK-MECHANICAL] mechanical: no myelopathy or radiculopathy pattern "
        "(CLINICAL.md section 4: otherwise mechanical)."
    )


def classify_thoracic(codes: frozenset[str]) -> tuple[str, str]:
    """Policy (ADR 0022; CLINICAL.md names no thoracic scheme): ``mechanical`` when
    pain_varies_with_activity without radicular features, otherwise ``non_specific``.

    Thoracic spinal pain is itself a red-flag feature (NICE NG234; CKS): the red-flag rules count
    a thoracic assessment as thoracic pain with a cancer history, and no NICE NG59 pathway is
    given for it.
    """
    features = codes & RADICULAR_FEATURES
    if "pain_varies_with_activity" in codes and not features:
        return "mechanical", (
            "[CL-TH-MECHANICAL] mechanical: pain varies with posture or activity (painpath "
            "policy for the thoracic region, ADR 0022)."
        )
    return "non_specific", (
        "[CL-TH-NONSPECIFIC] non_specific: thoracic pain without a mechanical pattern (painpath "
        "policy for the thoracic region, ADR 0022)."
    )


def classify(inp: TriageInput) -> tuple[str, tuple[str, ...]]:
    """(pain_type, explanations) for the input's region."""
    codes = inp.codes
    notes: list[str] = []
    if inp.region == "low_back":
        pain_type, why = classify_low_back(codes)
        other = codes & NECK_ONLY
    elif inp.region == "neck":
        pain_type, why = classify_neck(codes)
        other = codes & LOW_BACK_ONLY
    else:
        pain_type, why = classify_thoracic(codes)
        other = codes & (NECK_ONLY | LOW_BACK_ONLY)
    if other:
        notes.append(
            f"[CL-REGION] {_listed(other)} belong to another region's classification and were "
            f"not used for the {inp.region} classification; check the region "
            f"({', '.join(FINDINGS[c].meaning.lower() for c in sorted(other))})."
        )
    return pain_type, (why, *notes)
