"""Reads of follow-up plans and sets: one indexed query per list, no query per row."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from painpath.apps.followup.models import (
    FollowUpDraft,
    FollowUpLink,
    FollowUpPlan,
    FollowUpSet,
    PlanStatus,
)
from painpath.apps.patients.models import Patient
from painpath.clinical.followup.states import OPEN


def active_plan(patient: Patient) -> FollowUpPlan | None:
    return (
        FollowUpPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE)
        .select_related("treatment")
        .first()
    )


def plans(patient: Patient) -> list[FollowUpPlan]:
    return list(
        FollowUpPlan.objects.filter(patient=patient)
        .select_related("treatment")
        .order_by("-started_on", "-id")
    )


def _with_draft(qs: QuerySet[FollowUpSet]) -> QuerySet[FollowUpSet]:
    return qs.annotate(has_draft=Exists(FollowUpDraft.objects.filter(followup_set=OuterRef("pk"))))


def patient_sets(patient: Patient) -> list[FollowUpSet]:
    """Every set of the patient in due order, each marked when a draft is waiting."""
    return list(_with_draft(FollowUpSet.objects.filter(patient=patient)).order_by("due_on", "id"))


def latest_links(sets: list[FollowUpSet]) -> dict[int, FollowUpLink]:
    """The newest link of each set (one query)."""
    out: dict[int, FollowUpLink] = {}
    for link in FollowUpLink.objects.filter(followup_set__in=sets).order_by(
        "followup_set_id", "created_at", "id"
    ):
        out[link.followup_set_id] = link
    return out


def answerable_sets(patient: Patient) -> list[FollowUpSet]:
    """The sets the patient can answer now (portal): open, due, window not closed."""
    today = timezone.localdate()
    qs = FollowUpSet.objects.filter(
        patient=patient, status__in=[s.value for s in OPEN], due_on__lte=today
    ).order_by("due_on", "id")
    return [s for s in _with_draft(qs) if today < s.window_closes_on]


def portal_patient(user: Any) -> Patient | None:
    return Patient.objects.filter(user=user).first() if user.is_authenticated else None
