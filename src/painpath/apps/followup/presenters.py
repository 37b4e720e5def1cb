"""Display logic for the follow-up pages: plain dicts the templates print without logic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone

from painpath.apps.followup import answers as A
from painpath.apps.followup.models import FollowUpLink, FollowUpSet, RevokeReason
from painpath.apps.outcomes.models import ReportedSeverity, Symptom
from painpath.clinical.followup.home_questions import questions_for

#: Items with more options than this are a number box (EQ-5D VAS 0-100), not radio buttons.
MAX_RADIOS = 11


def _option_rows(
    field: str, options: Iterable[tuple[str, str]], value: str
) -> list[dict[str, Any]]:
    return [
        {"value": v, "label": label, "id": f"{field}-{v}", "checked": v == value}
        for v, label in options
    ]


def form_blocks(
    s: FollowUpSet, got: A.SetAnswers, errors: Mapping[str, str], region: str
) -> dict[str, Any]:
    """Everything the questionnaire page shows, with the patient's answers and each error."""
    instruments = []
    for code in s.instruments:
        inst = A.instrument(code)
        values = got.answers.get(code) or [None] * len(inst.items)
        items = []
        for i, item in enumerate(inst.items):
            value = "" if i >= len(values) or values[i] is None else str(values[i])
            radios = len(item.options) <= MAX_RADIOS
            items.append(
                {
                    "code": item.code,
                    "number": i + 1,
                    "label": item.label,
                    "radios": radios,
                    "options": _option_rows(
                        item.code, ((str(o.value), o.label) for o in item.options), value
                    )
                    if radios
                    else [],
                    "min": item.values[0],
                    "max": item.values[-1],
                    "value": value,
                    "error": errors.get(item.code, ""),
                }
            )
        instruments.append(
            {
                "code": code,
                "title": inst.title,
                "stem": A.stem(code),
                "error": errors.get(code, ""),
                "items": items,
            }
        )
    se = got.side_effects
    ticked = {e["symptom"]: e for e in se.get("items", [])}
    severities = [(v, label) for v, label in ReportedSeverity.choices]
    symptoms = [
        {
            "code": sym.value,
            "label": sym.label if sym != Symptom.OTHER else "Something else",
            "id": f"se-{sym.value}",
            "checked": sym.value in ticked,
            "severity_field": f"se_{sym.value}_severity",
            "severities": _option_rows(
                f"se_{sym.value}_severity",
                severities,
                ticked.get(sym.value, {}).get("severity", ""),
            ),
            "severity_error": errors.get(f"se_{sym.value}_severity", ""),
            "other": sym == Symptom.OTHER,
        }
        for sym in Symptom
    ]
    rf = got.red_flags
    return {
        "instruments": instruments,
        "ask_side_effects": s.ask_side_effects,
        "se_any": _option_rows("se_any", (("yes", "Yes"), ("no", "No")), se.get("any", "")),
        "se_any_error": errors.get("se_any", ""),
        "se_symptoms_error": errors.get("se_symptoms", ""),
        "symptoms": symptoms,
        "other_description": ticked.get(Symptom.OTHER, {}).get("description", ""),
        "other_description_error": errors.get("se_other_description", ""),
        "rf_any": _option_rows("rf_any", (("yes", "Yes"), ("no", "No")), rf.get("any", "")),
        "rf_any_error": errors.get("rf_any", ""),
        "rf_error": errors.get("rf", ""),
        "red_flags": [
            {
                "code": q.code,
                "text": q.text,
                "id": f"rf-{q.code}",
                "checked": q.code in rf.get("questions", []),
            }
            for q in questions_for(region)
        ],
    }


def error_summary(errors: Mapping[str, str], blocks: Mapping[str, Any]) -> list[dict[str, str]]:
    """Errors as a list linking to each field's first input (GOV.UK error summary, WCAG 3.3.1)."""
    anchors = {
        "se_any": "se_any-yes",
        "rf_any": "rf_any-yes",
        "se_symptoms": "se-dizziness",
        "rf": "rf-list",
        "se_other_description": "se_other_description",
        "instruments": "main",
    }
    for inst in blocks["instruments"]:
        anchors[inst["code"]] = f"q-{inst['code']}"
        for item in inst["items"]:
            first = item["options"][0]["id"] if item["radios"] else item["code"]
            anchors[item["code"]] = first
    for sym in blocks["symptoms"]:
        anchors[sym["severity_field"]] = sym["severities"][0]["id"]
    return [{"field": f, "message": m, "anchor": anchors.get(f, "main")} for f, m in errors.items()]


def last_day(s: FollowUpSet) -> dt.date:
    return s.window_closes_on - dt.timedelta(days=1)


LINK_LABELS = {
    "live": "Live",
    "used": "Used (answers sent)",
    "expired": "Expired",
    "revoked": "Withdrawn",
}


def link_label(link: FollowUpLink | None, now: dt.datetime) -> str:
    if link is None:
        return "No link yet"
    state = link.state(now)
    if state == "revoked" and link.revoke_reason == RevokeReason.REPLACED:
        return "Replaced"
    if state == "revoked" and link.revoke_reason == RevokeReason.CLOSED:
        return "Closed"
    return LINK_LABELS[state]


def clinic_set_rows(
    sets: Iterable[FollowUpSet], latest_links: Mapping[int, FollowUpLink], *, has_email: bool
) -> list[dict[str, Any]]:
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for s in sets:
        link = latest_links.get(s.pk)
        live = link is not None and link.state(now) == "live"
        open_now = s.is_open and today < s.window_closes_on
        rows.append(
            {
                "pk": s.pk,
                "timepoint": s.timepoint.replace("_", " "),
                "due_on": s.due_on,
                "last_day": last_day(s),
                "status": s.status,
                "status_label": s.get_status_display(),
                "reminders": s.reminders_sent,
                "link": link_label(link, now),
                "link_opened": link.last_opened_at if link else None,
                "has_draft": bool(getattr(s, "has_draft", False)),
                "can_revoke": live and s.is_open,
                "can_resend": open_now and has_email and s.due_on <= today,
                "revoke_url": reverse("followup:revoke", args=[s.pk]),
                "resend_url": reverse("followup:resend", args=[s.pk]),
                "resend_label": "Send the link again" if live or link else "Send the link now",
            }
        )
    return rows


def portal_rows(sets: Iterable[FollowUpSet]) -> list[dict[str, Any]]:
    return [
        {
            "timepoint": s.timepoint.replace("_", " "),
            "due_on": s.due_on,
            "last_day": last_day(s),
            "url": reverse("followup:portal_set", args=[s.pk]),
            "has_draft": bool(getattr(s, "has_draft", False)),
        }
        for s in sets
    ]


def treatment_stopped(plan: Any) -> dict[str, Any] | None:
    """The plan's treatment has stopped: say so, and that follow-up goes on (ADR 0091)."""
    treatment = getattr(plan, "treatment", None) if plan is not None else None
    if treatment is None or treatment.stopped_on is None:
        return None
    return {
        "stopped_on": treatment.stopped_on,
        "reason": treatment.reason_stopped,
        "what": treatment.name or treatment.get_category_display(),
    }
