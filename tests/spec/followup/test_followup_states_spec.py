"""The follow-up set state machine: every transition in the table, and every other refused."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from painpath.clinical.errors import InvalidInput
from painpath.clinical.followup import FINAL, TRANSITIONS, SetEvent, SetStatus, transition
from painpath.clinical.followup.states import allowed_events, mermaid

EXPECTED = [
    # (from, event, to): the table a clinician reviews (ADR 0079)
    ("due", "send", "sent"),
    ("due", "complete", "completed"),
    ("due", "miss", "missed"),
    ("due", "cancel", "cancelled"),
    ("sent", "remind", "reminded"),
    ("sent", "resend", "sent"),
    ("sent", "complete", "completed"),
    ("sent", "miss", "missed"),
    ("sent", "cancel", "cancelled"),
    ("reminded", "remind", "reminded"),
    ("reminded", "resend", "reminded"),
    ("reminded", "complete", "completed"),
    ("reminded", "miss", "missed"),
    ("reminded", "cancel", "cancelled"),
]


@pytest.mark.parametrize(("state", "event", "to"), EXPECTED)
def test_allowed_transitions(state: str, event: str, to: str) -> None:
    assert transition(state, event) == to


def test_table_is_exactly_the_reviewed_one() -> None:
    assert {(s.value, e.value, t.value) for (s, e), t in TRANSITIONS.items()} == set(EXPECTED)


ALLOWED = {(s, e) for s, e, _ in EXPECTED}


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (s.value, e.value)
        for s, e in itertools.product(SetStatus, SetEvent)
        if (s, e) not in ALLOWED
    ],
)
def test_every_other_transition_is_refused(state: str, event: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        transition(state, event)
    assert f"is {state} cannot {event}" in str(exc.value)


def test_final_states_allow_nothing() -> None:
    assert {SetStatus.COMPLETED, SetStatus.MISSED, SetStatus.CANCELLED} == FINAL
    assert all(allowed_events(s) == () for s in FINAL)


def test_unknown_state_or_event_names_the_vocabulary() -> None:
    with pytest.raises(InvalidInput, match="states: due, sent"):
        transition("lost", "send")
    with pytest.raises(InvalidInput, match="events: send, remind"):
        transition("due", "post")


def test_adr_diagram_is_generated_from_the_table() -> None:
    adr = (
        Path(__file__).parents[3] / "docs" / "decisions" / "0079-followup-scheduler-exactly-once.md"
    )
    assert mermaid() in adr.read_text(encoding="utf-8")
