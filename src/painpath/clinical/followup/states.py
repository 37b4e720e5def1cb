"""The life of a follow-up set as data: a table of allowed transitions and one ``transition``.

STYLE.md: clinical workflows are state machines held as data (airlock's
``VALID_STATE_TRANSITIONS``), driven by one function, every transition tested, the diagram
generated from the table (ADR 0079 holds it).

States: ``due`` (scheduled, not sent yet), ``sent`` (invitation sent), ``reminded`` (at least one
reminder sent), ``completed``, ``missed`` (its window closed unanswered), ``cancelled`` (the plan
was stopped). The last three are final: a completed set is never reopened (its scores are the
record), a missed one stays missed (loss to follow-up is counted honestly, issue 5).

A secure link's revocation is not a set event: the set keeps its status and a clinician may
``resend`` a new link while the set is open.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from painpath.clinical.errors import InvalidInput


class SetStatus(StrEnum):
    DUE = "due"
    SENT = "sent"
    REMINDED = "reminded"
    COMPLETED = "completed"
    MISSED = "missed"
    CANCELLED = "cancelled"


class SetEvent(StrEnum):
    SEND = "send"
    REMIND = "remind"
    RESEND = "resend"
    COMPLETE = "complete"
    MISS = "miss"
    CANCEL = "cancel"


S, E = SetStatus, SetEvent
#: (from status, event) -> to status. Anything not listed is refused.
TRANSITIONS: Final[dict[tuple[SetStatus, SetEvent], SetStatus]] = {
    (S.DUE, E.SEND): S.SENT,
    # A patient may answer from the portal before the invitation goes out.
    (S.DUE, E.COMPLETE): S.COMPLETED,
    # The window closed without an invitation (e.g. no email address) and no answer.
    (S.DUE, E.MISS): S.MISSED,
    (S.DUE, E.CANCEL): S.CANCELLED,
    (S.SENT, E.REMIND): S.REMINDED,
    (S.SENT, E.RESEND): S.SENT,
    (S.SENT, E.COMPLETE): S.COMPLETED,
    (S.SENT, E.MISS): S.MISSED,
    (S.SENT, E.CANCEL): S.CANCELLED,
    (S.REMINDED, E.REMIND): S.REMINDED,
    (S.REMINDED, E.RESEND): S.REMINDED,
    (S.REMINDED, E.COMPLETE): S.COMPLETED,
    (S.REMINDED, E.MISS): S.MISSED,
    (S.REMINDED, E.CANCEL): S.CANCELLED,
}
FINAL: Final[frozenset[SetStatus]] = frozenset({S.COMPLETED, S.MISSED, S.CANCELLED})
#: States in which the patient can still answer (a link or the portal works).
OPEN: Final[frozenset[SetStatus]] = frozenset({S.DUE, S.SENT, S.REMINDED})


def allowed_events(state: str) -> tuple[SetEvent, ...]:
    """The events the table allows from ``state`` (none from a final state)."""
    return tuple(e for (s, e) in TRANSITIONS if s == state)


def transition(state: str, event: str) -> SetStatus:
    """The state after ``event`` in ``state``; InvalidInput naming what is allowed otherwise."""
    try:
        s, e = SetStatus(state), SetEvent(event)
    except ValueError:
        raise InvalidInput(
            f"unknown follow-up state {state!r} or event {event!r}; states: "
            f"{', '.join(SetStatus)}; events: {', '.join(SetEvent)}",
            field="status",
        ) from None
    to = TRANSITIONS.get((s, e))
    if to is None:
        allowed = ", ".join(allowed_events(s)) or "none (final state)"
        raise InvalidInput(
            f"a follow-up set that is {s} cannot {e}; allowed: {allowed}", field="status"
        )
    return to


def mermaid() -> str:
    """The state machine as a Mermaid diagram (embedded in ADR 0079; a test keeps it current)."""
    lines = ["stateDiagram-v2", f"    [*] --> {S.DUE}"]
    lines += [f"    {s} --> {to}: {e}" for (s, e), to in TRANSITIONS.items()]
    lines += [f"    {s} --> [*]" for s in SetStatus if s in FINAL]
    return "\n".join(lines)
