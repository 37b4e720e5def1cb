"""Display logic for the patient pages: what each row, badge and timeline entry shows.

Templates stay logic-free: they print what these functions return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from painpath.apps.assessments.models import Urgency
from painpath.apps.patients.models import ConsentKind, Patient
from painpath.apps.patients.selectors import TimelineEntry
from painpath.apps.patients.validators import format_nhs_number

#: Pain types the triage can give (CLINICAL.md section 4), for the list filter.
PAIN_TYPES: tuple[tuple[str, str], ...] = (
    ("mechanical", "Mechanical"),
    ("radicular", "Radicular (nerve root)"),
    ("non_specific", "Non-specific"),
    ("myelopathy", "Myelopathy"),
    ("radiculopathy", "Cervical radiculopathy"),
)
URGENCY_ICONS = {"emergency": "⚠", "urgent": "!", "soon": "◷", "routine": "✓"}
KIND_LABELS = {
    "assessment": "Assessment",
    "questionnaire": "Questionnaire",
    "treatment": "Treatment",
    "note": "Note",
    "alert": "Alert",
    "referral": "Referral",
}


def url_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def urgency_badge(urgency: str | None) -> dict[str, str]:
    """Word, icon text and CSS class for an urgency (never colour alone)."""
    if not urgency:
        return {"label": "Not assessed", "icon": "–", "css": "urgency-none"}
    label = dict(Urgency.choices).get(urgency, urgency)
    return {"label": label, "icon": URGENCY_ICONS.get(urgency, ""), "css": f"urgency-{urgency}"}


def label_of(code: str | None, choices: Iterable[tuple[str, str]]) -> str:
    if not code:
        return "–"
    return dict(choices).get(code, code.replace("_", " "))


def age_on(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def patient_rows(patients: Iterable[Patient]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.full_name,
            "nhs_number": format_nhs_number(p.nhs_number),
            "date_of_birth": p.date_of_birth,
            "urgency": urgency_badge(getattr(p, "latest_urgency", None)),
            "pain_type": label_of(getattr(p, "latest_pain_type", None), PAIN_TYPES),
            "open_alerts": getattr(p, "open_alert_count", 0),
            "url": reverse("patients:detail", args=[p.pk]),
        }
        for p in patients
    ]


def patient_header(patient: Patient) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": patient.pk,
        "name": patient.full_name,
        "nhs_number": format_nhs_number(patient.nhs_number),
        "date_of_birth": patient.date_of_birth,
        "age": age_on(patient.date_of_birth, today),
        "sex": patient.get_sex_display(),
    }


def demographics(patient: Patient) -> list[tuple[str, str]]:
    return [
        ("NHS number", format_nhs_number(patient.nhs_number)),
        ("Date of birth", patient.date_of_birth.isoformat()),
        ("Sex", patient.get_sex_display()),
        ("Email", patient.email or "–"),
        ("Phone", patient.phone or "–"),
        ("Address", patient.address or "–"),
        ("Postcode", patient.postcode or "–"),
        (
            "GP practice",
            " ".join(x for x in (patient.gp_practice_name, patient.gp_practice_code) if x) or "–",
        ),
        ("GP email", patient.gp_email or "–"),
    ]


def consent_rows(current: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Current position per consent kind (``current``: kind -> newest Consent or None)."""
    rows = []
    for kind, label in ConsentKind.choices:
        c = current.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "status": c.get_status_display() if c else "Not recorded",
                "given": bool(c and c.status == "given"),
                "decided_on": c.decided_on if c else None,
            }
        )
    return rows


def referral_rows(referrals: Iterable[Any], *, show_reason: bool) -> list[dict[str, Any]]:
    """The patient page's referral table. ``show_reason`` False (clinic admin staff, ADR 0056):
    no reason key at all, so a template cannot print it by mistake."""
    rows = []
    for r in referrals:
        row: dict[str, Any] = {
            "id": r.pk,
            "source": r.get_source_display(),
            "referrer": r.referrer or "–",
            "received_on": r.received_on,
        }
        if show_reason:
            row["reason"] = r.reason or "–"
        rows.append(row)
    return rows


def _red_flags(triage: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "condition": str(f.get("condition") or f.get("code", "")),
            "urgency": urgency_badge(f.get("urgency"))["label"],
            "source": str(f.get("source", "")),
        }
        for f in triage.get("red_flags") or []
    ]


def timeline_rows(entries: Iterable[TimelineEntry], *, next_url: str) -> list[dict[str, Any]]:
    rows = []
    for e in entries:
        row: dict[str, Any] = {
            "kind": e.kind,
            "kind_label": KIND_LABELS.get(e.kind, e.kind),
            "at": e.at,
            "title": e.title,
            "detail": e.detail,
            "url": None,
            "urgency": None,
            "red_flags": [],
            "flags": [],
            "acknowledge_url": None,
            "alert_id": None,
        }
        obj = e.obj
        if e.kind == "assessment":
            row["urgency"] = urgency_badge(obj.urgency)
            row["red_flags"] = _red_flags(obj.triage or {})
            row["url"] = url_or_none("assessments:detail", obj.pk)
        elif e.kind == "questionnaire":
            row["flags"] = [f.replace("_", " ") for f in obj.flags or []]
            row["url"] = url_or_none("assessments:response", obj.pk)
        elif e.kind == "alert":
            row["urgency"] = urgency_badge(obj.severity)
            if obj.acknowledged_at is None:
                row["acknowledge_url"] = url_or_none("outcomes:acknowledge", obj.pk)
                row["alert_id"] = obj.pk
        rows.append(row)
    return rows


def access_rows(events: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "at": ev.at,
            "who": ev.actor.display_name if ev.actor else ev.actor_label,
            "role": ev.actor.get_role_display() if ev.actor else "–",
            "what": f"{ev.get_action_display()} {ev.object_type.replace('_', ' ')}",
            "object_id": ev.object_id,
            "ip": ev.ip_address or "–",
            "agent": ev.user_agent[:80] or "–",
        }
        for ev in events
    ]
