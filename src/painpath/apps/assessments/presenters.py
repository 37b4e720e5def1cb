"""Display logic for assessments and questionnaires: the finding groups of the form, the triage
(live preview and stored), and a questionnaire Score. Templates stay logic-free."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from painpath.apps.assessments import forms
from painpath.apps.patients.presenters import urgency_badge

PAIN_TYPE_LABELS = {
    "mechanical": "Mechanical",
    "radicular": "Radicular (nerve-root compression)",
    "non_specific": "Non-specific",
    "myelopathy": "Myelopathy (spinal cord compression)",
    "radiculopathy": "Cervical radiculopathy",
}
AXIAL_SPA_LABELS = {
    "refer": "Refer to rheumatology (NICE NG65: 4 or more criteria)",
    "hla_b27_test": "Test HLA-B27 (NICE NG65: exactly 3 criteria)",
    "not_met": "Criteria not met",
    "not_applicable": "Not applicable",
}


def finding_groups(post: Any = None) -> list[dict[str, Any]]:
    """The vocabulary as checkbox groups, with ticks, days and course from ``post``."""
    findings, headings = forms.vocabulary()
    ticked = set(post.getlist("finding")) if post is not None else set()
    groups: dict[str, dict[str, Any]] = {}
    for code, f in findings.items():
        group = groups.setdefault(
            f.group,
            {
                "code": f.group,
                "heading": headings.get(f.group, f.group.replace("_", " ").capitalize()),
                "findings": [],
            },
        )
        timed = bool(getattr(f, "timed", False))
        group["findings"].append(
            {
                "code": code,
                "meaning": f.meaning,
                "checked": code in ticked,
                "timed": timed,
                "days": post.get(f"days_{code}", "") if post is not None else "",
                "courses": [
                    {
                        "value": v,
                        "label": label,
                        "selected": post is not None and post.get(f"course_{code}") == v,
                    }
                    for v, label in forms.COURSES
                ],
            }
        )
    return list(groups.values())


def _meaning(code: Any) -> str:
    """A finding's clinical meaning from the vocabulary (its code if the vocabulary lacks it)."""
    findings, _ = forms.vocabulary()
    return str(getattr(findings.get(str(code)), "meaning", code))


def _entries(items: Any) -> list[dict[str, str]]:
    return [
        {
            "code": str(i.get("code", "")),
            "text": str(i.get("text", "")),
            "source": str(i.get("source", "")),
        }
        for i in items or []
    ]


def triage_view(result: Mapping[str, Any]) -> dict[str, Any]:
    """The triage (``Triage.to_dict()`` or a stored one) for the page: most urgent first."""
    urgency = str(result.get("urgency") or "")
    red_flags = [
        {
            "code": str(f.get("code", "")),
            "condition": str(f.get("condition") or f.get("code", "")),
            "urgency": urgency_badge(f.get("urgency")),
            "is_emergency": f.get("urgency") == "emergency",
            "findings": [_meaning(x) for x in f.get("findings") or []],
            "action": str(f.get("action") or ""),
            "source": str(f.get("source", "")),
        }
        for f in result.get("red_flags") or []
    ]
    risk = result.get("risk") or None
    pathway = result.get("pathway") or {}
    return {
        "urgency": urgency_badge(urgency),
        "emergency_conditions": "; ".join(f["condition"] for f in red_flags if f["is_emergency"]),
        "emergency": urgency == "emergency",
        "urgent": urgency == "urgent",
        "action": str(result.get("action") or ""),
        "red_flags": red_flags,
        "pain_type": PAIN_TYPE_LABELS.get(
            str(result.get("pain_type") or ""), str(result.get("pain_type") or "Not classified")
        ),
        "neuropathic": str(result.get("neuropathic") or "not assessed"),
        "risk": (
            {
                "instrument": str(risk.get("instrument", "")),
                "group": str(risk.get("group", "")),
                "total": risk.get("total"),
                "subscale": risk.get("subscale"),
            }
            if isinstance(risk, Mapping)
            else None
        ),
        "axial_spa": AXIAL_SPA_LABELS.get(
            str(result.get("axial_spa") or ""), str(result.get("axial_spa") or "")
        ),
        "recommended": _entries(pathway.get("recommended")),
        "not_recommended": _entries(pathway.get("not_recommended")),
        "consider": _entries(pathway.get("consider")),
        "guideline": str(pathway.get("guideline") or ""),
        "cbpm": _entries([pathway["cbpm"]] if isinstance(pathway.get("cbpm"), Mapping) else []),
        "explanations": [str(e) for e in result.get("explanations") or []],
        "ruleset": str(result.get("ruleset") or ""),
    }


def score_view(response: Any, instrument: Any) -> dict[str, Any]:
    """A stored questionnaire response's Score for the page."""
    value = response.value
    shown = (
        "incomplete"
        if value is None
        else (f"{value:g}" if isinstance(value, float) else str(value))
    )
    return {
        "instrument": instrument.title if instrument else response.instrument,
        "code": response.instrument,
        "value": shown,
        "range": f"{instrument.min_value}-{instrument.max_value}" if instrument else "",
        "band": (response.band or "").replace("_", " ") or "no band",
        "subscores": [
            (
                name.replace("_", " "),
                "–" if v is None else (f"{v:g}" if isinstance(v, float) else v),
            )
            for name, v in (response.subscores or {}).items()
        ],
        "flags": [f.replace("_", " ") for f in response.flags or []],
        "phq9_item9": "phq9_item9_positive" in (response.flags or []),
        "complete": response.complete,
        "higher_is_better": bool(instrument and instrument.higher_is_better),
        "source": instrument.source if instrument else "",
    }
