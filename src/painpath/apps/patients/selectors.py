"""Reads of patient records, scoped to what the user's role may see, each read audited.

Every view and API endpoint that shows one patient goes through ``get_patient_for``; lists go
through ``patient_list``. Both avoid N+1 queries: the list's latest urgency, pain type and open
alert count are correlated subqueries, and the timeline is a fixed number of indexed, limited
queries however long the patient's history is.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest

from painpath.apps.accounts.models import Role
from painpath.apps.accounts.permissions import VIEW_CLINICAL, VIEW_DEMOGRAPHICS, has_perm
from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.patients.models import (
    Alert,
    Consent,
    ConsentStatus,
    Note,
    Patient,
    Referral,
    Treatment,
)
from painpath.db import rows


def _is_own_record(user: Any, patient_id: int) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) == Role.PATIENT
        and Patient.objects.filter(pk=patient_id, user_id=user.pk).exists()
    )


def patient_by_id(pk: int) -> Patient | None:
    """The patient with primary key ``pk`` (every field), or None. NOT audited: for
    ``get_patient_for`` (which audits) and for writes whose action audits them.

    Every API request about one patient needs this row; ``painpath.db.rows`` reuses the SQL the
    ORM compiled for the first request (compiling cost more than running it, docs/benchmarks.md).
    """
    patient: Patient | None = rows.get_by_pk(Patient, pk)
    return patient


def get_patient_for(
    user: Any, patient_id: int | str, *, request: HttpRequest | None = None, clinical: bool = True
) -> Patient:
    """The patient, if ``user``'s role may see it; the read is audited (who, what, when, where).

    ``clinical=True`` needs the clinical-record permission (prescriber, nurse); ``False`` needs
    demographics only (adds clinic admin). A patient may read their own record. A refused read
    raises PermissionDenied (and is audited as "denied"); a missing patient raises Http404.
    """
    try:
        pk = int(patient_id)
    except (TypeError, ValueError) as exc:
        raise Http404("no such patient") from exc
    perm = VIEW_CLINICAL if clinical else VIEW_DEMOGRAPHICS
    if not has_perm(user, perm) and not _is_own_record(user, pk):
        if getattr(user, "is_authenticated", False):
            audit.record(
                actor=user,
                action=AuditAction.DENIED,
                object_type="patient",
                object_id=pk,
                patient_id=pk if Patient.objects.filter(pk=pk).exists() else None,
                request=request,
                detail={"scope": "clinical" if clinical else "demographics"},
            )
        raise PermissionDenied("your role may not see this patient record")
    patient = patient_by_id(pk)
    if patient is None:
        raise Http404("no such patient")
    audit.record(
        actor=user,
        action=AuditAction.READ,
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        request=request,
        detail={"scope": "clinical" if clinical else "demographics"},
    )
    return patient


_DIGITS = re.compile(r"[\s-]+")


def _search(qs: QuerySet[Patient], q: str) -> QuerySet[Patient]:
    """Match an NHS number (spaces allowed) or every word against given/family name."""
    q = q.strip()
    if not q:
        return qs
    compact = _DIGITS.sub("", q)
    if compact.isdigit():
        return qs.filter(nhs_number__startswith=compact)
    for word in q.split():
        qs = qs.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return qs


def _latest_assessment(field: str) -> Subquery:
    return Subquery(
        Assessment.objects.filter(patient=OuterRef("pk"))
        .order_by("-performed_at", "-id")
        .values(field)[:1],
        output_field=CharField(),
    )


def _open_alert_count() -> Coalesce:
    counts = (
        Alert.objects.filter(patient=OuterRef("pk"), acknowledged_at__isnull=True)
        .order_by()
        .values("patient")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def patient_list(
    user: Any,
    *,
    q: str = "",
    urgency: str | None = None,
    pain_type: str | None = None,
    open_alerts: bool | None = None,
    request: HttpRequest | None = None,
) -> QuerySet[Patient]:
    """Patients the user may list, annotated with ``latest_urgency``, ``latest_pain_type`` and
    ``open_alert_count`` (one query, no N+1).

    Roles without the clinical permission (clinic admin) get the annotations as None/0 and may not
    filter by them. The listing itself is audited once (filters named, no search text).
    """
    if not has_perm(user, VIEW_DEMOGRAPHICS):
        raise PermissionDenied("your role may not list patients")
    clinical = has_perm(user, VIEW_CLINICAL)
    if not clinical and (urgency or pain_type or open_alerts is not None):
        raise PermissionDenied("your role may not filter patients by clinical details")
    qs = Patient.objects.all()
    if clinical:
        qs = qs.annotate(
            latest_urgency=_latest_assessment("urgency"),
            latest_pain_type=_latest_assessment("pain_type"),
            open_alert_count=_open_alert_count(),
        )
    else:
        qs = qs.annotate(
            latest_urgency=Value(None, output_field=CharField()),
            latest_pain_type=Value(None, output_field=CharField()),
            open_alert_count=Value(0, output_field=IntegerField()),
        )
    qs = _search(qs, q)
    if urgency:
        qs = qs.filter(latest_urgency=urgency)
    if pain_type:
        qs = qs.filter(latest_pain_type=pain_type)
    if open_alerts is True:
        qs = qs.filter(open_alert_count__gt=0)
    elif open_alerts is False:
        qs = qs.filter(open_alert_count=0)
    audit.record(
        actor=user,
        action=AuditAction.READ,
        object_type="patient_list",
        request=request,
        detail={
            "search": bool(q.strip()),
            "urgency": urgency or None,
            "pain_type": pain_type or None,
            "open_alerts": open_alerts,
        },
    )
    return qs.order_by("family_name", "given_name", "id")


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to a patient, for the timeline (newest first)."""

    kind: str  # "assessment" | "questionnaire" | "treatment" | "note" | "alert" | "referral"
    at: dt.datetime
    title: str
    detail: str
    obj: Any


def _assessment_entry(a: Assessment) -> TimelineEntry:
    pain = a.pain_type.replace("_", " ") if a.pain_type else "unclassified"
    return TimelineEntry(
        "assessment",
        a.performed_at,
        f"Assessment ({a.get_region_display().lower()}): {a.urgency}",
        f"Pain type {pain}; ruleset {a.ruleset}",
        a,
    )


def _response_entry(r: QuestionnaireResponse) -> TimelineEntry:
    value = "incomplete" if r.value is None else f"{r.value:g}"
    band = f" ({r.band.replace('_', ' ')})" if r.band else ""
    flags = f"; flags: {', '.join(r.flags)}" if r.flags else ""
    return TimelineEntry(
        "questionnaire",
        r.completed_at,
        f"{r.instrument.upper()}: {value}{band}",
        f"Completed {r.get_source_display().lower()}{flags}",
        r,
    )


def _treatment_entry(t: Treatment) -> TimelineEntry:
    dates = f"{t.started_on or '?'} to {t.stopped_on or 'now'}"
    name = f": {t.name}" if t.name else ""
    return TimelineEntry(
        "treatment",
        t.created_at,
        f"Treatment {t.get_category_display()}{name}",
        f"{dates}; effect: {t.get_effect_display()}",
        t,
    )


def _note_entry(n: Note) -> TimelineEntry:
    return TimelineEntry("note", n.created_at, "Note", n.text, n)


def _referral_entry(r: Referral) -> TimelineEntry:
    kind = "Self-referral" if r.source == "self" else f"Referral ({r.get_source_display()})"
    referrer = f": {r.referrer}" if r.referrer else ""
    reason = f"\n{r.reason}" if r.reason else ""
    return TimelineEntry(
        "referral",
        r.created_at,
        f"{kind}{referrer}",
        f"Received {r.received_on.isoformat()}{reason}",
        r,
    )


def _alert_entry(a: Alert) -> TimelineEntry:
    state = "open" if a.acknowledged_at is None else "acknowledged"
    return TimelineEntry(
        "alert",
        a.created_at,
        f"Alert ({a.severity}, {state}): {a.get_kind_display()}",
        a.message,
        a,
    )


_TIMELINE_SOURCES: tuple[tuple[str, Any, str, Any], ...] = (
    ("assessment", Assessment, "performed_at", _assessment_entry),
    ("questionnaire", QuestionnaireResponse, "completed_at", _response_entry),
    ("treatment", Treatment, "created_at", _treatment_entry),
    ("note", Note, "created_at", _note_entry),
    ("alert", Alert, "created_at", _alert_entry),
    ("referral", Referral, "created_at", _referral_entry),
)
#: Not shown on the timeline, so not fetched (the objects have them deferred).
_TIMELINE_SKIP = {QuestionnaireResponse: {"answers", "subscores"}}
_SQL_CACHE: dict[tuple[str, bool], str] = {}


def _timeline_fields(model: Any) -> list[Any]:
    skip = _TIMELINE_SKIP.get(model, set())
    return [f for f in model._meta.concrete_fields if f.name not in skip]


def _timeline_sql(vendor: str, *, before: bool) -> str:
    """One UNION ALL of six windows (one per kind), each ``WHERE patient_id = %s [AND time < %s]
    ORDER BY time DESC, id DESC LIMIT %s`` on the matching (patient, -time, -id) index, each row
    packed as a JSON object so different tables fit one result. One round trip, no ORM
    compilation."""
    q = connection.ops.quote_name
    pack = "json_build_object" if vendor == "postgresql" else "json_object"
    branches = []
    for kind, model, field, _ in _TIMELINE_SOURCES:
        pairs = []
        for f in _timeline_fields(model):
            value = q(f.column)
            if f.get_internal_type() == "JSONField" and vendor != "postgresql":
                value = f"json({value})"  # SQLite keeps JSON as text: embed it as JSON
            pairs.append(f"'{f.column}', {value}")
        where = f"{q('patient_id')} = %s" + (f" AND {q(field)} < %s" if before else "")
        branches.append(
            f"SELECT * FROM (SELECT '{kind}' AS kind, {q(field)} AS at, {pack}({', '.join(pairs)})"
            f" AS payload FROM {q(model._meta.db_table)} WHERE {where} "
            f"ORDER BY {q(field)} DESC, {q('id')} DESC LIMIT %s) AS {kind}_window"
        )
    return " UNION ALL ".join(branches) + " ORDER BY at DESC LIMIT %s"


def _aware(raw: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


_DECODE: dict[str, Any] = {"DateTimeField": _aware, "DateField": dt.date.fromisoformat}
_PAYLOAD_PLAN: dict[Any, tuple[list[str], list[tuple[str, Any]]]] = {}


def _payload_plan(model: Any) -> tuple[list[str], list[tuple[str, Any]]]:
    """Per model, once: attnames, and each column with the function that decodes its JSON value
    (None: used as is), so a row costs no field introspection."""
    plan = _PAYLOAD_PLAN.get(model)
    if plan is None:
        fields = _timeline_fields(model)
        decoders = [
            (f.column, bool if kind == "BooleanField" else _DECODE.get(kind))
            for f in fields
            for kind in [f.get_internal_type()]
        ]
        plan = _PAYLOAD_PLAN[model] = ([f.attname for f in fields], decoders)
    return plan


def _from_payload(model: Any, payload: Any) -> Any:
    """A model instance from a JSON row (dates and times parsed; SQLite's naive times are UTC)."""
    data = json.loads(payload) if isinstance(payload, str) else payload
    attnames, decoders = _payload_plan(model)
    values = []
    for column, decode in decoders:
        raw = data.get(column)
        values.append(raw if raw is None or decode is None else decode(raw))
    return model.from_db(connection.alias, attnames, values)


def timeline(
    patient: Patient, *, limit: int = 50, before: dt.datetime | None = None
) -> list[TimelineEntry]:
    """The newest ``limit`` entries before ``before`` (for paging), newest first.

    One query: six windows (one per kind), each on a (patient, time, id) index and limited to
    ``limit`` rows, combined and cut to ``limit`` by the database, so the cost does not grow with
    the length of the patient's history (ADR 0045; referrals by when recorded, ADR 0056).
    Callers must have read the patient through ``get_patient_for`` (which audits the read).
    """
    limit = max(1, min(int(limit), 500))
    key = (connection.vendor, before is not None)
    sql = _SQL_CACHE.get(key)
    if sql is None:
        sql = _SQL_CACHE[key] = _timeline_sql(connection.vendor, before=before is not None)
    window: list[Any] = [patient.pk]
    if before is not None:
        window.append(connection.ops.adapt_datetimefield_value(before))
    window.append(limit)
    with rows.cursor() as cursor:  # prepared on PostgreSQL (painpath.db.rows)
        cursor.execute(sql, [*window * len(_TIMELINE_SOURCES), limit])
        found = cursor.fetchall()
    sources = {kind: (model, make) for kind, model, _, make in _TIMELINE_SOURCES}
    entries = []
    for kind, _, payload in found:
        model, make = sources[kind]
        entries.append(make(_from_payload(model, payload)))
    entries.sort(key=lambda e: (e.at, e.obj.pk), reverse=True)
    return entries


def may_read_referral_reason(user: Any, patient: Patient) -> bool:
    """The referral reason is clinical free text (ADR 0056): roles that read the clinical record
    see it, and so does the patient it is about; clinic admin staff, who record referrals, see
    the source, referrer and date only."""
    return has_perm(user, VIEW_CLINICAL) or _is_own_record(user, patient.pk)


def referrals(patient: Patient, *, reason: bool, limit: int = 100) -> QuerySet[Referral]:
    """The patient's referrals, most recently received first. ``reason=False`` leaves the reason
    out of the query (deferred), for roles that may not read it (``may_read_referral_reason``).
    Callers must have read the patient through ``get_patient_for`` (which audits the read)."""
    qs = Referral.objects.filter(patient=patient).order_by("-received_on", "-id")
    if not reason:
        qs = qs.defer("reason")
    return qs[:limit]


def referral_of(patient: Patient, referral_id: int, *, reason: bool) -> Referral:
    """One referral of the patient (Http404 for another patient's or none); ``reason=False``
    leaves the reason out of the query, as ``referrals`` does. Callers must have read the
    patient through ``get_patient_for``."""
    qs = Referral.objects.filter(patient=patient, pk=referral_id)
    if not reason:
        qs = qs.defer("reason")
    referral = qs.first()
    if referral is None:
        raise Http404("no such referral for this patient")
    return referral


def has_consent(patient: Patient, kind: str) -> bool:
    """True when the newest recorded Consent of ``kind`` is "given" (withdrawal is a newer row)."""
    status = (
        Consent.objects.filter(patient=patient, kind=kind)
        .order_by("-recorded_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    return status == ConsentStatus.GIVEN


def open_alerts(patient: Patient) -> QuerySet[Alert]:
    """The patient's unacknowledged alerts, newest first."""
    return Alert.objects.filter(patient=patient, acknowledged_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def access_log(user: Any, patient: Patient, *, limit: int = 200) -> QuerySet[Any]:
    """Who read or changed this patient's record (prescribers only; DESIGN.md "Roles and audit")."""
    from painpath.apps.accounts.permissions import VIEW_ACCESS_LOG
    from painpath.apps.audit.models import AuditEvent

    if not has_perm(user, VIEW_ACCESS_LOG):
        raise PermissionDenied("your role may not see the access log")
    return AuditEvent.objects.filter(patient_id=patient.pk).select_related("actor")[:limit]


def current_consents(patient: Patient) -> dict[str, Consent]:
    """The newest Consent per kind (the patient's current position), in one query."""
    current: dict[str, Consent] = {}
    for consent in Consent.objects.filter(patient=patient).order_by("-recorded_at", "-id"):
        current.setdefault(consent.kind, consent)
    return current


def consent_history(patient: Patient, *, limit: int = 100) -> QuerySet[Consent]:
    """Every consent decision, newest first (withdrawals are new rows, never edits)."""
    return (
        Consent.objects.filter(patient=patient)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")[:limit]
    )
