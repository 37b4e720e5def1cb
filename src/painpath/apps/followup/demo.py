"""Demo follow-up plans (synthetic patients only), called by ``painpath demo-data``.

Most demo patients get a plan started up to 14 months ago, with its sets in plausible states:
answered ones completed (completion falling with time, as in UK registries), unanswered past
ones missed, the current one sent or reminded with a live link, future ones due. A few plans
start today, so ``painpath run-scheduler --once`` has invitations to send (to var/mail).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

#: Share of demo patients whose plan starts today (invitations for the scheduler to send).
STARTING_TODAY = 0.1


@transaction.atomic
def seed_followup(patients: Sequence[Any], *, seed: int | None = 5) -> str:
    """Plans and sets for ``patients`` that have none; returns a one-line summary."""
    from painpath.apps.followup import actions
    from painpath.apps.followup.models import FollowUpLink, FollowUpPlan, FollowUpSet
    from painpath.clinical.followup import schedule_sets

    rng = random.Random(seed)
    today = timezone.localdate()
    plans = sets = live = 0
    for p in patients:
        if FollowUpPlan.objects.filter(patient=p).exists():
            continue
        region = actions.default_region(p)
        start = (
            today if rng.random() < STARTING_TODAY else today - dt.timedelta(rng.randint(20, 420))
        )
        plan = FollowUpPlan.objects.create(patient=p, started_on=start, region=region)
        plans += 1
        rows = []
        for i, planned in enumerate(schedule_sets(start, region=region)):
            s = actions.planned_set(plan, planned)
            if planned.closes_on <= today:
                done = rng.random() < 0.9 - 0.07 * min(i, 6)
                s.status = "completed" if done else "missed"
                s.sent_on = s.last_message_on = planned.due_on
                s.reminders_sent = 0 if done else 3
                if done:
                    s.completed_at = actions.at_send_time(planned.due_on) + dt.timedelta(days=1)
            elif planned.due_on <= today and start != today:
                s.status = "sent"
                s.sent_on = s.last_message_on = planned.due_on
                reminders = rng.randint(0, 2)
                if reminders:
                    s.status, s.reminders_sent = "reminded", reminders
            s.next_action_at = actions.next_action_at(s, today=today, can_send=bool(p.email))
            rows.append(s)
        FollowUpSet.objects.bulk_create(rows)
        sets += len(rows)
        for s in rows:
            if s.status in ("sent", "reminded"):
                FollowUpLink.objects.create(**actions.link_fields(s))
                live += 1
    return (
        f"{plans} plans, {sets} sets, {live} live links; "
        "`painpath run-scheduler --once` sends the invitations due (file backend: var/mail)"
    )
