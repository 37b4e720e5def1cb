"""Starting and stopping follow-up plans: the sets, their windows and next actions (ADR 0077)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.followup import actions
from painpath.apps.followup.models import FollowUpLink, FollowUpPlan, FollowUpSet
from tests.factories import AssessmentFactory, PatientFactory, TreatmentFactory
from tests.factories.followup import start_plan

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def any_start(settings: Any) -> None:
    settings.PAINPATH_FOLLOWUP_START_WINDOW_DAYS = (4000, 4000)


def test_plan_is_creatable_with_just_a_patient() -> None:
    plan = FollowUpPlan.objects.create(patient=PatientFactory())
    assert plan.status == "active" and plan.region == "low_back" and plan.pain_measure == "nrs"
    assert plan.started_on == timezone.localdate()


def test_start_plan_makes_every_set_from_31_january(patient: Any, any_start: None) -> None:
    plan = start_plan(patient, started_on=D(2027, 1, 31))
    sets = list(plan.sets.order_by("due_on"))
    assert [(s.timepoint, s.due_on, s.closes_on) for s in sets[:6]] == [
        ("baseline", D(2027, 1, 31), D(2027, 2, 14)),
        ("2w", D(2027, 2, 14), D(2027, 2, 28)),
        ("1m", D(2027, 2, 28), D(2027, 3, 28)),
        ("3m", D(2027, 4, 30), D(2027, 5, 28)),
        ("6m", D(2027, 7, 31), D(2027, 8, 28)),
        ("12m", D(2028, 1, 31), D(2028, 2, 28)),
    ]
    assert sets[6].timepoint == "18m" and sets[-1].timepoint == "60m"
    assert all(s.status == "due" and s.patient_id == patient.pk for s in sets)
    assert sets[0].instruments == ["nrs", "sqs", "gad7", "phq9", "odi", "eq5d5l"]
    assert sets[1].instruments[-1] == "pgic" and sets[1].ask_side_effects
    assert not sets[0].ask_side_effects
    # Invitations at 09:00 local: GMT in January, BST in July.
    assert sets[0].next_action_at == dt.datetime(2027, 1, 31, 9, tzinfo=dt.UTC)
    assert sets[4].next_action_at == dt.datetime(2027, 7, 31, 8, tzinfo=dt.UTC)
    assert AuditEvent.objects.filter(object_type="followup_plan", action="create").exists()


def test_leap_year_and_neck_region(patient: Any, any_start: None) -> None:
    plan = start_plan(patient, started_on=D(2028, 1, 31), region="neck", pain_measure="bpi")
    by = {s.timepoint: s for s in plan.sets.all()}
    assert by["1m"].due_on == D(2028, 2, 29)
    assert by["3m"].instruments == ["bpi", "sqs", "gad7", "phq9", "ndi", "eq5d5l", "pgic"]


def test_region_defaults_to_the_latest_assessment(patient: Any) -> None:
    AssessmentFactory(patient=patient, region="neck")
    plan = start_plan(patient)
    assert plan.region == "neck"
    assert "ndi" in plan.sets.get(timepoint="baseline").instruments


def test_sets_whose_window_closed_are_not_created(patient: Any) -> None:
    plan = start_plan(patient, started_on=timezone.localdate() - dt.timedelta(days=20))
    assert not plan.sets.filter(timepoint="baseline").exists()
    assert plan.sets.order_by("due_on").first().timepoint == "2w"


def test_clinic_and_plan_schedule_settings(patient: Any, settings: Any) -> None:
    settings.PAINPATH_FOLLOWUP_SCHEDULE = {"horizon_months": 24, "repeat_every_months": 12}
    plan = start_plan(patient, schedule={"instruments": {"2w": ["nrs", "pgic"]}})
    assert [s.timepoint for s in plan.sets.order_by("due_on")] == [
        "baseline",
        "2w",
        "1m",
        "3m",
        "6m",
        "12m",
        "24m",
    ]
    assert plan.sets.get(timepoint="2w").instruments == ["nrs", "pgic"]
    assert plan.schedule["horizon_months"] == 24


BAD = [
    ({"started_on": "2020-01-01"}, "started_on"),
    ({"started_on": "31/01/2027"}, "started_on"),
    ({"region": "knee"}, "region"),
    ({"pain_measure": "vas"}, "pain_measure"),
    ({"schedule": {"horizon_months": 999}}, "schedule.horizon_months"),
]


@pytest.mark.parametrize(("kwargs", "field"), BAD)
def test_bad_input_names_the_field_and_saves_nothing(
    patient: Any, nurse: Any, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ActionError) as exc:
        actions.start_plan(by=nurse, patient=patient, **kwargs)
    assert field in exc.value.errors
    assert not FollowUpPlan.objects.exists() and not FollowUpSet.objects.exists()


def test_treatment_of_another_patient_is_refused(patient: Any, nurse: Any) -> None:
    other = TreatmentFactory()
    with pytest.raises(ActionError) as exc:
        actions.start_plan(by=nurse, patient=patient, treatment=other)
    assert exc.value.errors == {"treatment": "belongs to another patient"}


def test_one_active_plan_per_patient(patient: Any, nurse: Any) -> None:
    treatment = TreatmentFactory(patient=patient, category="cbpm")
    plan = actions.start_plan(by=nurse, patient=patient, treatment=treatment)
    assert plan.treatment == treatment
    with pytest.raises(ActionError) as exc:
        actions.start_plan(by=nurse, patient=patient)
    assert "already has an active follow-up plan" in exc.value.errors["plan"]
    actions.stop_plan(by=nurse, plan=plan)
    assert actions.start_plan(by=nurse, patient=patient).status == "active"


@pytest.mark.parametrize("role", ["admin", "researcher", "charity", "patient"])
def test_only_clinical_roles_start_plans(patient: Any, users: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDenied):
        actions.start_plan(by=users[role], patient=patient)
    assert not FollowUpPlan.objects.exists()


def test_stopping_cancels_open_sets_and_revokes_links(patient: Any, nurse: Any) -> None:
    plan = start_plan(patient)
    baseline = plan.sets.get(timepoint="baseline")
    message = actions.resend_link(by=nurse, followup_set=baseline)
    assert message.status == "sent"
    actions.stop_plan(by=nurse, plan=plan)
    assert set(plan.sets.values_list("status", flat=True)) == {"cancelled"}
    assert not plan.sets.filter(next_action_at__isnull=False).exists()
    link = FollowUpLink.objects.get(followup_set=baseline)
    assert link.revoke_reason == "closed" and link.revoked_at is not None
    with pytest.raises(ActionError):
        actions.stop_plan(by=nurse, plan=plan)
