"""Display logic for the outcomes pages: plain dicts the templates print without logic."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from painpath.apps.outcomes.models import AdverseEvent
from painpath.apps.outcomes.selectors import CompletionRow, InstrumentOutcome
from painpath.apps.patients.models import Alert
from painpath.clinical.outcomes_responder import (
    INSUFFICIENT_DATA,
    NON_RESPONDER,
    NOT_APPLICABLE,
    RESPONDER,
    WORSE,
)

RESPONDER_LABELS = {
    RESPONDER: "Responder",
    NON_RESPONDER: "Not a responder",
    WORSE: "Worse by at least the MCID",
    INSUFFICIENT_DATA: "Not enough scores yet",
    NOT_APPLICABLE: "No MCID defined",
}
MARKER_LABELS = {"improved": "Improved beyond MCID", "worse": "Worse beyond MCID", None: ""}
SEVERITY_ORDER = ("emergency", "urgent", "soon", "routine")


def completion_rows(rows: Sequence[CompletionRow]) -> list[dict[str, Any]]:
    return [
        {
            "timepoint": r.timepoint.replace("_", " "),
            "due": r.due,
            "completed": r.completed,
            "percent": "-" if r.percent is None else f"{r.percent:.0f}%",
        }
        for r in rows
    ]


def _status_label(s: Any) -> str:
    display = getattr(s, "get_status_display", None)
    return str(display()) if callable(display) else str(s.status).replace("_", " ")


def set_rows(sets: Iterable[Any]) -> list[dict[str, Any]]:
    """Follow-up sets as rows: patient (linked), timepoint, due date, status, reminders, reason."""
    return [
        {
            "patient": s.patient,
            "patient_url": reverse("outcomes:patient", args=[s.patient_id]),
            "timepoint": str(getattr(s, "timepoint", "")).replace("_", " "),
            "due_on": s.due_on,
            "status": s.status,
            "status_label": _status_label(s),
            "reminders": getattr(s, "reminders_sent", ""),
            "reason": getattr(s, "risk_reason", ""),
        }
        for s in sets
    ]


def alert_rows(alerts: Iterable[Alert]) -> list[dict[str, Any]]:
    rows = [
        {
            "pk": a.pk,
            "patient": a.patient,
            "patient_url": reverse("outcomes:patient", args=[a.patient_id]),
            "kind": a.get_kind_display(),
            "severity": a.severity,
            "severity_label": a.get_severity_display(),
            "message": a.message,
            "created_at": a.created_at,
            "acknowledge_url": reverse("outcomes:acknowledge", args=[a.pk]),
        }
        for a in alerts
    ]
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    return sorted(rows, key=lambda r: (rank.get(r["severity"], 9), -r["created_at"].timestamp()))


def alert_counts(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    return [{"severity": s, "n": counts.get(s, 0)} for s in SEVERITY_ORDER]


def event_row(e: AdverseEvent) -> dict[str, Any]:
    return {
        "pk": e.pk,
        "patient": e.patient,
        "symptom": e.get_symptom_display(),
        "description": e.description,
        "reported_at": e.reported_at,
        "reported_severity": e.get_reported_severity_display(),
        "source": e.get_source_display(),
        "graded": e.is_graded,
        "grade": e.get_grade_display() if e.grade is not None else "",
        "serious": "" if e.serious is None else ("Yes" if e.serious else "No"),
        "causality": e.get_causality_display() if e.causality else "",
        "graded_by": e.graded_by,
        "graded_at": e.graded_at,
        "grade_url": reverse("outcomes:grade", args=[e.pk]),
    }


def event_rows(events: Iterable[AdverseEvent]) -> list[dict[str, Any]]:
    return [event_row(e) for e in events]


def outcome_blocks(outcomes: Sequence[InstrumentOutcome]) -> list[dict[str, Any]]:
    """One block per chart: title, inline SVG, the same numbers as a table, responder status."""
    blocks = []
    for o in outcomes:
        rows = [
            {
                "at": r.at,
                "value": f"{r.value:g}",
                "band": r.band.replace("_", " "),
                "change": "" if r.point.change is None else f"{r.point.change.change:+g}",
                "marker": MARKER_LABELS[r.point.marker],
            }
            for r in o.rows
        ]
        svg: SafeString = mark_safe(o.svg)
        blocks.append(
            {
                "id": f"{o.code}-{o.measure}",
                "title": o.title,
                "svg": svg,
                "rows": rows,
                "responder": RESPONDER_LABELS[o.responder.status],
                "responder_code": o.responder.status,
                "responder_reason": o.responder.reason,
                "show_responder": o.measure == o.responder.measure,
            }
        )
    return blocks
