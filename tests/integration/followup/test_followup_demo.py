"""The demo follow-up seed: plausible plans and sets, live links that open, invitations to send."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from painpath.apps.followup import actions, scheduler, tokens
from painpath.apps.followup.demo import seed_followup
from painpath.apps.followup.models import FollowUpLink, FollowUpPlan, FollowUpSet
from tests.factories.followup import patient_with_email

pytestmark = pytest.mark.django_db


def test_demo_plans_in_plausible_states(client: Any) -> None:
    patients = [patient_with_email() for _ in range(30)]
    summary = seed_followup(patients)
    assert summary.startswith("30 plans") and "live links" in summary
    today = timezone.localdate()
    sets = list(FollowUpSet.objects.all())
    assert {s.status for s in sets} >= {"completed", "missed", "due"}
    assert all(s.closes_on > today for s in sets if s.status in ("due", "sent", "reminded"))
    assert all(s.closes_on <= today for s in sets if s.status in ("completed", "missed"))
    assert all(s.completed_at for s in sets if s.status == "completed")
    link = FollowUpLink.objects.select_related("followup_set").first()
    assert link is not None and link.followup_set.status in ("sent", "reminded")
    assert client.get(f"/f/{tokens.url_token(link.nonce)}/").status_code == 200
    assert seed_followup(patients).startswith("0 plans")  # idempotent
    result = scheduler.run_once(now=max(timezone.now(), actions.at_send_time(today)))
    starting_today = FollowUpPlan.objects.filter(started_on=today).count()
    assert result.failed == 0 and result.invitations >= starting_today
