"""The follow-up core: schedule and windows, the set state machine, reminder timing and the home
red-flag questions. Pure functions of plain values (DESIGN.md journey step 4; ADRs 0077-0079)."""

from painpath.clinical.followup.home_questions import HOME_QUESTIONS, findings_for, questions_for
from painpath.clinical.followup.reminders import (
    Action,
    ReminderPolicy,
    next_action,
    reminder_plan,
    send_instant,
)
from painpath.clinical.followup.schedule import (
    ScheduleConfig,
    ScheduledSet,
    add_months,
    instruments_for,
    parse_schedule,
    schedule_sets,
    timepoints,
)
from painpath.clinical.followup.states import (
    FINAL,
    OPEN,
    TRANSITIONS,
    SetEvent,
    SetStatus,
    allowed_events,
    transition,
)

__all__ = [
    "FINAL",
    "HOME_QUESTIONS",
    "OPEN",
    "TRANSITIONS",
    "Action",
    "ReminderPolicy",
    "ScheduleConfig",
    "ScheduledSet",
    "SetEvent",
    "SetStatus",
    "add_months",
    "allowed_events",
    "findings_for",
    "instruments_for",
    "next_action",
    "parse_schedule",
    "questions_for",
    "reminder_plan",
    "schedule_sets",
    "send_instant",
    "timepoints",
    "transition",
]
