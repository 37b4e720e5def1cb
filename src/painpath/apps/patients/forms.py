"""Field declarations for the patient forms: labels, input types, autocomplete and hints.

Validation is not here: the actions (``actions.py``) validate every field and raise
``ActionError({field: message})``, so the web form, the API and the CLI refuse the same input
with the same words. These declarations only tell the template what to draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from painpath.apps.patients.models import (
    ConsentKind,
    ReferralSource,
    Sex,
    TreatmentCategory,
    TreatmentEffect,
)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | email | tel | date | textarea | select | checkbox
    autocomplete: str = "off"
    hint: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    inputmode: str = ""


DEMOGRAPHICS: tuple[Field, ...] = (
    Field(
        "nhs_number",
        "NHS number",
        hint="10 digits, spaces allowed, for example 943 476 5919",
        required=True,
        inputmode="numeric",
    ),
    Field("given_name", "Given name", autocomplete="off", required=True),
    Field("family_name", "Family name", autocomplete="off", required=True),
    Field("date_of_birth", "Date of birth", kind="date", hint="YYYY-MM-DD", required=True),
    Field("sex", "Sex", kind="select", required=True, choices=tuple(Sex.choices)),
    Field("email", "Email", kind="email"),
    Field("phone", "Phone", kind="tel"),
    Field("address", "Address", kind="textarea"),
    Field("postcode", "Postcode"),
    Field("gp_practice_name", "GP practice name"),
    Field("gp_practice_code", "GP practice code", hint="ODS code, for example A81001"),
    Field("gp_email", "GP practice email", kind="email"),
)

TREATMENT: tuple[Field, ...] = (
    Field(
        "category",
        "Category",
        kind="select",
        required=True,
        choices=tuple(TreatmentCategory.choices),
    ),
    Field("name", "Name (drug, programme or procedure)", hint="Optional, for example naproxen"),
    Field("started_on", "Started on", kind="date", hint="YYYY-MM-DD, optional"),
    Field("stopped_on", "Stopped on", kind="date", hint="YYYY-MM-DD, blank if still ongoing"),
    Field("effect", "Effect", kind="select", required=True, choices=tuple(TreatmentEffect.choices)),
    Field("reason_stopped", "Reason stopped", kind="textarea"),
)

#: The add-treatment form's box that starts follow-up with the new treatment (ADR 0091); drawn
#: by the template itself, shown only to roles that manage follow-up when no plan is active.
START_FOLLOWUP = Field(
    "start_followup",
    "Start follow-up questionnaires with this treatment",
    kind="checkbox",
    hint=(
        "Baseline on the start date (today when none), then 2 weeks, 1, 3, 6 and 12 months and "
        "every 6 months. Only for a treatment still going on, started in the last 28 days."
    ),
)

REFERRAL: tuple[Field, ...] = (
    Field(
        "source", "Referred by", kind="select", required=True, choices=tuple(ReferralSource.choices)
    ),
    Field("referrer", "Referrer", hint="Optional: name and organisation, for example the GP"),
    Field("received_on", "Received on", kind="date", hint="YYYY-MM-DD", required=True),
    Field(
        "reason",
        "Reason for referral",
        kind="textarea",
        hint="Optional. Clinical information: once saved, only clinicians see it.",
    ),
)

#: Correcting a referral (ADR 0094): its fields, prefilled, and why it is corrected.
CORRECTION_REASON = Field(
    "correction_reason",
    "Reason for the correction",
    kind="textarea",
    required=True,
    hint="What was entered wrongly, at most 500 characters. The previous values are kept.",
)
REFERRAL_CORRECTION: tuple[Field, ...] = (*REFERRAL, CORRECTION_REASON)
#: For roles that may not read the reason (clinic admin staff, ADR 0056): the reason is not
#: shown; left empty it is kept as recorded.
REFERRAL_CORRECTION_BLIND: tuple[Field, ...] = (
    *REFERRAL[:3],
    Field(
        "reason",
        "Reason for referral",
        kind="textarea",
        hint=(
            "Clinical information, not shown to you. Leave empty to keep the reason as recorded; "
            "text typed here replaces it."
        ),
    ),
    CORRECTION_REASON,
)

#: The registration form's optional referral: the same fields named ``referral_<field>``.
#: Optional as a group; when any is filled in, "referred by" and "received on" are needed.
_REGISTRATION_HINTS = {
    "source": "Leave every referral field blank to record the referral later",
    "received_on": "YYYY-MM-DD; needed, with who referred, when any referral detail is given",
}
REGISTRATION_REFERRAL: tuple[Field, ...] = tuple(
    Field(
        f"referral_{f.name}",
        f.label,
        kind=f.kind,
        hint=_REGISTRATION_HINTS.get(f.name, f.hint),
        choices=f.choices,
    )
    for f in REFERRAL
)

CONSENT_KINDS: tuple[tuple[str, str], ...] = tuple(ConsentKind.choices)


def bound(
    fields: tuple[Field, ...], data: Mapping[str, Any], errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Each field with its current value and error, ready for ``patients/_field.html``."""
    rows = []
    for f in fields:
        value = data.get(f.name, "")
        error = errors.get(f.name, "")
        ids = [f"id_{f.name}-hint"] if f.hint else []
        if error:
            ids.append(f"id_{f.name}-error")
        rows.append(
            {
                "field": f,
                "id": f"id_{f.name}",
                "describedby": " ".join(ids),
                "value": "" if value is None else str(value),
                "error": error,
                "options": [
                    {"value": v, "label": label, "selected": str(value) == v}
                    for v, label in f.choices
                ],
            }
        )
    return rows


def error_list(
    errors: Mapping[str, str], fields: tuple[Field, ...] = (), prefix: str = "id_"
) -> list[dict[str, str]]:
    """The error summary: each refused field's label, message and the anchor of its input."""
    labels = {f.name: f.label for f in fields}
    return [
        {
            "anchor": f"{prefix}{name}" if name in labels else "main",
            "label": labels.get(name, name.replace("_", " ").capitalize()),
            "message": message,
        }
        for name, message in errors.items()
    ]
