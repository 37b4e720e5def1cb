"""The scheduler in one process: what is sent when (local time across clock changes), reminders,
the final reminder, missed sets, idempotent runs, leases and failures (ADRs 0077, 0079)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail

from painpath.apps.followup import actions, scheduler
from painpath.apps.followup.models import (
    FollowUpLink,
    FollowUpSet,
    OutboundMessage,
    SchedulerRun,
)
from painpath.apps.outcomes.models import CompletionSummary
from tests.factories.followup import patient_with_email, start_plan

pytestmark = pytest.mark.django_db
D = dt.date
UTC = dt.UTC


@pytest.fixture(autouse=True)
def any_start(settings: Any) -> None:
    settings.PAINPATH_FOLLOWUP_START_WINDOW_DAYS = (4000, 4000)


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=UTC)


def run(now: dt.datetime) -> scheduler.RunResult:
    return scheduler.run_once(now=now)


def links_in(messages: list[Any]) -> list[str]:
    return [re.search(r"https?://\S+/f/\S+/", m.body).group(0) for m in messages]


def test_invitation_at_nine_local_on_the_spring_forward_day(patient: Any) -> None:
    start_plan(patient, started_on=D(2027, 3, 28))  # BST starts 28 March 2027
    assert run(at(2027, 3, 28, 7, 59)).invitations == 0
    assert mail.outbox == []
    result = run(at(2027, 3, 28, 8, 0))  # 09:00 BST
    assert (result.invitations, result.sent) == (1, 1)
    (email,) = mail.outbox
    assert email.to == [patient.email]
    s = FollowUpSet.objects.get(timepoint="baseline")
    assert (s.status, s.sent_on) == ("sent", D(2027, 3, 28))
    # First reminder 3 days later, still at 09:00 local (08:00 UTC in summer).
    assert s.next_action_at == at(2027, 3, 31, 8)


def test_invitation_at_nine_local_on_the_fall_back_day(patient: Any) -> None:
    start_plan(patient, started_on=D(2027, 10, 31))  # BST ends 31 October 2027
    assert run(at(2027, 10, 31, 8, 59)).invitations == 0
    assert run(at(2027, 10, 31, 9, 0)).invitations == 1


def test_reminders_across_the_clock_change_keep_nine_local(patient: Any) -> None:
    start_plan(patient, started_on=D(2027, 3, 25))
    run(at(2027, 3, 25, 9))
    s = FollowUpSet.objects.get(timepoint="baseline")
    assert s.next_action_at == at(2027, 3, 28, 8)  # 28 Mar is BST: 09:00 local = 08:00 UTC


def test_full_life_of_an_unanswered_set_across_a_month_end(patient: Any) -> None:
    """Baseline on 31 January: invitation, reminders on day 3 and 7, the final reminder brought
    forward to the window's last day (13 Feb), missed when it closes (14 Feb)."""
    start_plan(patient, started_on=D(2027, 1, 31))
    steps = [
        (at(2027, 1, 31, 9), "sent", 0, "Your follow-up questions"),
        (at(2027, 2, 3, 9), "reminded", 1, "Reminder: your follow-up questions"),
        (at(2027, 2, 7, 9), "reminded", 2, "Reminder: your follow-up questions"),
        (at(2027, 2, 13, 9), "reminded", 3, "Last reminder: your follow-up questions"),
    ]
    for now, status, reminders, subject in steps:
        before = len(mail.outbox)
        run(now)
        s = FollowUpSet.objects.get(timepoint="baseline")
        assert (s.status, s.reminders_sent) == (status, reminders), now
        assert len(mail.outbox) == before + 1 and mail.outbox[-1].subject.startswith(subject)
    # Every email of the set carries the same link (derived token, ADR 0078).
    assert len(set(links_in(mail.outbox))) == 1
    run(at(2027, 2, 13, 23, 59))
    assert FollowUpSet.objects.get(timepoint="baseline").status == "reminded"
    result = run(at(2027, 2, 14, 0, 0))  # local midnight that ends the window
    s = FollowUpSet.objects.get(timepoint="baseline")
    assert (result.missed, s.status, s.next_action_at) == (1, "missed", None)
    # The 2-week set, due 14 Feb, is invited at 09:00 that day.
    assert FollowUpSet.objects.get(timepoint="2w").status == "due"
    run(at(2027, 2, 14, 9))
    assert FollowUpSet.objects.get(timepoint="2w").status == "sent"


def test_a_run_twice_at_the_same_moment_sends_nothing_twice(patient: Any) -> None:
    start_plan(patient, started_on=D(2027, 5, 3))
    now = at(2027, 5, 3, 10)
    assert run(now).sent == 1
    assert run(now).sent == 0 and run(now).invitations == 0
    assert len(mail.outbox) == 1
    assert OutboundMessage.objects.get().key == (
        f"set:{FollowUpSet.objects.get(timepoint='baseline').pk}:invitation:0"
    )


def test_after_an_outage_reminders_follow_one_a_day_and_never_after_the_window() -> None:
    p = patient_with_email()
    start_plan(p, started_on=D(2027, 5, 3))
    run(at(2027, 5, 3, 9))
    run(at(2027, 5, 12, 9))  # scheduler down from 4 to 12 May: one reminder, not two
    s = FollowUpSet.objects.get(patient=p, timepoint="baseline")
    assert s.reminders_sent == 1 and len(mail.outbox) == 2
    assert s.next_action_at == at(2027, 5, 13, 8)  # the next one tomorrow, 09:00 BST
    result = run(at(2027, 5, 20, 9))  # down again past the window (closed 17 May)
    s.refresh_from_db()
    assert (result.reminders, result.missed, s.status) == (0, 1, "missed")
    assert OutboundMessage.objects.filter(followup_set=s).count() == 2
    assert result.invitations == 1  # the 2-week set, due 17 May, is still in its window


def test_patient_without_email_is_not_sent_and_missed_at_window_close() -> None:
    p = patient_with_email(email="")
    start_plan(p, started_on=D(2027, 5, 3))
    assert run(at(2027, 5, 3, 10)).invitations == 0
    assert mail.outbox == []
    assert FollowUpSet.objects.get(patient=p, timepoint="baseline").status == "due"
    run(at(2027, 5, 17, 0))
    assert FollowUpSet.objects.get(patient=p, timepoint="baseline").status == "missed"


def test_withdrawn_link_stops_reminders(patient: Any, nurse: Any) -> None:
    start_plan(patient, started_on=D(2027, 5, 3))
    run(at(2027, 5, 3, 10))
    s = FollowUpSet.objects.get(timepoint="baseline")
    actions.revoke_link(by=nurse, followup_set=s)
    assert run(at(2027, 5, 6, 10)).reminders == 0
    assert len(mail.outbox) == 1


def test_message_no_longer_needed_is_abandoned_unsent(patient: Any) -> None:
    start_plan(patient, started_on=D(2027, 5, 3))
    worker = "test-worker"
    claimed = scheduler._claim_due(at(2027, 5, 3, 10), worker, 10, scheduler.RunResult())
    assert claimed and OutboundMessage.objects.get().status == "claimed"
    FollowUpSet.objects.filter(timepoint="baseline").update(status="cancelled")
    result = scheduler.deliver(claimed, worker=worker)
    assert (result.sent, result.abandoned) == (0, 1)
    m = OutboundMessage.objects.get()
    assert (m.status, m.outcome) == ("abandoned", "set cancelled")
    assert mail.outbox == []


def test_expired_claim_of_a_killed_worker_is_retried_once(patient: Any, settings: Any) -> None:
    start_plan(patient, started_on=D(2027, 5, 3))
    settings.PAINPATH_FOLLOWUP_LEASE_SECONDS = 3600
    scheduler._claim_due(at(2027, 5, 3, 10), "killed-worker", 10, scheduler.RunResult())
    # Another worker while the lease holds: nothing to send, nothing retried.
    assert run(at(2027, 5, 3, 10)).retried == 0 and mail.outbox == []
    OutboundMessage.objects.update(lease_until=at(2000, 1, 1))  # the lease ran out
    result = run(at(2027, 5, 3, 10))
    assert (result.retried, result.sent) == (1, 1)
    m = OutboundMessage.objects.get()
    assert (m.status, m.attempts) == ("sent", 2) and m.claimed_by != "killed-worker"
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"] == m.message_id
    assert run(at(2027, 5, 3, 10)).sent == 0


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        raise ConnectionRefusedError("mail server down")


def test_backend_failure_keeps_the_claim_for_a_later_retry(patient: Any, settings: Any) -> None:
    start_plan(patient, started_on=D(2027, 5, 3))
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    result = run(at(2027, 5, 3, 10))
    assert (result.invitations, result.sent, result.failed) == (1, 0, 1)
    m = OutboundMessage.objects.get()
    assert (m.status, m.outcome) == ("claimed", "ConnectionRefusedError")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundMessage.objects.update(lease_until=at(2000, 1, 1))
    assert run(at(2027, 5, 3, 10)).sent == 1
    assert len(mail.outbox) == 1


def test_each_run_is_recorded_and_refreshes_the_completion_table(patient: Any) -> None:
    start_plan(patient, started_on=D(2027, 5, 3))
    run(at(2027, 5, 3, 10))
    r = SchedulerRun.objects.get()
    assert (r.invitations, r.sent, r.error) == (1, 1, "") and r.finished_at is not None
    assert [(c.timepoint, c.due, c.completed) for c in CompletionSummary.objects.all()] == [
        ("baseline", 1, 0)
    ]


def test_email_holds_first_name_and_link_only(patient: Any) -> None:
    start_plan(patient, started_on=D(2027, 5, 3))
    run(at(2027, 5, 3, 10))
    (email,) = mail.outbox
    html = email.alternatives[0][0]
    for text in (email.body, html, email.subject):
        text = re.sub(r"/f/[^/\s\"]+/", "/f/TOKEN/", text)  # a random token may spell "phq"
        assert patient.family_name not in text and patient.nhs_number not in text
        for clinical in ("PHQ", "GAD", "cannabis", "depress", "pain score"):
            assert clinical.lower() not in text.lower()
    assert email.body.startswith("Hello Robin,") and "Jo" not in email.body.split(",")[0]
    assert "/f/" in html and 'lang="en"' in html
    link = FollowUpLink.objects.get()
    token = links_in([email])[0].rsplit("/f/", 1)[1].strip("/")
    assert link.nonce not in token and token.split(":")[0] not in str(link.__dict__)
