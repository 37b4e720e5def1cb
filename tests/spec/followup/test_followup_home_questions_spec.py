"""Home red-flag questions map to the triage vocabulary (CLINICAL.md section 3; ADR 0071).

Every cauda equina finding of the GIRFT pathway is asked in every region; neck myelopathy
questions only for the neck. A "yes" becomes the finding code the triage core grades.
"""

from __future__ import annotations

import pytest

from painpath.clinical.errors import InvalidInput
from painpath.clinical.followup import HOME_QUESTIONS, findings_for, questions_for

CES = {
    "urinary_difficulty",
    "urinary_retention",
    "urinary_incontinence",
    "saddle_anaesthesia",
    "loss_of_rectal_sensation",
    "faecal_incontinence",
}


def test_every_question_reports_known_triage_findings() -> None:
    from painpath.clinical import triage

    codes = {f for q in HOME_QUESTIONS for f in q.findings}
    assert codes <= set(triage.FINDINGS)


@pytest.mark.parametrize("region", ["low_back", "neck", "thoracic"])
def test_cauda_equina_symptoms_are_asked_in_every_region(region: str) -> None:
    asked = {f for q in questions_for(region) for f in q.findings}
    assert asked >= CES


def test_myelopathy_questions_only_for_the_neck() -> None:
    neck_only = {"hand_clumsiness", "bilateral_hand_numbness", "gait_disturbance"}
    assert neck_only <= {f for q in questions_for("neck") for f in q.findings}
    assert not neck_only & {f for q in questions_for("low_back") for f in q.findings}


def test_yes_answers_become_finding_codes_once() -> None:
    assert findings_for(["saddle_numbness", "foot_drop", "saddle_numbness"]) == [
        "saddle_anaesthesia",
        "foot_drop",
    ]
    with pytest.raises(InvalidInput) as exc:
        findings_for(["saddle_numbness", "headache"])
    assert exc.value.field == "red_flags" and "'headache'" in str(exc.value)


def test_questions_are_plain_language_without_codes() -> None:
    for q in HOME_QUESTIONS:
        assert "_" not in q.text and len(q.text) <= 160
