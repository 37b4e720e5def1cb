"""When each message of a follow-up set goes out, and when an unanswered set becomes missed.

Pure: dates and policy in, dates out. Sources and policy (ADR 0077):

* Reminders raise the response to questionnaires, and a final contact adds to it (Edwards PJ et
  al. Methods to increase response to postal and electronic questionnaires. Cochrane Database
  Syst Rev 2009;(3):MR000008; Dillman DA, Smyth JD, Christian LM. Internet, Phone, Mail, and
  Mixed-Mode Surveys: The Tailored Design Method, 4th ed., Wiley 2014: an invitation, reminders,
  and a distinct final contact). Policy defaults: reminders 3 and 7 days after the invitation, a
  final reminder at 14 days; every number is configurable.
* Every reminder falls inside the set's window (``schedule.ScheduledSet.closes_on``, exclusive):
  a final reminder that would come after the window is brought forward to its last day, and a
  plain reminder on or after the final one is dropped. When the window has closed, an open set
  is ``missed``.
* Invitations and reminders go out at a local time of day (default 09:00) in the clinic's time
  zone, whatever the clock change: ``send_instant`` turns a local date and time into an instant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from painpath.clinical.errors import InvalidInput
from painpath.clinical.followup.states import SetEvent, SetStatus

DEFAULT_REMINDER_DAYS: Final[tuple[int, ...]] = (3, 7)
DEFAULT_FINAL_REMINDER_DAY: Final = 14
DEFAULT_SEND_TIME: Final = dt.time(9, 0)


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """Days after the invitation for each reminder, and for the final one."""

    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    final_reminder_day: int | None = DEFAULT_FINAL_REMINDER_DAY


def parse_policy(reminder_days: Sequence[object], final_reminder_day: object) -> ReminderPolicy:
    """A ReminderPolicy from settings; InvalidInput naming the setting when out of range."""
    days: list[int] = []
    for i, d in enumerate(reminder_days):
        if isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 365:
            raise InvalidInput(
                f"reminder_days[{i}] must be a whole number of days 1-365, got {d!r}",
                field="reminder_days",
            )
        days.append(d)
    if days != sorted(set(days)):
        raise InvalidInput("reminder_days must increase", field="reminder_days")
    final: int | None = None
    if final_reminder_day is not None:
        f = final_reminder_day
        if isinstance(f, bool) or not isinstance(f, int) or not 1 <= f <= 365:
            raise InvalidInput(
                "final_reminder_day must be a whole number of days 1-365 or none",
                field="final_reminder_day",
            )
        final = f
    return ReminderPolicy(tuple(days), final)


DEFAULT_POLICY: Final = ReminderPolicy()


@dataclass(frozen=True, slots=True)
class ReminderStep:
    on: dt.date
    final: bool


def reminder_plan(
    sent_on: dt.date, closes_on: dt.date, policy: ReminderPolicy = DEFAULT_POLICY
) -> tuple[ReminderStep, ...]:
    """The reminders of a set invited on ``sent_on`` whose window ends before ``closes_on``.

    Strictly after the invitation, strictly increasing, all before ``closes_on``; the last one is
    the final reminder when the policy has one and the window leaves a day for it.
    """
    last_day = closes_on - dt.timedelta(days=1)
    final: dt.date | None = None
    if policy.final_reminder_day is not None:
        final = min(sent_on + dt.timedelta(days=policy.final_reminder_day), last_day)
        if final <= sent_on:
            final = None
    steps = [
        ReminderStep(day, False)
        for d in policy.reminder_days
        if sent_on < (day := sent_on + dt.timedelta(days=d)) <= last_day
        and (final is None or day < final)
    ]
    if final is not None:
        steps.append(ReminderStep(final, True))
    return tuple(steps)


@dataclass(frozen=True, slots=True)
class Action:
    """What happens next to a set, and on which local date: ``send``, ``remind`` or ``miss``.

    ``reminder`` is the 1-based number of the reminder for ``remind`` (``final`` marks the last).
    """

    event: SetEvent
    on: dt.date
    reminder: int = 0
    final: bool = False


def next_action(
    *,
    status: str,
    due_on: dt.date,
    closes_on: dt.date,
    sent_on: dt.date | None,
    reminders_sent: int,
    today: dt.date,
    policy: ReminderPolicy = DEFAULT_POLICY,
    can_send: bool = True,
    last_message_on: dt.date | None = None,
) -> Action | None:
    """The next scheduled event of a set (None for a final state).

    A due set is sent on its due date (``can_send=False``, e.g. no email address: it waits for the
    portal or a clinician until its window closes); a sent set is reminded by ``reminder_plan``;
    from ``closes_on`` every open set is missed, even when the scheduler was down on the day a
    message was due (a late invitation is never sent after its window). A reminder never goes
    out on the same local day as the set's previous message (``last_message_on``): after an
    outage, overdue reminders follow one a day rather than all at once (policy, ADR 0077).
    """
    s = SetStatus(status)
    if s not in (SetStatus.DUE, SetStatus.SENT, SetStatus.REMINDED):
        return None
    miss = Action(SetEvent.MISS, closes_on)
    if today >= closes_on:
        return miss
    if s == SetStatus.DUE:
        return Action(SetEvent.SEND, due_on) if can_send else miss
    steps = reminder_plan(sent_on or due_on, closes_on, policy)
    if reminders_sent < len(steps):
        step = steps[reminders_sent]
        on = step.on
        if last_message_on is not None and on <= last_message_on:
            on = last_message_on + dt.timedelta(days=1)
        if on >= closes_on:
            return miss
        return Action(SetEvent.REMIND, on, reminders_sent + 1, step.final)
    return miss


def send_instant(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The instant (in UTC) of local time ``at`` on ``day`` in zone ``tz``.

    Across a clock change the wall-clock time is kept: 09:00 in London is 09:00 UTC in winter and
    08:00 UTC in summer. A local time that does not exist (inside the spring-forward gap) is read
    with the offset before the change, so it lands an hour later on the wall clock; an ambiguous
    one (the autumn repeat) is its first occurrence (``fold=0``, PEP 495).
    """
    local = dt.datetime.combine(day, at).replace(tzinfo=tz, fold=0)
    return local.astimezone(dt.UTC)
