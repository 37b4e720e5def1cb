"""Screening results: STarT Back risk, painDETECT neuropathic component, NICE NG65 axial SpA.

The questionnaires are scored by ``painpath.clinical.instruments.score`` (already validated by the
input parser); this module only reads the Scores.
"""

from __future__ import annotations

from typing import Final

from painpath.clinical.instruments import Score
from painpath.clinical.triage.input import TriageInput
from painpath.clinical.triage.result import Risk

#: NICE NG65: low back pain that has lasted longer than 3 months (CLINICAL.md: > 12 weeks) ...
NG65_MIN_WEEKS_EXCLUSIVE: Final = 12
#: ... and started before the age of 45.
NG65_ONSET_BEFORE: Final = 45
#: The first additional criterion: started before the age of 35.
NG65_EARLY_ONSET_BEFORE: Final = 35
NG65_REFER_AT: Final = 4
NG65_HLA_B27_AT: Final = 3
#: Days in a year, for the onset bound when age_at_onset is not given.
_DAYS_PER_YEAR: Final = 365.25

NG65_FEATURES: Final[tuple[str, ...]] = (
    "waking_second_half_night",
    "buttock_pain",
    "improves_with_movement",
    "nsaid_response_48h",
    "family_history_spa",
    "arthritis",
    "enthesitis",
    "psoriasis",
)

AXIAL_SPA_RESULTS: Final[tuple[str, ...]] = ("refer", "hla_b27_test", "not_met", "not_applicable")


def risk_of(startback: Score | None) -> tuple[Risk | None, str]:
    """STarT Back risk group from the Keele scoring (Hill 2008): low total <= 3; high
    psychosocial subscale >= 4; otherwise medium. NICE NG59 1.1: stratify at first contact."""
    if startback is None:
        return None, (
            "[RISK] STarT Back not given: risk not stratified (NICE NG59 recommends risk "
            "stratification, e.g. STarT Back, at first contact)."
        )
    sub = startback.subscores.get("psychosocial")
    risk = Risk("startback", str(startback.band), startback.value, sub, "psychosocial")
    return risk, (
        f"[RISK] STarT Back total {startback.value}, psychosocial subscale {sub}: "
        f"{risk.group} risk (Keele scoring; Hill 2008)."
    )


def neuropathic_of(paindetect: Score | None) -> tuple[str | None, str]:
    """painDETECT band (Freynhagen 2006): <= 12 unlikely, 13-18 ambiguous, >= 19 likely."""
    if paindetect is None:
        return None, "[NEUROPATHIC] painDETECT not given: neuropathic component not assessed."
    return paindetect.band, (
        f"[NEUROPATHIC] painDETECT {paindetect.value}: neuropathic component {paindetect.band} "
        "(Freynhagen 2006)."
    )


def axial_spa_of(inp: TriageInput) -> tuple[str, tuple[str, ...]]:
    """NICE NG65 1.1 referral criteria for suspected axial spondyloarthritis.

    Low back pain that started before 45 and has lasted longer than 3 months (> 12 weeks); count
    the additional criteria: started before 35, waking in the second half of the night, buttock
    pain, improvement with movement, improvement within 48 hours of an NSAID, a first-degree
    relative with SpA, current or past arthritis, enthesitis or psoriasis. 4 or more -> ``refer``
    (rheumatology); exactly 3 -> ``hla_b27_test`` (refer if positive); fewer -> ``not_met``.
    Outside low back pain, at 12 weeks or less, or with onset at 45 or later: ``not_applicable``.

    Policy when ``age_at_onset`` is not given (ADR 0024): the onset is taken as the earliest the
    pain can have started, current age minus its duration, so the rule errs towards recognition
    (NG65 1.1.1: do not rule out spondyloarthritis on one feature). The explanation says so.
    """
    notes: list[str] = []
    if inp.region != "low_back":
        return "not_applicable", ("[NG65] not applicable: the NG65 rule is for low back pain.",)
    if inp.duration_weeks <= NG65_MIN_WEEKS_EXCLUSIVE:
        return "not_applicable", (
            f"[NG65] not applicable: back pain for {inp.duration_weeks} weeks (needs more than "
            "3 months, > 12 weeks).",
        )
    codes = inp.codes
    if inp.age_at_onset is not None:
        onset: float = inp.age_at_onset
        onset_text = f"age at onset {inp.age_at_onset}"
    else:
        onset = inp.age - inp.duration_weeks * 7 / _DAYS_PER_YEAR
        onset_text = f"age at onset not given: taken as {onset:.1f} (age minus duration)"
        if "onset_before_35" in codes:
            onset = min(onset, NG65_EARLY_ONSET_BEFORE - 1)
            onset_text = "onset before 35 (finding onset_before_35)"
        notes.append(
            "[NG65] age_at_onset not given: the onset was bounded from age and duration (policy, "
            "ADR 0024); record age_at_onset for an exact NG65 assessment."
        )
    if onset >= NG65_ONSET_BEFORE:
        return "not_applicable", (
            f"[NG65] not applicable: {onset_text}, not before 45.",
            *notes,
        )
    met = [c for c in NG65_FEATURES if c in codes]
    if onset < NG65_EARLY_ONSET_BEFORE or "onset_before_35" in codes:
        met.insert(0, "onset_before_35")
    n = len(met)
    if n >= NG65_REFER_AT:
        result, what = "refer", "refer to rheumatology for a spondyloarthritis assessment"
    elif n == NG65_HLA_B27_AT:
        result, what = "hla_b27_test", "HLA-B27 test; refer to rheumatology if positive"
    else:
        result, what = "not_met", "criteria not met; re-assess if new features develop"
    listed = ", ".join(met) if met else "none"
    return result, (
        f"[NG65] {onset_text}, pain {inp.duration_weeks} weeks; {n} additional criteria "
        f"({listed}): {what} (NICE NG65).",
        *notes,
    )
