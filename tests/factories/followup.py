"""Follow-up factories: plans through the real action (so sets and their schedule are real)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.factories import PatientFactory, UserFactory


def followup_nurse() -> Any:
    return UserFactory(username="fup-plan-nurse", role="nurse")


def patient_with_email(**kwargs: Any) -> Any:
    kwargs.setdefault("given_name", "Alex")
    kwargs.setdefault("email", f"patient{PatientFactory._meta.model.objects.count()}@example.org")
    return PatientFactory(**kwargs)


def start_plan(patient: Any, *, started_on: dt.date | None = None, **kwargs: Any) -> Any:
    """A plan started by a nurse with the action (all its sets, next actions scheduled)."""
    from painpath.apps.followup.actions import start_plan as start

    return start(
        by=followup_nurse(),
        patient=patient,
        started_on=started_on or timezone.localdate(),
        **kwargs,
    )
