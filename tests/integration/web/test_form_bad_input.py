"""Every server-rendered form, posted bad input by a role allowed to use it, refuses it cleanly.

For each form (every non-API URL that takes a POST body: see ``POST_FORMS``) and each kind of
bad value (missing required fields, text in number and date fields, impossible dates such as
2026-02-30, future dates where they make no sense, over-long strings, unknown choices, invalid
NHS numbers, negative and huge numbers, non-ASCII digits, control characters) the page must:

- answer 4xx, never 5xx;
- show an error element (``class="error..."``) that names the field: its label or name is in
  the error's text, or the error sits in the same field container as the field's input/label;
- change nothing: every row of every clinical and account table is the same before and after
  (audit events, sessions and the log-in / bad-link throttles are expected to grow).

The objects each form needs come from the URL x role matrix's builders (``url_matrix.World``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.integration.web.matrix_patients import NEW_PATIENT
from tests.integration.web.url_matrix import World, load, url_patterns

MATRIX = load()

#: Tables whose rows may change when a form is refused (reads and refusals are audited; failed
#: log-ins and bad links are counted by the throttles; the session is written on every request).
MAY_CHANGE = {
    "audit.AuditEvent",
    "sessions.Session",
    "accounts.LoginAttempt",
    "followup.LinkFailure",
    "contenttypes.ContentType",
    "auth.Permission",
}

#: POST URLs with no user-typed input (one button): bad input cannot reach them.
NO_INPUT = {
    "accounts:logout": "a button; no fields",
    "followup:revoke": "a button; no fields (the set is in the URL)",
    "followup:resend": "a button; no fields (the set is in the URL)",
    "followup:stop": "a button; no fields (the plan is in the URL)",
    "research:reports": "read-only page: a POST is refused (405) before any input is read",
}

TODAY = timezone.localdate()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
FAR_FUTURE = "2999-01-01"
LONG = "x" * 5000
HUGE = "9" * 30
VERY_LONG_DIGITS = "9" * 5000  # past Python's int() digit limit
SUPERSCRIPT_TWO = "\u00b2"  # str.isdigit() is True, int() refuses it
CONTROL = "Robin\x00\x07\x1b"
BIDI = "Ro\u202ebin"


# --- the page's error messages -------------------------------------------------------------


_VOID = {"input", "br", "img", "meta", "link", "hr", "col", "area", "base", "source", "wbr"}


class _Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Node] = []
        self.text_parts: list[str] = []

    def text(self) -> str:
        parts = list(self.text_parts)
        for c in self.children:
            parts.append(c.text())
        return " ".join(" ".join(parts).split())

    def walk(self) -> Any:
        yield self
        for c in self.children:
            yield from c.walk()


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {}, None)
        self.here = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.here)
        self.here.children.append(node)
        if tag not in _VOID:
            self.here = node

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.here
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.here = node.parent

    def handle_data(self, data: str) -> None:
        self.here.text_parts.append(data)


_CONTAINERS = {"p", "fieldset", "div", "label", "li"}


def _field_errors(html: str, field: str, labels: tuple[str, ...]) -> tuple[list[str], bool]:
    """(every error text on the page, whether one of them names ``field``)."""
    tree = _Tree()
    tree.feed(html)
    needles = [n.lower() for n in (field, field.replace("_", " "), *labels)]
    texts, named = [], False
    for node in tree.root.walk():
        classes = node.attrs.get("class", "").split()
        if not any(c.startswith("error") for c in classes) and node.attrs.get("role") != "alert":
            continue
        text = node.text()
        if not text:
            continue
        texts.append(text)
        if any(n in text.lower() for n in needles):
            named = True
            continue
        parent = node.parent
        if parent is not None and parent.tag in _CONTAINERS and parent is not tree.root:
            names = {d.attrs.get("name", "") for d in parent.walk()}
            if field in names or any(n in parent.text().lower() for n in needles[2:]):
                named = True
    return texts, named


# --- nothing saved ---------------------------------------------------------------------------


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    rows = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in MAY_CHANGE:
            continue
        rows[label] = list(model.objects.order_by("pk").values())
    return rows


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    for label, rows in before.items():
        if after[label] != rows:
            out.append(f"{label}: {len(rows)} -> {len(after[label])} rows, or a row edited")
    return out


# --- the forms and their bad values ----------------------------------------------------------


def _eligible(w: World) -> Any:
    """The matrix patient with two failed treatments and an approved CBPM decision."""
    from painpath.apps.medicines import actions
    from painpath.apps.patients.models import Treatment

    patient = w["patient"]
    Treatment.objects.create(patient=patient, category="nsaid", name="naproxen",
                             effect="no_effect")  # fmt: skip
    Treatment.objects.create(patient=patient, category="gabapentinoid", name="pregabalin",
                             effect="not_tolerated")  # fmt: skip
    actions.record_eligibility_decision(
        by=w.user("prescriber"), patient=patient, decision="approved",
        rationale="Two failed treatments; NG144 discussed.", mdt_agreement=True,
        informed_consent_unlicensed=True, prior_cannabis_use="past",
    )  # fmt: skip
    return patient


def _checked_rx(w: World) -> Any:
    from painpath.apps.medicines import actions

    patient = w["eligible_patient"]
    rx = actions.draft_prescription(
        by=w.user("nurse"), patient=patient, product=w["product"], dose="0.25 ml twice daily",
        daily_amount="0.5", quantity="15", quantity_words="fifteen millilitres", unit="ml",
    )  # fmt: skip
    return actions.check_prescription_draft(
        by=w.user("nurse"), prescription=rx, facts={}, current_medicines=[]
    )


def _signed_rx(w: World) -> Any:
    from painpath.apps.medicines import actions

    return actions.sign_prescription(
        by=w.user("prescriber"), prescription=w["checked_rx"], driving_advice_given=True
    )


BUILDERS: dict[str, Callable[[World], Any]] = {
    "eligible_patient": _eligible,
    "checked_rx": _checked_rx,
    "signed_rx": _signed_rx,
}


@dataclass(frozen=True)
class Form:
    name: str
    role: str
    kwargs: Callable[[World], dict[str, Any]]
    good: Callable[[World], dict[str, Any]]
    #: field name -> labels that may name it in the message
    labels: dict[str, tuple[str, ...]]
    status: int = 422


@dataclass(frozen=True)
class Bad:
    form: str
    field: str
    note: str
    #: the changes to the good body: a value, or None to leave the field out
    change: dict[str, Any]
    #: text the message must hold to say what is allowed ("" when the label is enough)
    allowed: str = ""
    status: int | None = None
    #: a known bug outside this test's reach (reported): the case is a strict xfail
    known: str = ""


def _pid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk}


def _rid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk, "referral_id": w["referral"].pk}


def _product_id(w: World) -> dict[str, Any]:
    return {"product_id": w["product"].pk}


def _rx_id(w: World) -> dict[str, Any]:
    return {"rx_id": w["rx"].pk}


def _checked_rx_id(w: World) -> dict[str, Any]:
    return {"rx_id": w["checked_rx"].pk}


def _signed_rx_id(w: World) -> dict[str, Any]:
    return {"rx_id": w["signed_rx"].pk}


def _nothing(w: World) -> dict[str, Any]:
    return {}


def _gad7(w: World) -> dict[str, Any]:
    return {f"item_gad7_{i}": "1" for i in range(1, 8)}


def _referral(w: World) -> dict[str, Any]:
    return {"source": "gp", "referrer": "Dr A. Example", "received_on": "2024-02-03"}


def _product_body(w: World) -> dict[str, Any]:
    return {
        "name": "Bad-input CBD oil", "form": "oil", "unit": "ml", "route": "oral",
        "thc_mg_per_unit": "0", "cbd_mg_per_unit": "20", "pack_sizes": "30",
    }  # fmt: skip


def _rx_body(w: World) -> dict[str, Any]:
    return {
        "product": str(w["product"].pk), "kind": "initiation", "dose": "0.5 ml twice daily",
        "unit": "ml", "daily_amount": "1", "quantity": "30",
        "quantity_words": "thirty millilitres",
    }  # fmt: skip


def _plan_body(w: World) -> dict[str, Any]:
    return {"protocol": "routine", "product": str(w["product"].pk), "days": "28",
            "start_date": "2026-01-05"}  # fmt: skip


def _decide_body(w: World) -> dict[str, Any]:
    return {
        "decision": "declined", "rationale": "One conventional treatment left to try.",
        "mdt_agreement": "on", "mdt_date": "2026-01-05", "prior_cannabis_use": "never",
    }  # fmt: skip


def _fill(w: World) -> dict[str, Any]:
    return {"token": w["followup_token"]}


def _own_set(w: World) -> dict[str, Any]:
    return {"set_id": w["own_followup_set"].pk}


def _event(w: World) -> dict[str, Any]:
    return {"event_id": w["adverse_event"].pk}


def _alert(w: World) -> dict[str, Any]:
    return {"alert_id": w["outcomes_alert"].pk}


FORMS = {
    f.name: f
    for f in (
        Form("accounts:login", "anonymous", _nothing,
             lambda w: {"username": "nobody", "password": "wrong-password"},
             {"username": ("Username",), "password": ("Password",)}),
        Form("accounts:password_change", "nurse", _nothing,
             lambda w: {"old_password": "password", "new_password1": "A-long-new-pass-2026",
                        "new_password2": "A-long-new-pass-2026"},
             {"old_password": ("Old password",), "new_password1": ("New password",),
              "new_password2": ("confirmation",)}),
        Form("patients:new", "admin", _nothing, lambda w: dict(NEW_PATIENT),
             {"nhs_number": ("NHS number",), "given_name": ("Given name",),
              "family_name": ("Family name",), "date_of_birth": ("Date of birth",),
              "sex": ("Sex",), "email": ("Email",), "phone": ("Phone",),
              "postcode": ("Postcode",), "gp_practice_code": ("GP practice code",),
              "gp_practice_name": ("GP practice name",), "address": ("Address",),
              "referral_source": ("Referred by",), "referral_received_on": ("Received on",),
              "referral_referrer": ("Referrer",)}),
        Form("patients:edit", "nurse", _pid,
             lambda w: {**NEW_PATIENT, "nhs_number": w["patient"].nhs_number},
             {"nhs_number": ("NHS number",), "given_name": ("Given name",),
              "date_of_birth": ("Date of birth",), "sex": ("Sex",), "email": ("Email",),
              "address": ("Address",), "gp_email": ("GP practice email",)}),
        Form("patients:referral_new", "admin", _pid, _referral,
             {"source": ("Referred by",), "referrer": ("Referrer",),
              "received_on": ("Received on",), "reason": ("Reason",)}),
        Form("patients:referral_correct", "admin", _rid,
             lambda w: {**_referral(w), "source": "self",
                        "correction_reason": "Typed from the wrong letter."},
             {"source": ("Referred by",), "referrer": ("Referrer",),
              "received_on": ("Received on",), "reason": ("Reason for referral",),
              "correction_reason": ("Reason for the correction",)}),
        Form("patients:treatment_new", "nurse", _pid,
             lambda w: {"category": "nsaid", "name": "naproxen", "started_on": "2024-01-01",
                        "stopped_on": "", "effect": "ongoing", "reason_stopped": ""},
             {"category": ("Category",), "name": ("Name",), "started_on": ("Started on",),
              "stopped_on": ("Stopped on",), "effect": ("Effect",),
              "reason_stopped": ("Reason stopped",), "start_followup": ("follow-up",)}),
        Form("patients:note_new", "nurse", _pid, lambda w: {"text": "A note."},
             {"text": ("Note",)}),
        Form("patients:consents", "admin", _pid,
             lambda w: {"kind": "gp_sharing", "status": "withdrawn", "decided_on": "2024-02-03"},
             {"kind": ("Consent",), "status": ("Decision",), "decided_on": ("Decided on",)}),
        Form("assessments:new", "nurse", _pid,
             lambda w: {"region": "low_back", "duration_weeks": "20", "finding": ["night_pain"],
                        "action": "save"},
             {"region": ("Region",), "duration_weeks": ("Duration",),
              "age_at_onset": ("Age at onset",), "finding": ("Finding",),
              "examination": ("Examination",), "startback_startback_1": ("startback item 1",),
              "action": ("action",)}),
        Form("assessments:preview", "nurse", _pid,
             lambda w: {"region": "low_back", "duration_weeks": "20", "finding": ["night_pain"]},
             {"region": ("Region",), "duration_weeks": ("Duration",),
              "age_at_onset": ("Age at onset",), "finding": ("Finding",)},
             status=200),
        Form("assessments:questionnaire_new", "nurse",
             lambda w: {"patient_id": w["patient"].pk, "code": "gad7"}, _gad7,
             {f"item_gad7_{i}": (f"Item {i}", f"gad7 item {i}") for i in range(1, 8)}),
        Form("followup:fill", "anonymous", _fill, lambda w: {"action": "save", "nrs_1": "4"},
             {"nrs_1": ("nrs_1", "pain"), "action": ("action", "Send my answers"),
              "se_other_description": ("se_other_description", "control character")}),
        Form("followup:portal_set", "patient", _own_set,
             lambda w: {"action": "save", "nrs_1": "4"},
             {"nrs_1": ("nrs_1", "pain"), "action": ("action", "Send my answers")}),
        Form("followup:start", "nurse", _pid,
             lambda w: {"region": "low_back", "pain_measure": "nrs",
                        "started_on": TODAY.isoformat()},
             {"region": ("region",), "pain_measure": ("pain_measure", "pain measure"),
              "started_on": ("started_on",), "treatment": ("treatment",)}),
        Form("medicines:formulary", "prescriber", _nothing, _product_body,
             {"name": ("Name",), "form": ("Form",), "unit": ("Unit",), "route": ("Route",),
              "thc_mg_per_unit": ("THC",), "cbd_mg_per_unit": ("CBD",),
              "pack_sizes": ("Pack",)}),
        Form("medicines:product_edit", "prescriber", _product_id,
             lambda w: {**_product_body(w), "reason": "Supplier renamed it"},
             {"name": ("Name",), "form": ("Form",), "unit": ("Unit",), "route": ("Route",),
              "thc_mg_per_unit": ("THC",), "cbd_mg_per_unit": ("CBD",),
              "pack_sizes": ("Pack",), "reason": ("Reason",)}),
        Form("medicines:product_retire", "prescriber", _product_id,
             lambda w: {"reason": "Discontinued"}, {"reason": ("Reason",)}),
        Form("medicines:decide", "prescriber", _pid, _decide_body,
             {"decision": ("Decision",), "rationale": ("Rationale",), "mdt_date": ("MDT date",),
              "prior_cannabis_use": ("Prior cannabis use",),
              "mdt_agreement": ("MDT", "multidisciplinary"),
              "informed_consent_unlicensed": ("informed consent",)}),
        Form("medicines:plan_new", "nurse", _pid, _plan_body,
             {"protocol": ("Protocol",), "product": ("Product",),
              "thc_product": ("THC product",), "days": ("Days",),
              "start_date": ("Start date", "Start")}),
        Form("medicines:rx_new", "nurse", _pid, _rx_body,
             {"product": ("Product",), "kind": ("Kind",), "dose": ("Dose",), "unit": ("Unit",),
              "daily_amount": ("per day", "daily"), "quantity": ("Quantity",),
              "quantity_words": ("words",), "appropriate_date": ("date",)}),
        Form("medicines:rx_check", "nurse", _rx_id, lambda w: {"current_medicines": ""},
             {"alt_x_uln": ("ALT",), "ast_x_uln": ("AST",), "bilirubin_x_uln": ("Bilirubin",),
              "hepatic_impairment": ("Hepatic",), "current_medicines": ("medicines",)}),
        Form("medicines:rx_sign", "prescriber", _checked_rx_id,
             lambda w: {"driving_advice_given": "on", "driving_note": ""},
             {"driving_advice_given": ("driving",), "driving_note": ("driving",)}),
        Form("medicines:rx_cancel", "nurse", _rx_id, lambda w: {"reason": "Entered in error"},
             {"reason": ("reason",)}),
        Form("medicines:rx_stop", "prescriber", _signed_rx_id,
             lambda w: {"reason": "Side effects"}, {"reason": ("reason",)}),
        Form("medicines:rx_change", "prescriber", _signed_rx_id,
             lambda w: {"reason": "More relief needed", "daily_amount": "1"},
             {"reason": ("reason",), "daily_amount": ("per day", "daily"),
              "quantity": ("quantity",), "dose": ("dose",), "unit": ("unit",),
              "quantity_words": ("words",)}),
        Form("outcomes:acknowledge", "nurse", _alert, lambda w: {"note": "Seen"},
             {"note": ("note",)}, status=409),
        Form("outcomes:grade", "nurse", _event,
             lambda w: {"grade": "2", "serious": "no", "causality": "possible"},
             {"grade": ("grade",), "serious": ("serious",), "causality": ("causality",)}),
    )
}  # fmt: skip

WITHOUT = None  # leave the field out of the body


def _bad(form: str, field: str, note: str, value: Any, allowed: str = "", **kw: Any) -> Bad:
    return Bad(form, field, note, {field: value}, allowed, **kw)


def _many(form: str, field: str, values: dict[str, Any], allowed: str = "") -> list[Bad]:
    return [_bad(form, field, note, v, allowed) for note, v in values.items()]


DATE_VALUES = {
    "text in a date": "next tuesday",
    "30 February": "2026-02-30",
    "month 13": "2026-13-01",
    "day-month-year": "17/05/1980",
    "control characters": "2024-01-0\x00",
}
NUMBER_VALUES = {
    "text in a number": "twenty",
    "negative": "-5",
    "huge": HUGE,
    "past the int() digit limit": VERY_LONG_DIGITS,
    "superscript digit": SUPERSCRIPT_TWO,
}

BAD: list[Bad] = [
    # accounts
    _bad("accounts:login", "username", "missing username", WITHOUT),
    _bad("accounts:login", "password", "missing password", WITHOUT),
    _bad("accounts:login", "username", "control characters in username", "nobody\x00"),
    _bad("accounts:password_change", "old_password", "missing old password", WITHOUT),
    _bad("accounts:password_change", "new_password2", "confirmation differs", "Other-pass-2026"),
    # patients: registration
    *_many("patients:new", "nhs_number", {
        "missing NHS number": WITHOUT, "check digit": "943 476 5918", "letters": "943 476 591X",
        "nine digits": "943476591", "superscript digit": "943 476 591" + SUPERSCRIPT_TWO,
        "Arabic-Indic digits": "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669",
        "fullwidth digits": "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",
        "control characters": "943 476 5919\x00", "over-long": HUGE,
    }),
    *_many("patients:new", "given_name", {
        "missing given name": WITHOUT, "blank given name": "   ", "over-long given name": LONG,
        "NUL in given name": CONTROL,
    }),
    _bad("patients:new", "family_name", "NUL in family name", "New\x00"),
    *_many("patients:new", "date_of_birth", {**DATE_VALUES, "in the future": TOMORROW,
                                             "year 1800": "1800-01-01", "missing": WITHOUT}),
    *_many("patients:new", "sex", {"unknown sex": "robot", "missing sex": WITHOUT}),
    _bad("patients:new", "email", "bad email", "not-an-email"),
    _bad("patients:new", "email", "NUL in email", "a\x00@example.org"),
    _bad("patients:new", "phone", "over-long phone", "0" * 500),
    _bad("patients:new", "phone", "NUL in phone", "0123\x00"),
    _bad("patients:new", "postcode", "over-long postcode", "SW1A 1AA" * 50),
    _bad("patients:new", "gp_practice_code", "over-long practice code", "A81001" * 50),
    _bad("patients:new", "gp_practice_name", "over-long practice name", LONG),
    _bad("patients:new", "address", "NUL in address", "1 Demo Street\x00"),
    _bad("patients:new", "address", "over-long address", "x" * 100_000),
    _bad("patients:new", "referral_source", "unknown referral source", "pharmacy"),
    _bad("patients:new", "referral_received_on", "referral in the future", FAR_FUTURE),
    Bad("patients:new", "referral_received_on", "referral 30 February",
        {"referral_source": "gp", "referral_received_on": "2026-02-30"}),
    Bad("patients:new", "referral_referrer", "referral: over-long referrer",
        {"referral_source": "gp", "referral_received_on": "2024-01-01", "referral_referrer": LONG}),
    # patients: edit
    _bad("patients:edit", "nhs_number", "check digit", "943 476 5918"),
    _bad("patients:edit", "date_of_birth", "30 February", "2026-02-30"),
    _bad("patients:edit", "date_of_birth", "in the future", TOMORROW),
    _bad("patients:edit", "given_name", "NUL", CONTROL),
    _bad("patients:edit", "sex", "unknown", "robot"),
    _bad("patients:edit", "gp_email", "bad GP email", "gp@"),
    _bad("patients:edit", "address", "NUL in address", "1 Demo Street\x00"),
    # referrals
    *_many("patients:referral_new", "received_on",
           {**DATE_VALUES, "in the future": FAR_FUTURE, "missing": WITHOUT}),
    *_many("patients:referral_new", "source", {"unknown": "pharmacy", "missing": WITHOUT}),
    _bad("patients:referral_new", "referrer", "over-long referrer", LONG),
    _bad("patients:referral_new", "referrer", "NUL in referrer", "Dr A\x00"),
    _bad("patients:referral_new", "reason", "over-long reason", "x" * 100_000),
    _bad("patients:referral_new", "reason", "NUL in reason", "Back pain\x00"),
    # referral corrections (ADR 0094): the recording rules, and the reason for the correction
    *_many("patients:referral_correct", "received_on",
           {**DATE_VALUES, "in the future": FAR_FUTURE, "missing": WITHOUT,
            "before birth": "1800-01-01"}),
    *_many("patients:referral_correct", "source", {"unknown": "pharmacy", "missing": WITHOUT}),
    _bad("patients:referral_correct", "referrer", "over-long referrer", LONG),
    _bad("patients:referral_correct", "referrer", "NUL in referrer", "Dr A\x00"),
    _bad("patients:referral_correct", "reason", "over-long reason", "x" * 100_000),
    _bad("patients:referral_correct", "reason", "NUL in reason", "Back pain\x00"),
    *_many("patients:referral_correct", "correction_reason", {
        "missing": WITHOUT, "blank": "   ", "over-long": "x" * 501, "NUL": "Wrong\x00",
    }),
    Bad("patients:referral_correct", "changes", "nothing differs",
        {"source": "gp", "correction_reason": "No change."}),
    # treatments
    *_many("patients:treatment_new", "category", {"unknown": "magic", "missing": WITHOUT}),
    _bad("patients:treatment_new", "effect", "unknown effect", "cured"),
    *_many("patients:treatment_new", "started_on", {**DATE_VALUES, "in the future": FAR_FUTURE}),
    _bad("patients:treatment_new", "stopped_on", "30 February", "2026-02-30"),
    Bad("patients:treatment_new", "stopped_on", "stopped before started",
        {"started_on": "2024-05-01", "stopped_on": "2024-01-01", "effect": "no_effect"}),
    _bad("patients:treatment_new", "name", "over-long name", LONG),
    _bad("patients:treatment_new", "name", "NUL in name", "naproxen\x00"),
    _bad("patients:treatment_new", "reason_stopped", "NUL in reason", "rash\x00"),
    Bad("patients:treatment_new", "started_on", "follow-up with a bad date",
        {"start_followup": "on", "started_on": "2026-02-30"}),
    Bad("patients:treatment_new", "start_followup", "follow-up on an old treatment",
        {"start_followup": "on", "started_on": "2001-01-01"}),
    # notes
    *_many("patients:note_new", "text", {"missing": WITHOUT, "blank": "   ",
                                         "over-long": "x" * 20_001, "NUL": "Note\x00"}),
    # consents
    *_many("patients:consents", "kind", {"unknown": "mind_reading", "missing": WITHOUT}),
    _bad("patients:consents", "status", "unknown decision", "maybe"),
    *_many("patients:consents", "decided_on", {**DATE_VALUES, "in the future": FAR_FUTURE}),
    # assessments
    *_many("assessments:new", "region", {"unknown": "elbow", "missing": WITHOUT}),
    *_many("assessments:new", "duration_weeks", {**NUMBER_VALUES, "missing": WITHOUT}),
    *_many("assessments:new", "age_at_onset", NUMBER_VALUES),
    _bad("assessments:new", "finding", "unknown finding", ["night_pain", "haunted"]),
    _bad("assessments:new", "examination", "over-long", "x" * 20_001),
    _bad("assessments:new", "examination", "NUL", "Normal\x00"),
    *_many("assessments:new", "startback_startback_1", {
        "out of range": "7", "text": "yes", "superscript": SUPERSCRIPT_TWO,
        "past the digit limit": VERY_LONG_DIGITS,
    }),
    *_many("assessments:preview", "duration_weeks", NUMBER_VALUES),
    _bad("assessments:preview", "region", "unknown", "elbow"),
    *_many("assessments:questionnaire_new", "item_gad7_1", {
        "out of range": "7", "negative": "-1", "text": "often", "superscript": SUPERSCRIPT_TWO,
        "past the digit limit": VERY_LONG_DIGITS, "NUL": "1\x00",
    }),
    # follow-up (the patient's form, by link and in the portal; the clinic's start form)
    *_many("followup:fill", "nrs_1", {
        "out of range": "11", "negative": "-1", "text": "bad", "superscript": SUPERSCRIPT_TWO,
        "past the digit limit": VERY_LONG_DIGITS, "NUL": "4\x00",
    }),
    _bad("followup:fill", "action", "unknown action", "explode"),
    Bad("followup:fill", "se_other_description", "NUL in a free-text answer",
        {"se_any": "yes", "se_other": "on", "se_other_description": "dizzy\x00"}),
    *_many("followup:portal_set", "nrs_1", {"out of range": "11", "superscript": SUPERSCRIPT_TWO}),
    *_many("followup:start", "started_on", {**DATE_VALUES, "in the future": FAR_FUTURE,
                                            "long ago": "2001-01-01"}),
    _bad("followup:start", "region", "unknown region", "elbow"),
    _bad("followup:start", "pain_measure", "unknown pain measure", "vibes"),
    *_many("followup:start", "treatment", {"unknown treatment": "987654321",
                                           "superscript": SUPERSCRIPT_TWO, "huge": HUGE,
                                           "text": "naproxen"}),
    # medicines: the formulary
    *_many("medicines:formulary", "name", {"missing": WITHOUT, "over-long": LONG,
                                           "NUL": "Oil\x00"}),
    _bad("medicines:formulary", "form", "unknown form", "gas"),
    _bad("medicines:formulary", "unit", "unknown unit", "barrel"),
    _bad("medicines:formulary", "route", "over-long route", LONG),
    *_many("medicines:formulary", "cbd_mg_per_unit", {
        "text": "lots", "negative": "-1", "huge": HUGE, "NaN": "NaN", "infinity": "Infinity",
        "too many places": "1.00001", "superscript": SUPERSCRIPT_TWO,
        "past the digit limit": VERY_LONG_DIGITS,
    }),
    *_many("medicines:formulary", "pack_sizes", {"text": "thirty", "negative": "-30",
                                                 "huge": HUGE, "NaN": "NaN"}),
    _bad("medicines:product_edit", "reason", "missing reason", WITHOUT),
    _bad("medicines:product_edit", "name", "over-long name", LONG),
    _bad("medicines:product_edit", "thc_mg_per_unit", "text", "some"),
    _bad("medicines:product_edit", "form", "unknown form", "gas"),
    _bad("medicines:product_retire", "reason", "missing reason", WITHOUT),
    _bad("medicines:product_retire", "reason", "NUL in reason", "Gone\x00"),
    # medicines: eligibility
    _bad("medicines:decide", "decision", "unknown decision", "perhaps"),
    _bad("medicines:decide", "rationale", "missing rationale", WITHOUT),
    _bad("medicines:decide", "rationale", "NUL in rationale", "Because\x00"),
    *_many("medicines:decide", "mdt_date", {**DATE_VALUES, "in the future": FAR_FUTURE}),
    _bad("medicines:decide", "prior_cannabis_use", "unknown prior use", "daily"),
    # medicines: titration
    *_many("medicines:plan_new", "days", {**NUMBER_VALUES, "zero": "0", "missing": WITHOUT}),
    *_many("medicines:plan_new", "product", {"unknown": "987654321", "text": "oil",
                                             "superscript": SUPERSCRIPT_TWO, "huge": HUGE}),
    _bad("medicines:plan_new", "thc_product", "superscript", SUPERSCRIPT_TWO),
    _bad("medicines:plan_new", "protocol", "unknown protocol", "yolo"),
    *_many("medicines:plan_new", "start_date", DATE_VALUES),
    # medicines: prescriptions
    *_many("medicines:rx_new", "product", {"missing": WITHOUT, "superscript": SUPERSCRIPT_TWO,
                                           "huge": HUGE, "unknown": "987654321"}),
    *_many("medicines:rx_new", "daily_amount", {"text": "lots", "negative": "-1",
                                                "huge": HUGE, "NaN": "NaN",
                                                "past the digit limit": VERY_LONG_DIGITS}),
    *_many("medicines:rx_new", "quantity", {"text": "lots", "negative": "-30", "huge": HUGE,
                                            "infinity": "inf"}),
    _bad("medicines:rx_new", "kind", "unknown kind", "forever"),
    _bad("medicines:rx_new", "unit", "unknown unit", "barrel"),
    _bad("medicines:rx_new", "dose", "over-long dose", LONG),
    _bad("medicines:rx_new", "dose", "NUL in dose", "0.5 ml\x00"),
    _bad("medicines:rx_new", "quantity_words", "over-long words", LONG),
    *_many("medicines:rx_new", "appropriate_date", DATE_VALUES),
    *_many("medicines:rx_check", "alt_x_uln", {"text": "high", "negative": "-1", "NaN": "NaN"}),
    Bad("medicines:rx_check", "alt_x_uln", "huge", {"alt_x_uln": HUGE}),
    Bad("medicines:rx_check", "bilirubin_x_uln", "U/L, not x ULN", {"bilirubin_x_uln": "1500"}),
    _bad("medicines:rx_check", "hepatic_impairment", "unknown level", "catastrophic"),
    _bad("medicines:rx_check", "current_medicines", "NUL in medicines", "pregabalin\x00"),
    _bad("medicines:rx_sign", "driving_advice_given", "no driving advice", WITHOUT),
    _bad("medicines:rx_sign", "driving_note", "over-long driving note", "x" * 2001),
    _bad("medicines:rx_cancel", "reason", "missing reason", WITHOUT),
    _bad("medicines:rx_cancel", "reason", "NUL in reason", "Oops\x00"),
    _bad("medicines:rx_cancel", "reason", "over-long reason", "x" * 100_000),
    _bad("medicines:rx_stop", "reason", "missing reason", WITHOUT),
    _bad("medicines:rx_change", "reason", "missing reason", WITHOUT),
    *_many("medicines:rx_change", "daily_amount", {"text": "lots", "negative": "-1",
                                                   "huge": HUGE, "NaN": "NaN"}),
    _bad("medicines:rx_change", "unit", "unknown unit", "barrel"),
    _bad("medicines:rx_change", "dose", "over-long dose", LONG),
    # outcomes
    _bad("outcomes:acknowledge", "note", "over-long note", "x" * 100_000, status=None),
    _bad("outcomes:acknowledge", "note", "NUL in note", "Seen\x00", status=None),
    *_many("outcomes:grade", "grade", {"out of range": "9", "text": "bad", "negative": "-1",
                                       "huge": HUGE, "superscript": SUPERSCRIPT_TWO,
                                       "missing": WITHOUT}),
    _bad("outcomes:grade", "serious", "unknown", "maybe"),
    _bad("outcomes:grade", "causality", "unknown", "astrology"),
    Bad("outcomes:grade", "serious", "death not serious", {"grade": "5", "serious": "no"}),
]  # fmt: skip


def _post_form_names() -> set[str]:
    return {row.name for row in MATRIX.rows if row.method == "POST" and not row.is_api}


def test_every_form_that_takes_a_post_is_covered() -> None:
    """Every non-API POST in the URL x role matrix has bad-input cases here (or takes none)."""
    missing = sorted(_post_form_names() - set(FORMS) - set(NO_INPUT))
    assert not missing, f"POST forms with no bad-input cases: {missing}"
    names = {name for name, _, _ in url_patterns()}
    stale = sorted((set(FORMS) | set(NO_INPUT)) - names)
    assert not stale, f"cases for URL names that do not exist: {stale}"
    assert {b.form for b in BAD} == set(FORMS)


def _body(form: Form, bad: Bad, world: World) -> dict[str, Any]:
    body = dict(form.good(world))
    for key, value in bad.change.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b, marks=pytest.mark.xfail(strict=True, reason=b.known)) if b.known else b
        for b in BAD
    ],
    ids=lambda b: f"{b.form} {b.field}: {b.note}",
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(bad: Bad) -> None:
    form = FORMS[bad.form]
    world = World({**MATRIX.builders, **BUILDERS})
    url = reverse(form.name, kwargs=form.kwargs(world))
    body = _body(form, bad, world)
    client = Client(raise_request_exception=False)
    if form.role != "anonymous":
        client.force_login(world.user(form.role))
    before = _snapshot()
    response = client.post(url, body)
    after = _snapshot()
    html = response.content.decode("utf-8", "replace")
    assert response.status_code < 500, f"{response.status_code} for {bad.note}:\n{html[:2000]}"
    expected = bad.status or form.status
    if expected == 200:  # the live preview answers 200 so HTMX swaps the errors in
        assert response.status_code == 200
    else:
        assert 400 <= response.status_code < 500, f"not refused: {response.status_code}"
    texts, named = _field_errors(html, bad.field, form.labels.get(bad.field, ()))
    assert texts, f"no error message on the page for {bad.note}"
    assert named, f"no error names {bad.field!r} ({bad.note}); errors shown: {texts}"
    if bad.allowed:
        assert any(bad.allowed.lower() in t.lower() for t in texts), texts
    changed = _changed(before, after)
    assert not changed, f"refused input changed the database: {changed}"
