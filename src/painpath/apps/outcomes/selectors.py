"""Read side of the clinic's follow-up dashboard and the per-patient outcomes page.

Every list is a bounded, indexed query (LIMIT, keyed on an index) and every count an aggregate,
so the dashboard's cost does not grow with the number of patients (benchmarks/bench_dashboard.py;
ADR 0075). Patient names come through ``select_related``, never one query per row.

The follow-up sets are ``painpath.apps.followup.models.FollowUpSet``; the dashboard reads the
fields ADR 0076 names (patient, timepoint, due_on, status, reminders_sent) through its indexes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.followup.models import FollowUpSet
from painpath.apps.outcomes.charts import ChartPoint, outcome_chart_svg
from painpath.apps.outcomes.models import AdverseEvent, CompletionSummary
from painpath.apps.patients.models import Alert, Patient
from painpath.clinical.instruments import get as get_instrument
from painpath.clinical.outcomes_responder import (
    Point,
    Responder,
    mcid_measure,
    responder_status,
    trajectory,
)

#: How stale the materialised completion table may be before a dashboard read refreshes it.
SUMMARY_MAX_AGE = dt.timedelta(minutes=5)
#: Rows per dashboard list; the page says when there are more.
LIST_LIMIT = 50
#: Unanswered reminders that put a patient at risk of loss to follow-up (issue 5).
AT_RISK_REMINDERS = 2
_SEVERITY_RANK = {"emergency": 0, "urgent": 1, "soon": 2, "routine": 3}


# --- alerts -----------------------------------------------------------------------------------


def open_alerts(*, limit: int = LIST_LIMIT) -> list[Alert]:
    """Unacknowledged alerts, most urgent first then newest; stays until acknowledged.

    Filters on the ``alert_open`` index (acknowledged_at IS NULL): cost grows with the number of
    OPEN alerts, not with patients or history.
    """
    rank = Case(
        *(When(severity=s, then=Value(r)) for s, r in _SEVERITY_RANK.items()),
        default=Value(9),
        output_field=IntegerField(),
    )
    return list(
        Alert.objects.filter(acknowledged_at__isnull=True)
        .select_related("patient")
        .annotate(rank=rank)
        .order_by("rank", "-created_at", "-id")[:limit]
    )


def open_alert_counts() -> dict[str, int]:
    """Open alerts per severity (one aggregate over open alerts only)."""
    rows = (
        Alert.objects.filter(acknowledged_at__isnull=True)
        .order_by()
        .values("severity")
        .annotate(n=Count("id"))
    )
    return {r["severity"]: r["n"] for r in rows}


def ungraded_adverse_events(*, limit: int = LIST_LIMIT) -> list[AdverseEvent]:
    """Adverse events awaiting a clinician's grading, oldest first (``adverse_event_queue``)."""
    return list(
        AdverseEvent.objects.filter(graded_at__isnull=True)
        .select_related("patient")
        .order_by("reported_at", "id")[:limit]
    )


# --- follow-up completion ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompletionRow:
    timepoint: str
    due: int
    completed: int

    @property
    def percent(self) -> float | None:
        return None if self.due == 0 else round(100 * self.completed / self.due, 1)


def compute_completion(today: dt.date | None = None) -> list[CompletionRow]:
    """Completed / due so far, per timepoint: one GROUP BY over sets due by ``today``.

    "Due so far" counts every set whose due date has come (whatever its status); "completed"
    those completed. Linear in sets: run by ``refresh_completion_summary``, not per page view.
    """
    today = today or timezone.localdate()
    rows = (
        FollowUpSet.objects.filter(due_on__lte=today)
        .order_by()
        .values("timepoint")
        .annotate(due=Count("id"), completed=Count("id", filter=Q(status="completed")))
    )
    return [CompletionRow(r["timepoint"], r["due"], r["completed"]) for r in rows]


def _timepoint_position(timepoint: str) -> int:
    """Sort key: baseline, then by offset in days when the label encodes one (2w, 1m, 12m)."""
    t = timepoint.lower()
    if t in ("baseline", "0", "0d"):
        return 0
    digits = "".join(ch for ch in t if ch.isdigit())
    n = int(digits) if digits else 9999
    unit = 7 if "w" in t else 365 if "y" in t else 30 if "m" in t else 1
    return n * unit


#: Key of the PostgreSQL advisory lock that lets one refresh of the summary run at a time.
REFRESH_LOCK_KEY = 0x70A1_0075


def _one_refresh_at_a_time() -> None:
    """Serialise refreshes: two scheduler workers (or a worker and a page) refreshing together
    would both delete, then both insert, and the second insert breaks the unique timepoint.

    PostgreSQL: a transaction-level advisory lock (released at commit). SQLite: the write
    transaction itself serialises (``transaction_mode`` IMMEDIATE in settings takes the write
    lock at BEGIN).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK_KEY])


@transaction.atomic
def refresh_completion_summary(today: dt.date | None = None) -> list[CompletionSummary]:
    """Recompute the materialised completion table (called when stale, or by the scheduler)."""
    _one_refresh_at_a_time()
    now = timezone.now()
    rows = compute_completion(today)
    CompletionSummary.objects.all().delete()
    return CompletionSummary.objects.bulk_create(
        CompletionSummary(
            timepoint=r.timepoint,
            position=_timepoint_position(r.timepoint),
            due=r.due,
            completed=r.completed,
            computed_at=now,
        )
        for r in rows
    )


def completion_by_timepoint(*, max_age: dt.timedelta = SUMMARY_MAX_AGE) -> list[CompletionRow]:
    """The completion table, from the materialised summary (refreshed when older than max_age)."""
    summary = list(CompletionSummary.objects.all())
    stale = not summary or min(s.computed_at for s in summary) < timezone.now() - max_age
    if stale and FollowUpSet.objects.exists():
        summary = refresh_completion_summary()  # one at a time: _one_refresh_at_a_time
        summary.sort(key=lambda s: (s.position, s.timepoint))
    return [CompletionRow(s.timepoint, s.due, s.completed) for s in summary]


def completion_computed_at() -> dt.datetime | None:
    first = CompletionSummary.objects.order_by("computed_at").only("computed_at").first()
    return None if first is None else first.computed_at


# --- overdue and at risk ----------------------------------------------------------------------

OPEN_STATUSES = ("sent", "reminded")


def overdue_sets(today: dt.date | None = None, *, limit: int = LIST_LIMIT) -> list[FollowUpSet]:
    """Sets sent (or reminded) whose due date has passed, oldest first, with their patient.

    Indexed on (status, due_on); LIMITed, so flat in the number of patients.
    """
    today = today or timezone.localdate()
    # One query per status, each an ordered range scan of the (status, due_on) index that stops
    # after ``limit`` rows; a single ``status IN (...)`` query lets a planner walk the due_on
    # order of every set instead (measured: 155 ms vs a few ms at 50,000 patients on PostgreSQL).
    rows: list[FollowUpSet] = []
    for status in OPEN_STATUSES:
        rows.extend(
            FollowUpSet.objects.filter(status=status, due_on__lt=today)
            .select_related("patient")
            .order_by("due_on", "id")[:limit]
        )
    rows.sort(key=lambda s: (s.due_on, s.pk))
    return rows[:limit]


def at_risk_sets(*, limit: int = LIST_LIMIT) -> list[Any]:
    """Patients at risk of loss to follow-up (issue 5), one row per set that puts them there.

    * the last set they were due is ``missed`` (no later set completed: NOT EXISTS on the
      (patient, due_on) index), or
    * a set with at least two reminders still unanswered.
    """
    later_done = FollowUpSet.objects.filter(
        patient_id=OuterRef("patient_id"), due_on__gt=OuterRef("due_on"), status="completed"
    )
    missed = list(
        FollowUpSet.objects.filter(status="missed")
        .exclude(Exists(later_done))
        .select_related("patient")
        .order_by("-due_on", "-id")[:limit]
    )
    unanswered = list(
        FollowUpSet.objects.filter(status="reminded", reminders_sent__gte=AT_RISK_REMINDERS)
        .select_related("patient")
        .order_by("due_on", "id")[:limit]
    )
    seen: set[int] = set()
    out: list[Any] = []
    for s in [*missed, *unanswered]:
        if s.patient_id not in seen:
            seen.add(s.patient_id)
            s.risk_reason = (
                "missed the last follow-up set"
                if s.status == "missed"
                else f"{s.reminders_sent} reminders unanswered"
            )
            out.append(s)
    return out[:limit]


def patient_followup_status(patient: Patient) -> list[FollowUpSet]:
    """Every follow-up set of one patient in due order (one indexed query)."""
    return list(FollowUpSet.objects.filter(patient=patient).order_by("due_on", "id"))


# --- per-patient outcomes ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeriesRow:
    at: dt.datetime
    value: float
    band: str
    point: Point


@dataclass(frozen=True, slots=True)
class InstrumentOutcome:
    code: str
    title: str
    measure: str
    rows: Sequence[SeriesRow]
    responder: Responder
    svg: str


def _measure_value(r: QuestionnaireResponse, measure: str) -> float | None:
    if measure == "value":
        return r.value
    got = (r.subscores or {}).get(measure)
    return None if got is None else float(got)


def patient_outcomes(patient: Patient, *, charts: bool = True) -> list[InstrumentOutcome]:
    """Each instrument's complete scores over time, marked against baseline, with responder status.

    One query for all the patient's responses (``response_patient`` index). BPI is shown on its
    MCID measure (interference) as well as its primary value (severity, with bands).
    """
    responses = list(
        QuestionnaireResponse.objects.filter(patient=patient, complete=True)
        .only("instrument", "value", "band", "subscores", "completed_at")
        .order_by("instrument", "completed_at", "id")
    )
    by_code: dict[str, list[QuestionnaireResponse]] = {}
    for r in responses:
        by_code.setdefault(r.instrument, []).append(r)
    out: list[InstrumentOutcome] = []
    for code, rs in by_code.items():
        inst = get_instrument(code)
        measures = ["value"]
        m = mcid_measure(code)
        if m is not None and m != "value":
            measures.append(m)
        responder = responder_status(
            code,
            [v for r in rs if (v := _measure_value(r, m or "value")) is not None],
        )
        for measure in measures:
            kept = [(r, v) for r in rs if (v := _measure_value(r, measure)) is not None]
            if not kept:
                continue
            points = trajectory(code, [v for _, v in kept], measure=measure)
            rows = [
                SeriesRow(r.completed_at, v, r.band if measure == "value" else "", p)
                for (r, v), p in zip(kept, points, strict=True)
            ]
            title = inst.title if measure == "value" else f"{inst.title}: {measure}"
            svg = (
                outcome_chart_svg(
                    code,
                    [ChartPoint(row.at, row.point) for row in rows],
                    measure=measure,
                    title=title,
                )
                if charts
                else ""
            )
            out.append(InstrumentOutcome(code, title, measure, rows, responder, svg))
    return out


def patient_adverse_events(patient: Patient) -> QuerySet[AdverseEvent]:
    return AdverseEvent.objects.filter(patient=patient).select_related("graded_by")
