"""review_followup_submission, record_adverse_event and grade_adverse_event on a real database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.outcomes.actions import (
    grade_adverse_event,
    record_adverse_event,
    review_followup_submission,
)
from painpath.apps.outcomes.models import AdverseEvent
from painpath.apps.patients.actions import acknowledge_alert
from painpath.apps.patients.models import Alert

pytestmark = pytest.mark.django_db


def review(patient: Any, **kw: Any) -> list[Alert]:
    args: dict[str, Any] = {"responses": [], "side_effects": [], "red_flag_findings": []}
    args.update(kw)
    return review_followup_submission(patient=patient, **args)


# --- adverse events ---------------------------------------------------------------------------


def test_side_effects_are_stored_awaiting_grading(patient: Any) -> None:
    alerts = review(
        patient,
        side_effects=[
            {"symptom": "dizziness", "severity": "mild"},
            {"symptom": "other", "severity": "moderate", "description": "itchy skin"},
        ],
        followup_set_id=42,
    )
    assert alerts == []
    events = list(AdverseEvent.objects.filter(patient=patient).order_by("id"))
    assert [(e.symptom, e.reported_severity, e.source) for e in events] == [
        ("dizziness", "mild", "home"),
        ("other", "moderate", "home"),
    ]
    assert all(e.graded_at is None and e.followup_set_id == 42 for e in events)
    assert AuditEvent.objects.filter(object_type="adverse_event", action="create").count() == 2


def test_patient_reported_severe_side_effect_raises_an_alert(patient: Any) -> None:
    alerts = review(patient, side_effects=[{"symptom": "confusion", "severity": "severe"}])
    assert [(a.kind, a.severity) for a in alerts] == [("severe_adverse_event", "urgent")]
    event = AdverseEvent.objects.get(patient=patient)
    assert alerts[0].source_type == "adverse_event" and alerts[0].source_id == str(event.pk)


@pytest.mark.parametrize(
    ("side_effects", "field"),
    [
        ([{"symptom": "headache", "severity": "mild"}], "side_effects[0].symptom"),
        ([{"symptom": "nausea", "severity": "awful"}], "side_effects[0].severity"),
        ([{"symptom": "other", "severity": "mild"}], "side_effects[0].description"),
        ([{"symptom": "nausea", "severity": "mild", "grade": 3}], "side_effects[0].grade"),
        (["nausea"], "side_effects[0]"),
        ("nausea", "side_effects"),
    ],
)
def test_bad_side_effects_name_the_field_and_save_nothing(
    patient: Any, side_effects: Any, field: str
) -> None:
    with pytest.raises(ActionError) as err:
        review(
            patient,
            side_effects=[{"symptom": "nausea", "severity": "severe"}, *side_effects]
            if isinstance(side_effects, list)
            else side_effects,
        )
    shifted = field.replace("[0]", "[1]") if isinstance(side_effects, list) else field
    assert shifted in err.value.errors
    assert not AdverseEvent.objects.exists() and not Alert.objects.exists()


def test_grading_records_who_and_when(patient: Any, nurse: Any) -> None:
    review(patient, side_effects=[{"symptom": "nausea", "severity": "mild"}])
    event = AdverseEvent.objects.get()
    grade_adverse_event(by=nurse, event=event, grade=1, serious=False, causality="possible")
    event.refresh_from_db()
    assert (event.grade, event.serious, event.causality) == (1, False, "possible")
    assert event.graded_by == nurse and event.graded_at is not None
    assert not Alert.objects.exists()
    assert AuditEvent.objects.filter(object_type="adverse_event", action="update").count() == 1


@pytest.mark.parametrize(("grade", "serious"), [(3, False), (2, True), (4, True)])
def test_grade_3_or_serious_raises_one_severe_alert(
    patient: Any, nurse: Any, grade: int, serious: bool
) -> None:
    review(patient, side_effects=[{"symptom": "palpitations", "severity": "moderate"}])
    event = AdverseEvent.objects.get()
    grade_adverse_event(by=nurse, event=event, grade=grade, serious=serious, causality="probable")
    grade_adverse_event(by=nurse, event=event, grade=grade, serious=True, causality="probable")
    assert list(Alert.objects.values_list("kind", flat=True)) == ["severe_adverse_event"]


def test_grade_5_must_be_serious(patient: Any, nurse: Any) -> None:
    review(patient, side_effects=[{"symptom": "confusion", "severity": "severe"}])
    event = AdverseEvent.objects.get()
    with pytest.raises(ActionError) as err:
        grade_adverse_event(by=nurse, event=event, grade=5, serious=False, causality="possible")
    assert "serious" in err.value.errors
    event.refresh_from_db()
    assert event.graded_at is None


@pytest.mark.parametrize(
    ("grade", "serious", "causality", "field"),
    [
        (0, False, "possible", "grade"),
        (6, False, "possible", "grade"),
        ("x", False, "possible", "grade"),
        (True, False, "possible", "grade"),
        (2, "maybe", "possible", "serious"),
        (2, False, "likely", "causality"),
    ],
)
def test_bad_grading_names_the_field(
    patient: Any, nurse: Any, grade: Any, serious: Any, causality: Any, field: str
) -> None:
    review(patient, side_effects=[{"symptom": "nausea", "severity": "mild"}])
    event = AdverseEvent.objects.get()
    with pytest.raises(ActionError) as err:
        grade_adverse_event(
            by=nurse, event=event, grade=grade, serious=serious, causality=causality
        )
    assert field in err.value.errors


def test_only_clinical_roles_grade(patient: Any, users: dict[str, Any]) -> None:
    review(patient, side_effects=[{"symptom": "nausea", "severity": "mild"}])
    event = AdverseEvent.objects.get()
    for role in ("admin", "researcher", "charity", "patient"):
        with pytest.raises(PermissionDenied):
            grade_adverse_event(
                by=users[role], event=event, grade=1, serious=False, causality="possible"
            )
    grade_adverse_event(
        by=users["prescriber"], event=event, grade=1, serious=False, causality="possible"
    )


def test_database_refuses_half_graded_and_unserious_death(patient: Any, nurse: Any) -> None:
    review(patient, side_effects=[{"symptom": "nausea", "severity": "mild"}])
    qs = AdverseEvent.objects.all()
    with pytest.raises(IntegrityError), transaction.atomic():
        qs.update(grade=2, serious=False, causality="possible")  # no graded_at/by
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        qs.update(
            grade=5, serious=False, causality="possible", graded_by=nurse, graded_at=timezone.now()
        )


def test_record_adverse_event_in_clinic(patient: Any, nurse: Any) -> None:
    event = record_adverse_event(by=nurse, patient=patient, symptom="drowsiness", severity="severe")
    assert event.source == "clinic"
    assert Alert.objects.get().kind == "severe_adverse_event"
    with pytest.raises(ActionError) as err:
        record_adverse_event(by=nurse, patient=patient, symptom="hiccups", severity="mild")
    assert "symptom" in err.value.errors


# --- deterioration ----------------------------------------------------------------------------


def test_deterioration_beyond_mcid_vs_baseline_raises_alert(patient: Any, respond: Any) -> None:
    respond(patient, "nrs", [4], days_ago=90)  # baseline
    respond(patient, "nrs", [3], days_ago=30)
    later = respond(patient, "nrs", [6])  # +2 vs baseline = NRS MCID (Farrar 2001)
    alerts = review(patient, responses=[later])
    assert [(a.kind, a.severity) for a in alerts] == [("deterioration", "soon")]
    assert "4 on" in alerts[0].message and "-> 6" in alerts[0].message
    assert alerts[0].source_id == str(later.pk)


def test_no_alert_below_mcid_or_when_improved_or_without_baseline(
    patient: Any, respond: Any
) -> None:
    first = respond(patient, "phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], days_ago=60)  # 5
    assert review(patient, responses=[first]) == []  # no baseline before it
    worse4 = respond(patient, "phq9", [2, 2, 1, 1, 1, 1, 1, 0, 0])  # 9: +4 < 5 (Lowe 2004)
    better = respond(patient, "gad7", [0, 0, 0, 0, 0, 0, 0])
    assert review(patient, responses=[worse4, better]) == []


def test_bpi_deterioration_uses_interference(patient: Any, respond: Any) -> None:
    respond(patient, "bpi", [5, 5, 5, 5, 2, 2, 2, 2, 2, 2, 2], days_ago=30)
    later = respond(patient, "bpi", [5, 5, 5, 5, 3, 3, 3, 3, 3, 3, 3])  # interference +1
    alerts = review(patient, responses=[later])
    assert [a.kind for a in alerts] == ["deterioration"]
    assert "interference" in alerts[0].message


def test_responses_of_another_patient_are_refused(patient: Any, respond: Any) -> None:
    from tests.factories import PatientFactory

    other = respond(PatientFactory(), "nrs", [5])
    with pytest.raises(ActionError) as err:
        review(patient, responses=[other], side_effects=[{"symptom": "nausea", "severity": "mild"}])
    assert "responses[0]" in err.value.errors
    assert not AdverseEvent.objects.exists()


def test_alerts_stay_open_until_acknowledged_audited(patient: Any, nurse: Any) -> None:
    from painpath.apps.outcomes.selectors import open_alerts

    (alert,) = review(patient, side_effects=[{"symptom": "nausea", "severity": "severe"}])
    assert [a.pk for a in open_alerts()] == [alert.pk]
    acknowledge_alert(by=nurse, alert=alert, note="phoned patient")
    assert open_alerts() == []
    assert AuditEvent.objects.filter(object_type="alert", action="update").exists()


# --- red flags (graded by the triage core) ----------------------------------------------------


def test_home_red_flag_gets_triage_urgency(patient: Any) -> None:
    (alert,) = review(patient, red_flag_findings=["saddle_anaesthesia"], followup_set_id=7)
    # GIRFT 2023: new saddle anaesthesia = suspected cauda equina, emergency.
    assert (alert.kind, alert.severity) == ("red_flag", "emergency")
    assert alert.source_type == "followup_set" and alert.source_id == "7"


def test_home_red_flag_graded_with_known_history(patient: Any, nurse: Any) -> None:
    from painpath.apps.assessments.actions import record_assessment

    record_assessment(
        by=nurse,
        patient=patient,
        data={"region": "low_back", "duration_weeks": 30, "findings": ["history_of_cancer"]},
    )
    (alert,) = review(patient, red_flag_findings=["progressive_leg_weakness"])
    # NICE NG234: cancer history + new neurological finding = suspected MSCC, emergency.
    assert alert.severity == "emergency"


def test_unknown_red_flag_code_is_refused(patient: Any) -> None:
    with pytest.raises(ActionError) as err:
        review(patient, red_flag_findings=["saddle_numbness"])
    assert "red_flag_findings" in err.value.errors
    assert not Alert.objects.exists()
