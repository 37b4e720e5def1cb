"""Properties of the follow-up core for any start date, schedule and reminder policy."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from painpath.clinical.followup import (
    FINAL,
    ReminderPolicy,
    SetEvent,
    SetStatus,
    add_months,
    allowed_events,
    next_action,
    reminder_plan,
    schedule_sets,
    transition,
)
from painpath.clinical.followup.schedule import ScheduleConfig

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
policies = st.builds(
    ReminderPolicy,
    st.lists(st.integers(1, 40), max_size=4, unique=True).map(lambda d: tuple(sorted(d))),
    st.one_of(st.none(), st.integers(1, 40)),
)


@given(dates, st.integers(0, 240))
def test_add_months_lands_in_the_right_month_never_past_the_day(start: dt.date, n: int) -> None:
    got = add_months(start, n)
    assert (got.year * 12 + got.month) - (start.year * 12 + start.month) == n
    last = calendar.monthrange(got.year, got.month)[1]
    assert got.day == min(start.day, last)


@given(dates, st.integers(0, 24), st.integers(12, 120), st.integers(1, 60))
def test_sets_are_ordered_and_windows_never_overlap(
    start: dt.date, repeat: int, horizon: int, window: int
) -> None:
    config = ScheduleConfig(repeat_every_months=repeat, horizon_months=horizon, window_days=window)
    sets = schedule_sets(start, config)
    assert sets[0].due_on == start and sets[0].timepoint == "baseline"
    for a, b in itertools.pairwise(sets):
        assert a.due_on < b.due_on
        assert a.due_on < a.closes_on <= b.due_on
    assert all(s.closes_on - s.due_on <= dt.timedelta(days=window) for s in sets)
    assert len({s.timepoint for s in sets}) == len(sets)


@given(dates, st.integers(1, 60), policies)
def test_reminders_fall_inside_the_window_in_order_final_last(
    sent: dt.date, window: int, policy: ReminderPolicy
) -> None:
    closes = sent + dt.timedelta(days=window)
    steps = reminder_plan(sent, closes, policy)
    days = [s.on for s in steps]
    assert days == sorted(set(days))
    assert all(sent < d < closes for d in days)
    assert [s.final for s in steps].count(True) <= 1
    if any(s.final for s in steps):
        assert steps[-1].final
    assert len(steps) <= len(policy.reminder_days) + 1


@given(dates, st.integers(1, 60), policies, st.integers(0, 10))
def test_following_the_actions_ends_in_missed_within_the_window(
    due: dt.date, window: int, policy: ReminderPolicy, late: int
) -> None:
    """Walk a set that is never answered (the scheduler perhaps starting ``late``): sent, each
    reminder on a later day than the message before, then missed when the window closes."""
    closes = due + dt.timedelta(days=window)
    status, sent_on, n, today = "due", None, 0, due + dt.timedelta(days=min(late, window - 1))
    message_days: list[dt.date] = []
    for _ in range(20):
        action = next_action(
            status=status,
            due_on=due,
            closes_on=closes,
            sent_on=sent_on,
            reminders_sent=n,
            today=today,
            policy=policy,
            last_message_on=message_days[-1] if message_days else None,
        )
        assert action is not None
        today = max(today, action.on)
        status = transition(status, action.event)
        if action.event == SetEvent.SEND:
            sent_on = today
        elif action.event == SetEvent.REMIND:
            assert action.on < closes and action.reminder == n + 1
            n += 1
        else:
            break
        message_days.append(today)
    assert status == SetStatus.MISSED and today == closes
    assert message_days == sorted(set(message_days))
    assert all(due <= d < closes for d in message_days)


@given(st.lists(st.sampled_from(list(SetEvent)), max_size=12))
def test_random_event_sequences_never_leave_a_final_state(events: list[SetEvent]) -> None:
    state = SetStatus.DUE
    for e in events:
        if e in allowed_events(state):
            state = transition(state, e)
        else:
            assert state in FINAL or e not in allowed_events(state)
    if state in FINAL:
        assert allowed_events(state) == ()
