"""URL x role rows for assessments (with the live triage) and questionnaire entry."""

from __future__ import annotations

from typing import Any

from tests.integration.web.url_matrix import CLINICAL, Row, World, page


def _pid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk}


def _assessment(w: World) -> Any:
    from tests.factories import AssessmentFactory

    return AssessmentFactory(patient=w["patient"])


def _response(w: World) -> Any:
    from tests.factories import ResponseFactory

    return ResponseFactory(patient=w["patient"], instrument="gad7", answers=[1] * 7, value=7,
                           band="mild")  # fmt: skip


BUILDERS = {"assessment": _assessment, "gad7_response": _response}
TRIAGE = ("triage",)
SIMPLE = {"region": "low_back", "duration_weeks": "20", "finding": ["night_pain"]}

ROWS = [
    Row("assessments:new", page(200, *CLINICAL), kwargs=_pid, needs=TRIAGE),
    Row(
        "assessments:new",
        page(302, *CLINICAL),
        kwargs=_pid,
        method="POST",
        data=lambda w: {**SIMPLE, "action": "save"},
        needs=TRIAGE,
        note="saved",
    ),
    Row(
        "assessments:new",
        page(422, *CLINICAL),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"region": "elbow", "action": "save"},
        needs=TRIAGE,
        note="refused",
    ),
    Row(
        "assessments:preview",
        page(200, *CLINICAL),
        kwargs=_pid,
        method="POST",
        data=lambda w: SIMPLE,
        needs=TRIAGE,
    ),
    Row("assessments:preview", page(405, *CLINICAL), kwargs=_pid, note="GET refused"),
    Row(
        "assessments:detail",
        page(200, *CLINICAL),
        kwargs=lambda w: {"assessment_id": w["assessment"].pk},
        needs=TRIAGE,
    ),
    Row(
        "assessments:detail",
        page(404, *CLINICAL),
        kwargs=lambda w: {"assessment_id": 999999},
        note="no such assessment",
    ),
    Row("assessments:questionnaire_choose", page(200, *CLINICAL), kwargs=_pid),
    Row(
        "assessments:questionnaire_new",
        page(200, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk, "code": "gad7"},
    ),
    Row(
        "assessments:questionnaire_new",
        page(404, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk, "code": "nosuch"},
        note="unknown code",
    ),
    Row(
        "assessments:questionnaire_new",
        page(302, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk, "code": "gad7"},
        method="POST",
        data=lambda w: {f"item_gad7_{i}": "1" for i in range(1, 8)},
        note="saved",
    ),
    Row(
        "assessments:questionnaire_new",
        page(422, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk, "code": "gad7"},
        method="POST",
        data=lambda w: {"item_gad7_1": "7"},
        note="refused",
    ),
    Row(
        "assessments:response",
        page(200, *CLINICAL),
        kwargs=lambda w: {"response_id": w["gad7_response"].pk},
    ),
]
