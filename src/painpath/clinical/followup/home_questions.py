"""Red-flag questions a patient answers at home, in plain language, each mapped to the triage
finding codes (CLINICAL.md section 3) that ``painpath.clinical.triage`` grades (ADR 0071).

Wording follows the symptoms UK patient information lists for suspected cauda equina syndrome
(GIRFT National Suspected Cauda Equina Syndrome Pathway, 2023, and the NHS cauda equina symptom
card it endorses: numbness between the legs or around the genitals or back passage, new
difficulty passing or controlling urine, bowel control, sexual function, both legs), and the
other red flags of CLINICAL.md section 3 (neurological deficit, cancer, infection; for the neck,
myelopathy). A "yes" is reported as the finding code, which the triage core counts as new (the
safe default) and grades in the context of the patient's last assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from painpath.clinical.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class HomeQuestion:
    """One yes/no question; ``findings`` are the triage codes a "yes" reports."""

    code: str
    text: str
    findings: tuple[str, ...]
    regions: tuple[str, ...] = ("low_back", "neck", "thoracic")


_SPINE: Final = ("low_back", "thoracic")
HOME_QUESTIONS: Final[tuple[HomeQuestion, ...]] = (
    HomeQuestion(
        "saddle_numbness",
        "Numbness, tingling or less feeling between your legs, around your genitals, back "
        "passage or buttocks (for example when wiping after using the toilet)",
        ("saddle_anaesthesia",),
    ),
    HomeQuestion(
        "bladder_difficulty",
        "New difficulty starting to pass urine, or not feeling urine as it passes",
        ("urinary_difficulty",),
    ),
    HomeQuestion(
        "bladder_retention",
        "Not being able to pass urine, or not knowing whether your bladder is full or empty",
        ("urinary_retention",),
    ),
    HomeQuestion(
        "bladder_leaking",
        "Leaking urine, or needing pads when you did not before",
        ("urinary_incontinence",),
    ),
    HomeQuestion(
        "bowel_control",
        "Not being able to control your bowels, or leaking from your back passage",
        ("faecal_incontinence",),
    ),
    HomeQuestion(
        "bowel_feeling",
        "Not being able to feel when you open your bowels",
        ("loss_of_rectal_sensation",),
    ),
    HomeQuestion(
        "sexual_function",
        "New problems getting an erection or ejaculating, or less feeling in your genitals "
        "during sex",
        ("sexual_dysfunction",),
    ),
    HomeQuestion(
        "both_legs_weak",
        "Weakness in both legs",
        ("bilateral_leg_weakness",),
        _SPINE,
    ),
    HomeQuestion(
        "both_legs_pain",
        "Pain, numbness or tingling going down both legs",
        ("bilateral_radicular_pain",),
        _SPINE,
    ),
    HomeQuestion(
        "leg_weakness_worse",
        "Weakness in a leg that is getting worse",
        ("progressive_leg_weakness",),
    ),
    HomeQuestion(
        "foot_drop",
        "Your foot catching or slapping down when you walk, or not being able to lift the front "
        "of your foot",
        ("foot_drop",),
    ),
    HomeQuestion(
        "fever",
        "A high temperature, or feeling hot and shivery, with your back or neck pain",
        ("fever",),
    ),
    HomeQuestion(
        "weight_loss",
        "Losing weight without trying",
        ("unexplained_weight_loss",),
    ),
    HomeQuestion(
        "night_pain",
        "Pain at night that is getting worse or does not ease when you lie still",
        ("night_pain",),
    ),
    HomeQuestion(
        "hand_clumsiness",
        "New clumsiness of your hands, for example with buttons or writing",
        ("hand_clumsiness",),
        ("neck",),
    ),
    HomeQuestion(
        "hands_numb",
        "Numbness or tingling in both hands",
        ("bilateral_hand_numbness",),
        ("neck",),
    ),
    HomeQuestion(
        "walking_unsteady",
        "Walking becoming unsteady or more difficult",
        ("gait_disturbance",),
        ("neck",),
    ),
)
BY_CODE: Final = {q.code: q for q in HOME_QUESTIONS}


def questions_for(region: str) -> tuple[HomeQuestion, ...]:
    """The home red-flag questions shown for a spinal region, in the order shown."""
    return tuple(q for q in HOME_QUESTIONS if region in q.regions)


def findings_for(answered_yes: list[str] | tuple[str, ...]) -> list[str]:
    """Triage finding codes for the questions answered "yes" (unknown question codes refused)."""
    unknown = [c for c in answered_yes if c not in BY_CODE]
    if unknown:
        raise InvalidInput(
            f"unknown red-flag question {unknown[0]!r}; allowed: {', '.join(BY_CODE)}",
            field="red_flags",
        )
    return list(dict.fromkeys(f for c in answered_yes for f in BY_CODE[c].findings))
