"""Reminder timing, the missed window and local send times across clock changes (ADR 0077).

Policy defaults: reminders 3 and 7 days after the invitation, a final reminder at 14 days, all
inside the set's window (Edwards 2009 Cochrane MR000008; Dillman 2014 Tailored Design Method).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from painpath.clinical.errors import InvalidInput
from painpath.clinical.followup import ReminderPolicy, next_action, reminder_plan, send_instant
from painpath.clinical.followup.reminders import parse_policy

D = dt.date
LONDON = ZoneInfo("Europe/London")

PLANS = [
    # (sent on, closes on (exclusive), policy, expected [(date, final)], why)
    (
        D(2026, 3, 1),
        D(2026, 3, 29),
        ReminderPolicy(),
        [(D(2026, 3, 4), False), (D(2026, 3, 8), False), (D(2026, 3, 15), True)],
        "defaults",
    ),
    (
        D(2026, 1, 31),
        D(2026, 2, 14),
        ReminderPolicy(),
        [(D(2026, 2, 3), False), (D(2026, 2, 7), False), (D(2026, 2, 13), True)],
        "final brought forward to the window's last day",
    ),
    (
        D(2026, 3, 1),
        D(2026, 3, 6),
        ReminderPolicy(),
        [(D(2026, 3, 4), False), (D(2026, 3, 5), True)],
        "7-day reminder dropped after the final",
    ),
    (D(2026, 3, 1), D(2026, 3, 3), ReminderPolicy(), [(D(2026, 3, 2), True)], "only a final"),
    (D(2026, 3, 1), D(2026, 3, 2), ReminderPolicy(), [], "no day left in the window"),
    (
        D(2026, 3, 1),
        D(2026, 3, 29),
        ReminderPolicy((2, 4, 6), None),
        [(D(2026, 3, 3), False), (D(2026, 3, 5), False), (D(2026, 3, 7), False)],
        "no final reminder",
    ),
    (D(2026, 3, 1), D(2026, 3, 29), ReminderPolicy((), 10), [(D(2026, 3, 11), True)], "final only"),
    (
        D(2026, 3, 1),
        D(2026, 3, 29),
        ReminderPolicy((3, 14), 14),
        [(D(2026, 3, 4), False), (D(2026, 3, 15), True)],
        "a reminder on the final's day is the final",
    ),
]


@pytest.mark.parametrize(("sent", "closes", "policy", "expected", "why"), PLANS)
def test_reminder_plan(
    sent: dt.date,
    closes: dt.date,
    policy: ReminderPolicy,
    expected: list[tuple[dt.date, bool]],
    why: str,
) -> None:
    assert [(s.on, s.final) for s in reminder_plan(sent, closes, policy)] == expected, why


BASE = {"due_on": D(2026, 3, 1), "closes_on": D(2026, 3, 29)}
CATCH_UP = [
    # (reminders sent, last message on, today, expected (event, on)): one message a day at most
    (0, D(2026, 3, 12), D(2026, 3, 12), ("remind", D(2026, 3, 13))),  # after a 10-day outage
    (1, D(2026, 3, 13), D(2026, 3, 13), ("remind", D(2026, 3, 14))),
    (2, D(2026, 3, 14), D(2026, 3, 14), ("remind", D(2026, 3, 15))),  # the final, on its day
    (2, D(2026, 3, 28), D(2026, 3, 28), ("miss", D(2026, 3, 29))),  # no day left for it
]


@pytest.mark.parametrize(("n", "last", "today", "expected"), CATCH_UP)
def test_overdue_reminders_follow_one_a_day(
    n: int, last: dt.date, today: dt.date, expected: tuple[str, dt.date]
) -> None:
    got = next_action(
        status="sent" if n == 0 else "reminded",
        sent_on=D(2026, 3, 1),
        reminders_sent=n,
        today=today,
        last_message_on=last,
        **BASE,
    )
    assert got is not None and (got.event, got.on) == expected


NEXT = [
    # (status, sent_on, reminders sent, today, can send, expected (event, on, n, final) or None)
    ("due", None, 0, D(2026, 2, 20), True, ("send", D(2026, 3, 1), 0, False)),
    ("due", None, 0, D(2026, 3, 29), True, ("miss", D(2026, 3, 29), 0, False)),
    ("due", None, 0, D(2026, 3, 2), False, ("miss", D(2026, 3, 29), 0, False)),
    ("sent", D(2026, 3, 1), 0, D(2026, 3, 1), True, ("remind", D(2026, 3, 4), 1, False)),
    ("reminded", D(2026, 3, 1), 1, D(2026, 3, 4), True, ("remind", D(2026, 3, 8), 2, False)),
    ("reminded", D(2026, 3, 1), 2, D(2026, 3, 8), True, ("remind", D(2026, 3, 15), 3, True)),
    ("reminded", D(2026, 3, 1), 3, D(2026, 3, 15), True, ("miss", D(2026, 3, 29), 0, False)),
    # Sent late (scheduler down for 5 days): reminders count from the invitation.
    ("sent", D(2026, 3, 6), 0, D(2026, 3, 6), True, ("remind", D(2026, 3, 9), 1, False)),
    # Scheduler down past the window: missed, never a late reminder.
    ("reminded", D(2026, 3, 1), 1, D(2026, 4, 2), True, ("miss", D(2026, 3, 29), 0, False)),
    ("completed", D(2026, 3, 1), 1, D(2026, 3, 5), True, None),
    ("missed", None, 0, D(2026, 3, 5), True, None),
    ("cancelled", None, 0, D(2026, 3, 5), True, None),
]


@pytest.mark.parametrize(("status", "sent_on", "n", "today", "can_send", "expected"), NEXT)
def test_next_action(
    status: str,
    sent_on: dt.date | None,
    n: int,
    today: dt.date,
    can_send: bool,
    expected: tuple[str, dt.date, int, bool] | None,
) -> None:
    got = next_action(
        status=status, sent_on=sent_on, reminders_sent=n, today=today, can_send=can_send, **BASE
    )
    assert (None if got is None else (got.event, got.on, got.reminder, got.final)) == expected


SEND_TIMES = [
    # (local date, local time, expected UTC instant, why)
    (D(2026, 1, 15), dt.time(9), dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC), "GMT in winter"),
    (D(2026, 7, 15), dt.time(9), dt.datetime(2026, 7, 15, 8, tzinfo=dt.UTC), "BST in summer"),
    (
        D(2026, 3, 28),
        dt.time(9),
        dt.datetime(2026, 3, 28, 9, tzinfo=dt.UTC),
        "day before spring forward",
    ),
    (D(2026, 3, 29), dt.time(9), dt.datetime(2026, 3, 29, 8, tzinfo=dt.UTC), "spring-forward day"),
    (D(2026, 10, 25), dt.time(9), dt.datetime(2026, 10, 25, 9, tzinfo=dt.UTC), "fall-back day"),
    (
        D(2026, 3, 29),
        dt.time(1, 30),
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),
        "inside the gap: offset before the change",
    ),
    (
        D(2026, 10, 25),
        dt.time(1, 30),
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
        "ambiguous: first occurrence (BST)",
    ),
]


@pytest.mark.parametrize(("day", "at", "expected", "why"), SEND_TIMES)
def test_send_instant_keeps_local_time_across_clock_changes(
    day: dt.date, at: dt.time, expected: dt.datetime, why: str
) -> None:
    assert send_instant(day, at, LONDON) == expected, why


def test_reminders_across_the_clock_change_keep_the_local_hour() -> None:
    steps = reminder_plan(D(2026, 3, 25), D(2026, 4, 22))  # 28 Mar, 1 Apr, 8 Apr
    instants = [send_instant(s.on, dt.time(9), LONDON) for s in steps]
    assert [i.astimezone(LONDON).hour for i in instants] == [9, 9, 9]
    assert [i.hour for i in instants] == [9, 8, 8]  # BST starts on 29 Mar


@pytest.mark.parametrize(
    ("days", "final", "field"),
    [
        ((0,), 14, "reminder_days"),
        ((7, 3), 14, "reminder_days"),
        ((3,), 0, "final_reminder_day"),
        ((True,), 14, "reminder_days"),
    ],
)
def test_bad_policy_names_the_setting(days: tuple[object, ...], final: object, field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_policy(days, final)
    assert exc.value.field == field
