"""The follow-up scheduler: invitations, reminders and missed sets, each email exactly once.

ADR 0079. A run has two phases, repeated in batches until nothing is due:

1. **Claim** (one short transaction per batch): the sets whose ``next_action_at`` has come are
   locked (PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``, so two workers take different sets;
   SQLite's IMMEDIATE transactions serialise writers), moved by the pure state machine (send,
   remind, miss), rescheduled, and each email to send becomes an outbox row with a unique
   idempotency key (set, kind, number) claimed by this worker under a lease. Commit.
2. **Deliver**: each claimed row is sent through Django's email backend and then marked sent
   (a conditional update that only the lease holder can make). A message no longer needed (set
   answered, link withdrawn) is abandoned unsent.

A worker killed after claiming leaves rows whose lease runs out; any later run re-claims them
(a conditional update: one winner) and sends them, with the same link (tokens are derived, ADR
0078) and the same Message-ID. The only window in which a copy can be sent twice is between the
mail server accepting a message and the "sent" update committing (microseconds; the duplicate
carries the same Message-ID, so receivers can drop it). Nothing here logs patient data.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from painpath.apps.followup import conf, emails
from painpath.apps.followup.actions import (
    action_instant,
    current_link,
    link_fields,
    link_url,
    local_date,
    next_action_at,
    set_next_action,
)
from painpath.apps.followup.models import (
    FollowUpLink,
    FollowUpSet,
    MessageKind,
    MessageStatus,
    OutboundMessage,
    SchedulerRun,
)
from painpath.clinical.followup.states import SetEvent, transition

log = logging.getLogger(__name__)

BATCH = 200
#: Attempts at one message before it is abandoned (each after a lease ran out or a send failed).
MAX_ATTEMPTS = 5


def message_key(set_id: int, kind: str, number: int) -> str:
    """The idempotency key of one email: unique in the outbox (ADR 0079)."""
    return f"set:{set_id}:{kind}:{number}"


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class RunResult:
    invitations: int = 0
    reminders: int = 0
    missed: int = 0
    sent: int = 0
    retried: int = 0
    abandoned: int = 0
    failed: int = 0

    def add(self, other: RunResult) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def summary(self) -> str:
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self))


def run_once(
    *, now: timezone.datetime | None = None, worker: str | None = None, batch: int = BATCH
) -> RunResult:
    """One scheduler run: claim and deliver everything due at ``now``, retry expired claims,
    then refresh the dashboard's completion table. ``now`` decides what is due (tests pass a
    clock); leases always use the real clock (they are about live processes)."""
    from painpath.apps.outcomes.selectors import refresh_completion_summary

    now = now or timezone.now()
    worker = worker or worker_id()
    result = RunResult()
    run = SchedulerRun.objects.create(worker=worker, started_at=timezone.now())
    try:
        while (claimed := _claim_due(now, worker, batch, result)) is not None:
            deliver(claimed, worker=worker, result=result)
        while claimed := _reclaim_expired(worker, batch, result):
            deliver(claimed, worker=worker, result=result)
        refresh_completion_summary(local_date(now))
    except Exception as exc:
        run.error = type(exc).__name__
        raise
    finally:
        for f in fields(result):
            setattr(run, f.name, getattr(result, f.name))
        run.finished_at = timezone.now()
        run.save()
    return result


def _queue(now: timezone.datetime, batch: int) -> list[FollowUpSet]:
    qs = (
        FollowUpSet.objects.filter(next_action_at__lte=now)
        .select_related("patient")
        .order_by("next_action_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:batch])


def _claim_due(
    now: timezone.datetime, worker: str, batch: int, result: RunResult
) -> list[int] | None:
    """Move one batch of due sets and claim their emails; None when nothing was due."""
    today = local_date(now)
    policy = conf.reminder_policy()
    with transaction.atomic():
        sets = _queue(now, batch)
        if not sets:
            return None
        live = {
            link.followup_set_id: link
            for link in FollowUpLink.objects.filter(
                followup_set__in=sets, used_at__isnull=True, revoked_at__isnull=True
            )
        }
        links: list[FollowUpLink] = []
        outbox: list[tuple[FollowUpSet, FollowUpLink, str, int]] = []
        for s in sets:
            can_send = bool(s.patient.email)
            action = set_next_action(s, today=today, can_send=can_send, policy=policy)
            if action is None:
                s.next_action_at = None
                continue
            when = action_instant(action)
            if when > now:  # not yet (the set was rescheduled since it was queued)
                s.next_action_at = when
                continue
            if action.event == SetEvent.SEND:
                link = FollowUpLink(**link_fields(s))
                links.append(link)
                s.sent_on = today
                outbox.append((s, link, MessageKind.INVITATION, 0))
                result.invitations += 1
            elif action.event == SetEvent.REMIND:
                link = live.get(s.pk)
                if link is None or link.state(now) != "live":
                    # The clinic withdrew the link: no reminders until it sends a new one.
                    s.next_action_at = None
                    continue
                s.reminders_sent = action.reminder
                kind = MessageKind.FINAL_REMINDER if action.final else MessageKind.REMINDER
                outbox.append((s, link, kind, action.reminder))
                result.reminders += 1
            else:
                result.missed += 1
            s.status = transition(s.status, action.event)
            if action.event != SetEvent.MISS:
                s.last_message_on = today
            s.next_action_at = next_action_at(s, today=today, can_send=can_send)
        FollowUpLink.objects.bulk_create(links)
        lease_until = timezone.now() + conf.lease()
        messages = OutboundMessage.objects.bulk_create(
            OutboundMessage(
                followup_set=s,
                link=link,
                kind=kind,
                number=number,
                key=message_key(s.pk, kind, number),
                claimed_by=worker,
                lease_until=lease_until,
                attempts=1,
            )
            for s, link, kind, number in outbox
        )
        _save_sets(sets)
    return [m.pk for m in messages]


_SET_FIELDS = ("status", "sent_on", "reminders_sent", "last_message_on", "next_action_at")


def _save_sets(sets: list[FollowUpSet]) -> None:
    """Save the batch's new states: one UPDATE per distinct set of values (a batch of
    invitations is one statement; ``bulk_update``'s CASE per row cost ~1 ms a set)."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for s in sets:
        groups.setdefault(tuple(getattr(s, f) for f in _SET_FIELDS), []).append(s.pk)
    for values, pks in groups.items():
        FollowUpSet.objects.filter(pk__in=pks).update(**dict(zip(_SET_FIELDS, values, strict=True)))


def _reclaim_expired(worker: str, batch: int, result: RunResult) -> list[int]:
    """Take over claims whose lease ran out (a killed or stuck worker's): one winner each."""
    now = timezone.now()
    candidates = list(
        OutboundMessage.objects.filter(status=MessageStatus.CLAIMED, lease_until__lte=now)
        .order_by("lease_until", "id")
        .values_list("pk", flat=True)[:batch]
    )
    mine = []
    for pk in candidates:
        won = OutboundMessage.objects.filter(
            pk=pk, status=MessageStatus.CLAIMED, lease_until__lte=now
        ).update(
            claimed_by=worker,
            lease_until=timezone.now() + conf.lease(),
            attempts=F("attempts") + 1,
        )
        if won:
            mine.append(pk)
    result.retried += len(mine)
    return mine


def _not_needed(message: OutboundMessage, now: timezone.datetime) -> str:
    s = message.followup_set
    if not s.is_open:
        return f"set {s.status}"
    if message.link is None or message.link.state(now) != "live":
        return "link not live"
    if not s.patient.email:
        return "no email address"
    if message.attempts > MAX_ATTEMPTS:
        return f"gave up after {MAX_ATTEMPTS} attempts"
    return ""


def _mine(message: OutboundMessage, worker: str) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(
        pk=message.pk, claimed_by=worker, status=MessageStatus.CLAIMED
    )


def _renew(
    messages: list[OutboundMessage], worker: str, lease: dt.timedelta
) -> tuple[dt.datetime, set[int]]:
    """Extend this worker's lease on ``messages``; (new expiry, the ones it still holds).

    Another worker can take a message only once its lease has run out, so after this update the
    held ones stay ours until the returned time.
    """
    until = timezone.now() + lease
    pks = [m.pk for m in messages]
    ours = OutboundMessage.objects.filter(
        pk__in=pks, claimed_by=worker, status=MessageStatus.CLAIMED
    )
    ours.update(lease_until=until)
    return until, set(ours.values_list("pk", flat=True))


def deliver(ids: Iterable[int], *, worker: str, result: RunResult | None = None) -> RunResult:
    """Send the claimed messages ``ids`` held by ``worker``, each marked sent as it goes."""
    result = result if result is not None else RunResult()
    messages = list(
        OutboundMessage.objects.filter(
            pk__in=list(ids), claimed_by=worker, status=MessageStatus.CLAIMED
        )
        .select_related("followup_set__patient", "link")
        .order_by("id")
    )
    if not messages:
        return result
    lease = conf.lease()
    held_until, held = _renew(messages, worker, lease)
    mail = get_connection()
    mail.open()
    try:
        for i, m in enumerate(messages):
            now = timezone.now()
            if now + lease / 2 > held_until:  # a slow batch: renew before the lease runs short
                held_until, held = _renew(messages[i:], worker, lease)
            if m.pk not in held:  # another worker took it over (our lease had run out)
                continue
            reason = _not_needed(m, now)
            if reason:
                _mine(m, worker).update(status=MessageStatus.ABANDONED, outcome=reason)
                result.abandoned += 1
                continue
            assert m.link is not None  # _not_needed refuses a message without a live link
            link = current_link(m.link)
            if link.pk != m.link_id:
                _mine(m, worker).update(link=link)
            try:
                mail.send_messages([emails.build(m, url=link_url(link))])
            except Exception as exc:  # the backend failed: keep the claim, retry after the lease
                _mine(m, worker).update(outcome=type(exc).__name__[:60])
                log.warning("follow-up message %s not sent: %s", m.pk, type(exc).__name__)
                result.failed += 1
                continue
            _mine(m, worker).update(status=MessageStatus.SENT, sent_at=timezone.now(), outcome="")
            result.sent += 1
    finally:
        mail.close()
    return result
