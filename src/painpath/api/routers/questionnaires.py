"""/api/v1/questionnaire-responses: record a response (returns the Score), read one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from painpath.api.auth import patient_for_write, token_auth, user_of
from painpath.api.schemas.questionnaires import ResponseCreate, ResponsePublic
from painpath.apps.accounts.permissions import EDIT_CLINICAL
from painpath.apps.assessments import actions
from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.errors import ActionError
from painpath.apps.patients import selectors
from painpath.apps.patients.models import Alert

PREFIX = "/questionnaire-responses"
router = Router(tags=["questionnaires"], auth=token_auth)


def _public(response: QuestionnaireResponse, alert_ids: list[int]) -> dict[str, Any]:
    return {
        "id": response.pk,
        "patient_id": response.patient_id,
        "instrument": response.instrument,
        "answers": response.answers,
        "source": response.source,
        "completed_at": response.completed_at,
        "assessment_id": response.assessment_id,
        "score": {
            "instrument": response.instrument,
            "value": response.value,
            "band": response.band or None,
            "subscores": response.subscores,
            "flags": response.flags,
            "complete": response.complete,
        },
        "alert_ids": alert_ids,
    }


def _alert_ids(response: QuestionnaireResponse) -> list[int]:
    return list(
        Alert.objects.filter(
            source_type="questionnaire_response", source_id=str(response.pk)
        ).values_list("id", flat=True)
    )


@router.post("", response={201: ResponsePublic})
def record_response(request: HttpRequest, payload: ResponseCreate) -> Any:
    """Scores the answers with the clinical core; a positive PHQ-9 item 9 raises an urgent alert.

    A patient may submit their own responses with ``source: "home"``.
    """
    patient = patient_for_write(
        request, payload.patient_id, EDIT_CLINICAL, self_service=payload.source == "home"
    )
    assessment = None
    if payload.assessment_id is not None:
        assessment = Assessment.objects.filter(pk=payload.assessment_id).first()
        if assessment is None:
            raise ActionError({"assessment_id": f"no assessment with id {payload.assessment_id}"})
    response = actions.record_questionnaire(
        by=user_of(request),
        request=request,
        patient=patient,
        instrument=payload.instrument,
        answers=payload.answers,
        source=payload.source.value,
        completed_at=payload.completed_at,
        assessment=assessment,
    )
    flagged = "phq9_item9_positive" in response.flags
    return Status(201, _public(response, _alert_ids(response) if flagged else []))


@router.get("/{int:response_id}", response=ResponsePublic)
def read_response(request: HttpRequest, response_id: int) -> Any:
    response = get_object_or_404(QuestionnaireResponse, pk=response_id)
    selectors.get_patient_for(user_of(request), response.patient_id, request=request)
    return _public(response, _alert_ids(response))
