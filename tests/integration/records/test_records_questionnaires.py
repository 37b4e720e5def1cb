"""record_questionnaire: the core's Score stored with the answers; PHQ-9 item 9 alert; atomic."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from painpath.apps.assessments import actions
from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.patients.models import Alert
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_score_stored_with_answers(nurse: Any) -> None:
    patient = PatientFactory()
    r = actions.record_questionnaire(
        by=nurse, patient=patient, instrument="phq9", answers=[2, 2, 2, 2, 2, 1, 1, 1, 0]
    )
    r.refresh_from_db()
    assert (r.value, r.band, r.complete) == (13, "moderate", True)
    assert r.answers == [2, 2, 2, 2, 2, 1, 1, 1, 0] and r.flags == []
    assert r.recorded_by == nurse and r.source == "clinic"
    assert not Alert.objects.exists()
    assert AuditEvent.objects.filter(object_type="questionnaire_response").count() == 1


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_positive_raises_urgent_alert(nurse: Any, item9: int) -> None:
    """Kroenke 2001: any item 9 answer above 0 needs a same-day risk assessment."""
    patient = PatientFactory()
    r = actions.record_questionnaire(
        by=nurse, patient=patient, instrument="phq9", answers=[0, 0, 0, 0, 0, 0, 0, 0, item9]
    )
    assert "phq9_item9_positive" in r.flags
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity, alert.source_id) == (
        "phq9_item9_positive",
        "urgent",
        str(r.pk),
    )


def test_bad_answers_name_item_and_save_nothing(nurse: Any) -> None:
    patient = PatientFactory()
    with pytest.raises(ActionError) as err:
        actions.record_questionnaire(by=nurse, patient=patient, instrument="gad7", answers=[4] * 7)
    (field,) = err.value.errors
    assert field.startswith("answers")
    with pytest.raises(ActionError) as err:
        actions.record_questionnaire(by=nurse, patient=patient, instrument="nope", answers=[1])
    assert "instrument" in err.value.errors
    with pytest.raises(ActionError) as err:
        actions.record_questionnaire(
            by=nurse, patient=patient, instrument="nrs", answers=[3], source="post"
        )
    assert "source" in err.value.errors
    assert not QuestionnaireResponse.objects.exists() and not AuditEvent.objects.exists()


def test_alert_failure_rolls_back_response(nurse: Any, monkeypatch: Any) -> None:
    patient = PatientFactory()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("alert store unavailable")

    monkeypatch.setattr(actions, "raise_alert", broken)
    with pytest.raises(RuntimeError):
        actions.record_questionnaire(
            by=nurse, patient=patient, instrument="phq9", answers=[0] * 8 + [2]
        )
    assert not QuestionnaireResponse.objects.exists()
    assert not AuditEvent.objects.exists()


def test_roles(users: dict[str, Any]) -> None:
    patient = PatientFactory(user=users["patient"])
    for role in ("admin", "researcher", "charity"):
        with pytest.raises(PermissionDenied):
            actions.record_questionnaire(
                by=users[role], patient=patient, instrument="nrs", answers=[3]
            )
    # A patient may submit their own home questionnaire, not a clinic one.
    actions.record_questionnaire(
        by=users["patient"], patient=patient, instrument="nrs", answers=[3], source="home"
    )
    with pytest.raises(PermissionDenied):
        actions.record_questionnaire(
            by=users["patient"], patient=patient, instrument="nrs", answers=[3]
        )


def test_system_submission_without_user() -> None:
    patient = PatientFactory()
    r = actions.record_questionnaire(
        by=None, patient=patient, instrument="sqs", answers=[6], source="home"
    )
    assert r.recorded_by is None
    assert AuditEvent.objects.get(object_type="questionnaire_response").actor_label == "system"
