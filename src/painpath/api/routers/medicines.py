"""/api/v1/medicines: titration schedules, safety screen, prescription checks and eligibility
(the pure rules; a product from the formulary by id, or inline for checking the rules alone),
the formulary (prescribers manage it), and prescriptions through their life (draft -> checked
-> signed -> ended).

Same role rules as the web (``has_perm``): nurses and prescribers draft and check; only
prescribers sign, and the action re-checks the specialist register. Patient reads go through
``get_patient_for`` so they are audited. Decimals travel as strings, never floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from painpath.api.auth import patient_for_write, require_perm, token_auth, user_of
from painpath.apps.accounts.permissions import (
    DRAFT_PRESCRIPTION,
    MANAGE_FORMULARY,
    SIGN_PRESCRIPTION,
)
from painpath.apps.errors import ActionError
from painpath.apps.medicines import actions
from painpath.apps.medicines import models as m
from painpath.apps.medicines.presenters import issue_dicts, schedule_rows
from painpath.apps.patients import selectors
from painpath.clinical import medicines as core
from painpath.clinical.medicines.products import fmt

PREFIX = "/medicines"
router = Router(tags=["medicines"], auth=token_auth)


class IssuePublic(Schema):
    code: str
    level: str
    message: str
    source: str
    field: str = ""
    overridable: bool = False
    must_record: bool = False
    needs_reason: bool = False


class ProductPublic(Schema):
    id: int
    name: str
    form: str
    route: str
    unit: str
    thc_mg_per_unit: str
    cbd_mg_per_unit: str
    pack_sizes: list[str]


UnitName = Literal["ml", "g", "unit"]


class ProductCreate(Schema):
    name: str
    form: str
    unit: str
    route: str = "oral"
    thc_mg_per_unit: Decimal
    cbd_mg_per_unit: Decimal
    pack_sizes: list[Decimal] = []


class ProductUpdate(Schema):
    """Only the fields given change; ``reason`` is required."""

    reason: str
    name: str | None = None
    form: str | None = None
    unit: str | None = None
    route: str | None = None
    thc_mg_per_unit: Decimal | None = None
    cbd_mg_per_unit: Decimal | None = None
    pack_sizes: list[Decimal] | None = None


class ProductIn(Schema):
    """A product given inline (not from the formulary), for checking the rules alone."""

    name: str
    form: str
    unit: str | None = None
    thc_mg_per_unit: Decimal = Decimal(0)
    cbd_mg_per_unit: Decimal = Decimal(0)


class TitrationRequest(Schema):
    """The product from the formulary (``product_id``) or inline (``product``)."""

    protocol: str
    days: int = Field(ge=1, le=366)
    product_id: int | None = None
    product: ProductIn | None = None
    thc_product_id: int | None = None
    thc_product: ProductIn | None = None


class EligibilityPublic(Schema):
    patient_id: int
    eligible: bool
    failed_treatments: list[str]
    not_counted: list[str]
    missing: list[str]
    issues: list[IssuePublic]
    ng144_position: str
    ng144_source: str
    source: str


class TitrationPublic(Schema):
    protocol: str
    product: str
    thc_product: str
    thc_max_mg_per_day: str
    notes: list[str]
    source: str
    days: list[dict[str, Any]]


class FactsIn(Schema):
    pregnant: bool = False
    breastfeeding: bool = False
    psychosis_personal_history: bool = False
    psychosis_family_history: bool = False
    unstable_cardiovascular_disease: bool = False
    hepatic_impairment: Literal["none", "mild", "moderate", "severe"] = "none"
    substance_use_disorder: bool = False
    epilepsy: bool = False
    alt_x_uln: Decimal | None = Field(default=None, ge=0)
    ast_x_uln: Decimal | None = Field(default=None, ge=0)
    bilirubin_x_uln: Decimal | None = Field(default=None, ge=0)


class SafetyScreenRequest(FactsIn):
    age_years: int = Field(ge=0, le=130)
    product_id: int | None = None
    product: ProductIn | None = None
    daily_thc_mg: Decimal = Field(ge=0)
    daily_cbd_mg: Decimal = Field(ge=0)
    current_medicines: list[str] = []


class PrescriptionCheckRequest(Schema):
    """A prescription as written, checked without saving anything."""

    patient_name: str
    patient_address: str
    product_id: int | None = None
    product: ProductIn | None = None
    form: str
    strength: str
    dose: str
    daily_amount: Decimal = Field(gt=0)
    quantity: Decimal = Field(gt=0)
    quantity_words: str
    prescriber_name: str
    prescriber_address: str
    prescriber_signed: bool
    date_signed: dt.date | None
    prescriber_on_specialist_register: bool
    kind: Literal["initiation", "continuation"] = "initiation"
    shared_care_agreement: bool = False
    appropriate_date: dt.date | None = None
    repeats: int = Field(default=0, ge=0)
    unit: UnitName | None = None
    today: dt.date


class PrescriptionCheckPublic(Schema):
    ok: bool
    errors: list[IssuePublic]
    warnings: list[IssuePublic]
    days_supply: str
    valid_from: dt.date | None
    valid_until: dt.date | None


class PrescriptionCreate(Schema):
    """Amounts are in ``unit``, which must be the product's (explicit, never converted)."""

    patient_id: int
    product_id: int
    dose: str
    unit: str
    daily_amount: Decimal = Field(gt=0)
    quantity: Decimal = Field(gt=0)
    quantity_words: str
    kind: Literal["initiation", "continuation"] = "initiation"
    appropriate_date: dt.date | None = None
    shared_care_agreement: bool = False


class PrescriptionPublic(Schema):
    id: int
    patient_id: int
    product: str
    kind: str
    status: str
    dose: str
    daily_amount: str
    quantity: str
    unit: str
    quantity_words: str
    daily_thc_mg: str
    daily_cbd_mg: str
    issues: list[dict[str, Any]]
    allowed_events: list[str]
    signed_by: str | None
    date_signed: dt.date | None


class CheckRequest(Schema):
    facts: FactsIn = FactsIn()
    current_medicines: list[str] = []


class SignRequest(Schema):
    overrides: dict[str, str] = {}
    driving_advice_given: bool = False
    driving_note: str = ""


class ReasonRequest(Schema):
    reason: str


class ChangeRequest(Schema):
    """Change a signed prescription: it becomes ``changed`` and a new draft replaces it."""

    reason: str
    product_id: int | None = None
    dose: str | None = None
    daily_amount: Decimal | None = Field(default=None, gt=0)
    quantity: Decimal | None = Field(default=None, gt=0)
    quantity_words: str | None = None
    unit: str | None = None


def _product(product_id: int, field: str = "product_id") -> m.Product:
    product = m.Product.objects.filter(pk=product_id, active=True).first()
    if product is None:
        raise ActionError({field: f"no formulary product with id {product_id}"})
    return product


def _product_public(p: m.Product) -> dict[str, Any]:
    return {
        "id": p.pk, "name": p.name, "form": p.form, "route": p.route, "unit": p.unit,
        "thc_mg_per_unit": fmt(p.thc_mg_per_unit), "cbd_mg_per_unit": fmt(p.cbd_mg_per_unit),
        "pack_sizes": [str(s) for s in p.pack_sizes],
    }  # fmt: skip


def _rx_public(rx: m.Prescription) -> dict[str, Any]:
    return {
        "id": rx.pk, "patient_id": rx.patient_id, "product": rx.product.name, "kind": rx.kind,
        "status": rx.status, "dose": rx.dose, "daily_amount": fmt(rx.daily_amount),
        "quantity": fmt(rx.quantity), "unit": rx.unit, "quantity_words": rx.quantity_words,
        "daily_thc_mg": fmt(rx.daily_thc_mg), "daily_cbd_mg": fmt(rx.daily_cbd_mg),
        "issues": actions.pending_issues(rx), "allowed_events": rx.allowed_events(),
        "signed_by": rx.signed_by.get_username() if rx.signed_by else None,
        "date_signed": rx.date_signed,
    }  # fmt: skip


def _rx_for(request: HttpRequest, rx_id: int, perm: str) -> m.Prescription:
    """The prescription, if the user may act on it; the patient read is audited."""
    require_perm(request, perm)
    rx = m.Prescription.objects.select_related("product", "patient").filter(pk=rx_id).first()
    if rx is None:
        raise ActionError({"rx_id": f"no prescription with id {rx_id}"})
    selectors.get_patient_for(user_of(request), rx.patient_id, request=request)
    return rx


@router.get("/products", response=list[ProductPublic])
def list_products(request: HttpRequest) -> Any:
    require_perm(request, DRAFT_PRESCRIPTION)
    return [_product_public(p) for p in m.Product.objects.filter(active=True)]


def _rule_product(
    product_id: int | None, inline: ProductIn | None, field: str = "product_id"
) -> core.Product:
    """The core product for a rule endpoint: exactly one of a formulary id or an inline one."""
    if (product_id is None) == (inline is None):
        raise ActionError({field: "give exactly one of a formulary product id or a product"})
    if inline is not None:
        data = inline.model_dump(exclude_none=True)
        # Named by the body field it came in (``product.unit``, ``thc_product.form``): a rule
        # endpoint can take two inline products, and a bare ``unit`` would not say which.
        body_field = field.removesuffix("_id")
        try:
            with actions.core_errors():
                return core.Product.from_mapping(data)
        except ActionError as exc:
            raise ActionError(
                {
                    body_field if name == "__all__" else f"{body_field}.{name}": message
                    for name, message in exc.errors.items()
                }
            ) from None
    assert product_id is not None
    return _product(product_id, field).to_core()


def _any_product(product_id: int) -> m.Product:
    product = m.Product.objects.filter(pk=product_id).first()
    if product is None:
        raise ActionError({"product_id": f"no formulary product with id {product_id}"})
    return product


@router.post("/products", response={201: ProductPublic})
def create_product(request: HttpRequest, payload: ProductCreate) -> Any:
    """Add a formulary product (prescribers only)."""
    user = require_perm(request, MANAGE_FORMULARY)
    row = actions.add_product(by=user, request=request, **payload.model_dump())
    return Status(201, _product_public(row))


@router.post("/products/{product_id}", response=ProductPublic)
def update_product(request: HttpRequest, product_id: int, payload: ProductUpdate) -> Any:
    """Edit a product with a reason (content fixed once it has been prescribed or planned)."""
    user = require_perm(request, MANAGE_FORMULARY)
    changes = payload.model_dump(exclude={"reason"}, exclude_none=True)
    row = actions.edit_product(
        by=user, request=request, product=_any_product(product_id), reason=payload.reason,
        **changes,
    )  # fmt: skip
    return _product_public(row)


@router.post("/products/{product_id}/retire", response=ProductPublic)
def retire_product(request: HttpRequest, product_id: int, payload: ReasonRequest) -> Any:
    user = require_perm(request, MANAGE_FORMULARY)
    row = actions.retire_product(
        by=user, request=request, product=_any_product(product_id), reason=payload.reason
    )
    return _product_public(row)


@router.get("/patients/{patient_id}/eligibility", response=EligibilityPublic)
def eligibility(request: HttpRequest, patient_id: int) -> Any:
    """The policy check from the patient's recorded treatments, as the caller (the register
    status is the caller's) with the latest decision's MDT agreement; NG144's position."""
    user = require_perm(request, DRAFT_PRESCRIPTION)
    patient = selectors.get_patient_for(user, patient_id, request=request)
    latest = actions.latest_decision(patient)
    with actions.core_errors():
        e = actions.eligibility_for(
            patient, prescriber=user, mdt_agreement=bool(latest and latest.mdt_agreement)
        )
    return {
        "patient_id": patient.pk, "eligible": e.eligible,
        "failed_treatments": list(e.failed_treatments), "not_counted": list(e.not_counted),
        "missing": list(e.missing), "issues": issue_dicts(e.issues),
        "ng144_position": e.ng144_position, "ng144_source": e.ng144_source, "source": e.source,
    }  # fmt: skip


@router.post("/titration", response=TitrationPublic)
def titration(request: HttpRequest, payload: TitrationRequest) -> Any:
    require_perm(request, DRAFT_PRESCRIPTION)
    product = _rule_product(payload.product_id, payload.product)
    thc = (
        _rule_product(payload.thc_product_id, payload.thc_product, "thc_product_id")
        if payload.thc_product_id is not None or payload.thc_product is not None
        else None
    )
    with actions.core_errors():
        s = core.titration_schedule(payload.protocol, payload.days, product, thc_product=thc)
    return {
        "protocol": s.protocol, "product": s.product, "thc_product": s.thc_product,
        "thc_max_mg_per_day": fmt(s.thc_max_mg_per_day), "notes": list(s.notes),
        "source": s.source, "days": schedule_rows(s),
    }  # fmt: skip


@router.post("/safety-screen", response=list[IssuePublic])
def safety_screen(request: HttpRequest, payload: SafetyScreenRequest) -> Any:
    require_perm(request, DRAFT_PRESCRIPTION)
    product = _rule_product(payload.product_id, payload.product)
    facts = payload.model_dump(include=set(actions.FACT_FIELDS) | {"age_years"})
    with actions.core_errors():
        issues = core.safety_screen(
            core.PatientFacts(**facts), product, payload.daily_thc_mg,
            payload.daily_cbd_mg, payload.current_medicines,
        )  # fmt: skip
    return issue_dicts(issues)


@router.post("/prescription-check", response=PrescriptionCheckPublic)
def prescription_check(request: HttpRequest, payload: PrescriptionCheckRequest) -> Any:
    require_perm(request, DRAFT_PRESCRIPTION)
    p = _rule_product(payload.product_id, payload.product)
    data = payload.model_dump(
        exclude={"product_id", "product", "today", "daily_amount", "quantity", "unit"}
    )
    with actions.core_errors():
        unit = core.Unit(payload.unit) if payload.unit else p.unit
        result = core.check_prescription(
            core.Prescription(
                product=p, daily_amount=core.Amount(payload.daily_amount, unit),
                quantity=core.Amount(payload.quantity, unit), **data,
            ),
            payload.today,
        )  # fmt: skip
    return {
        "ok": result.ok, "errors": issue_dicts(result.errors),
        "warnings": issue_dicts(result.warnings), "days_supply": fmt(result.days_supply),
        "valid_from": result.valid_from, "valid_until": result.valid_until,
    }  # fmt: skip


@router.post("/prescriptions", response={201: PrescriptionPublic})
def create_prescription(request: HttpRequest, payload: PrescriptionCreate) -> Any:
    patient = patient_for_write(request, payload.patient_id, DRAFT_PRESCRIPTION)
    product = _product(payload.product_id)
    rx = actions.draft_prescription(
        by=user_of(request), request=request, patient=patient, product=product,
        **payload.model_dump(exclude={"patient_id", "product_id"}),
    )  # fmt: skip
    return Status(201, _rx_public(rx))


@router.get("/prescriptions", response=list[PrescriptionPublic])
def list_prescriptions(request: HttpRequest, patient_id: int) -> Any:
    require_perm(request, DRAFT_PRESCRIPTION)
    patient = selectors.get_patient_for(user_of(request), patient_id, request=request)
    rows = m.Prescription.objects.filter(patient=patient).select_related("product", "signed_by")
    return [_rx_public(rx) for rx in rows[:200]]


@router.get("/prescriptions/{rx_id}", response=PrescriptionPublic)
def get_prescription(request: HttpRequest, rx_id: int) -> Any:
    return _rx_public(_rx_for(request, rx_id, DRAFT_PRESCRIPTION))


@router.post("/prescriptions/{rx_id}/check", response=PrescriptionPublic)
def check_prescription(request: HttpRequest, rx_id: int, payload: CheckRequest) -> Any:
    rx = _rx_for(request, rx_id, DRAFT_PRESCRIPTION)
    facts = {k: v for k, v in payload.facts.model_dump().items() if v not in (None, False)}
    if facts.get("hepatic_impairment") == "none":
        facts.pop("hepatic_impairment")
    rx = actions.check_prescription_draft(
        by=user_of(request), request=request, prescription=rx, facts=facts,
        current_medicines=payload.current_medicines,
    )  # fmt: skip
    return _rx_public(rx)


@router.post("/prescriptions/{rx_id}/sign", response=PrescriptionPublic)
def sign_prescription(request: HttpRequest, rx_id: int, payload: SignRequest) -> Any:
    rx = _rx_for(request, rx_id, SIGN_PRESCRIPTION)
    rx = actions.sign_prescription(
        by=user_of(request), request=request, prescription=rx, overrides=payload.overrides,
        driving_advice_given=payload.driving_advice_given, driving_note=payload.driving_note,
    )  # fmt: skip
    return _rx_public(rx)


@router.post("/prescriptions/{rx_id}/change", response={201: PrescriptionPublic})
def change_prescription(request: HttpRequest, rx_id: int, payload: ChangeRequest) -> Any:
    rx = _rx_for(request, rx_id, SIGN_PRESCRIPTION)
    changes = payload.model_dump(exclude={"reason", "product_id"}, exclude_none=True)
    if payload.product_id is not None:
        changes["product"] = _product(payload.product_id)
    new = actions.change_prescription(
        by=user_of(request), request=request, prescription=rx, reason=payload.reason, **changes
    )
    return Status(201, _rx_public(new))


@router.post("/prescriptions/{rx_id}/{event}", response=PrescriptionPublic)
def end_prescription(
    request: HttpRequest, rx_id: int, event: Literal["cancel", "stop"], payload: ReasonRequest
) -> Any:
    rx = _rx_for(request, rx_id, DRAFT_PRESCRIPTION)
    rx = actions.end_prescription(
        by=user_of(request), request=request, prescription=rx, event=event,
        reason=payload.reason,
    )  # fmt: skip
    return _rx_public(rx)
