"""Dashboard selectors over the follow-up sets: completion, overdue, at risk, no N+1.

Sets are created with the fields the dashboard reads (patient, timepoint, due_on, status,
reminders_sent; ADR 0076), in one plan per patient.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.apps.followup.models import FollowUpPlan, FollowUpSet
from painpath.apps.outcomes import selectors
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def make_set(patient: Any, timepoint: str, due_on: dt.date, status: str, reminders: int = 0) -> Any:
    plan = FollowUpPlan.objects.filter(patient=patient).first()
    return FollowUpSet.objects.create(
        plan=plan or FollowUpPlan.objects.create(patient=patient),
        patient=patient,
        timepoint=timepoint,
        due_on=due_on,
        status=status,
        reminders_sent=reminders,
        # The database pairs completed_at with "completed".
        completed_at=timezone.now() if status == "completed" else None,
    )


def d(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def test_completion_counts_sets_due_so_far() -> None:
    a, b, c = PatientFactory(), PatientFactory(), PatientFactory()
    make_set(a, "baseline", d(-100), "completed")
    make_set(b, "baseline", d(-90), "completed")
    make_set(c, "baseline", d(-80), "missed")
    make_set(a, "2w", d(-86), "completed")
    make_set(b, "2w", d(-3), "sent")
    make_set(a, "1m", d(10), "due")  # not due yet: not counted
    rows = {r.timepoint: (r.due, r.completed) for r in selectors.compute_completion(TODAY)}
    assert rows == {"baseline": (3, 2), "2w": (2, 1)}


def test_completion_table_is_materialised_and_refreshed_when_stale() -> None:
    p = PatientFactory()
    make_set(p, "baseline", timezone.localdate() - dt.timedelta(days=1), "completed")
    first = selectors.completion_by_timepoint()
    assert [(r.timepoint, r.due, r.completed) for r in first] == [("baseline", 1, 1)]
    make_set(PatientFactory(), "baseline", timezone.localdate(), "sent")
    cached = selectors.completion_by_timepoint(max_age=dt.timedelta(hours=1))
    assert [(r.due, r.completed) for r in cached] == [(1, 1)]
    fresh = selectors.completion_by_timepoint(max_age=dt.timedelta(0))
    assert [(r.due, r.completed) for r in fresh] == [(2, 1)]


def test_overdue_lists_open_sets_past_due_oldest_first() -> None:
    a, b = PatientFactory(), PatientFactory()
    late = make_set(a, "3m", d(-20), "reminded", 1)
    later = make_set(b, "3m", d(-2), "sent")
    make_set(a, "6m", d(5), "sent")  # not yet due
    make_set(b, "1m", d(-60), "completed")
    make_set(b, "2w", d(-70), "missed")
    assert [s.pk for s in selectors.overdue_sets(TODAY)] == [late.pk, later.pk]


def test_at_risk_missed_last_set_or_two_reminders() -> None:
    missed_last, recovered, reminded2, reminded1 = (PatientFactory() for _ in range(4))
    make_set(missed_last, "1m", d(-60), "completed")
    make_set(missed_last, "3m", d(-10), "missed")
    make_set(recovered, "1m", d(-60), "missed")
    make_set(recovered, "3m", d(-10), "completed")
    make_set(reminded2, "3m", d(-10), "reminded", 2)
    make_set(reminded1, "3m", d(-10), "reminded", 1)
    got = {s.patient_id: s.risk_reason for s in selectors.at_risk_sets()}
    assert got == {
        missed_last.pk: "missed the last follow-up set",
        reminded2.pk: "2 reminders unanswered",
    }


def test_lists_do_not_query_per_row(django_assert_num_queries: Any) -> None:
    for i in range(12):
        p = PatientFactory()
        make_set(p, "3m", d(-i - 1), "reminded", 2)
        make_set(p, "1m", d(-i - 40), "missed")
    with django_assert_num_queries(2):  # one per open status, whatever the number of rows
        rows = selectors.overdue_sets(TODAY)
        _ = [s.patient.full_name for s in rows]
    with django_assert_num_queries(2):
        rows = selectors.at_risk_sets()
        _ = [s.patient.full_name for s in rows]


def test_dashboard_page_shows_overdue_and_at_risk(logged_in: Any) -> None:
    p = PatientFactory(given_name="Overdue", family_name="Person")
    make_set(p, "3m", timezone.localdate() - dt.timedelta(days=9), "reminded", 2)
    html = logged_in("nurse").get(reverse("outcomes:dashboard")).content.decode()
    assert html.count("Overdue Person") == 2  # overdue and at risk
    assert "2 reminders unanswered" in html
