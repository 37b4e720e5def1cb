"""URL x role rows for CBPM prescribing (apps/medicines and its /api/v1/medicines endpoints):
every medicines page and API endpoint. The medicines engineers own and extend this module.

Writes are sent with an empty (or refused) body: the row shows the role rule; allowed roles get
422 (nothing saved) or the page re-shown.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.integration.web.url_matrix import CLINICAL, Row, World, api, expect, page

PRESCRIBER = ("prescriber",)
LOG_ROLES = ("prescriber", "admin")


def _product(w: World) -> Any:
    from painpath.apps.medicines.models import Product

    return Product.objects.create(
        name="Matrix CBD oil 20",
        form="oil",
        unit="ml",
        thc_mg_per_unit=Decimal("0"),
        cbd_mg_per_unit=Decimal("20"),
        pack_sizes=["30"],
    )


def _rx(w: World) -> Any:
    from painpath.apps.medicines import actions

    return actions.draft_prescription(
        by=w.user("nurse"),
        patient=w["patient"],
        product=w["product"],
        dose="0.25 ml twice daily",
        daily_amount="0.5",
        quantity="15",
        quantity_words="fifteen millilitres",
        unit="ml",
    )


def _plan(w: World) -> Any:
    from painpath.apps.medicines import actions

    return actions.create_titration_plan(
        by=w.user("nurse"),
        patient=w["patient"],
        protocol="routine",
        product=w["product"],
        days=28,
        start_date=dt.date(2026, 1, 5),
    )


BUILDERS = {"product": _product, "rx": _rx, "plan": _plan}


def _product_id(w: World) -> dict[str, Any]:
    return {"product_id": w["product"].pk}


def _pid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk}


def _rx_id(w: World) -> dict[str, Any]:
    return {"rx_id": w["rx"].pk}


def _plan_id(w: World) -> dict[str, Any]:
    return {"plan_id": w["plan"].pk}


ROWS = [
    Row("medicines:formulary", page(200, *CLINICAL)),
    Row(
        "medicines:formulary",
        page(422, "prescriber"),
        method="POST",
        data=lambda w: {"name": ""},
        note="nurse may view, only prescribers add",
    ),
    Row("medicines:product_edit", page(200, *PRESCRIBER), kwargs=_product_id),
    Row(
        "medicines:product_edit",
        page(422, *PRESCRIBER),
        kwargs=_product_id,
        method="POST",
        data=lambda w: {"name": "", "reason": ""},
        note="only prescribers edit; refused input re-shown, nothing saved",
    ),
    Row("medicines:product_retire", page(405, *PRESCRIBER), kwargs=_product_id, note="GET refused"),
    Row(
        "medicines:product_retire",
        page(422, *PRESCRIBER),
        kwargs=_product_id,
        method="POST",
        data=lambda w: {"reason": ""},
        note="a reason is required; nothing saved",
    ),
    Row("medicines:patient", page(200, *CLINICAL), kwargs=_pid),
    Row("medicines:decide", page(200, *PRESCRIBER), kwargs=_pid),
    Row("medicines:plan_new", page(200, *CLINICAL), kwargs=_pid),
    Row("medicines:rx_new", page(200, *CLINICAL), kwargs=_pid),
    Row("medicines:plan", page(200, *CLINICAL), kwargs=_plan_id),
    Row("medicines:plan_pdf", page(200, *CLINICAL), kwargs=_plan_id),
    Row("medicines:rx", page(200, *CLINICAL), kwargs=_rx_id),
    Row("medicines:rx_check", page(405, *CLINICAL), kwargs=_rx_id, note="GET refused"),
    Row("medicines:rx_sign", page(405, *PRESCRIBER), kwargs=_rx_id, note="GET refused"),
    Row("medicines:rx_cancel", page(405, *CLINICAL), kwargs=_rx_id, note="GET refused"),
    Row("medicines:rx_stop", page(405, *CLINICAL), kwargs=_rx_id, note="GET refused"),
    Row("medicines:rx_change", page(405, *PRESCRIBER), kwargs=_rx_id, note="GET refused"),
    Row("medicines:rx_print", page(200, *CLINICAL), kwargs=_rx_id),
    Row("medicines:rx_pdf", page(200, *CLINICAL), kwargs=_rx_id),
    Row("medicines:log", page(200, *LOG_ROLES)),
    Row("medicines:log_csv", page(200, *LOG_ROLES)),
    # API
    Row("api-v1:list_products", api(200, *CLINICAL)),
    Row("api-v1:create_product", expect(422, anonymous=401), method="POST", note="empty body"),
    Row(
        "api-v1:create_product",
        api(422, *PRESCRIBER),
        method="POST",
        data=lambda w: {
            "name": "",
            "form": "oil",
            "unit": "ml",
            "thc_mg_per_unit": "1",
            "cbd_mg_per_unit": "1",
        },
        note="valid shape: only prescribers reach the action (which refuses the empty name)",
    ),
    Row(
        "api-v1:update_product",
        api(422, *PRESCRIBER),
        kwargs=_product_id,
        method="POST",
        data=lambda w: {"reason": ""},
        note="only prescribers; a reason is required",
    ),
    Row(
        "api-v1:retire_product",
        api(422, *PRESCRIBER),
        kwargs=_product_id,
        method="POST",
        data=lambda w: {"reason": ""},
        note="only prescribers; a reason is required",
    ),
    Row("api-v1:eligibility", api(200, *CLINICAL), kwargs=_pid),
    Row("api-v1:titration", expect(422, anonymous=401), method="POST", note="empty body"),
    Row("api-v1:safety_screen", expect(422, anonymous=401), method="POST", note="empty body"),
    Row("api-v1:prescription_check", expect(422, anonymous=401), method="POST", note="empty body"),
    Row("api-v1:create_prescription", expect(422, anonymous=401), method="POST", note="empty body"),
    Row(
        "api-v1:list_prescriptions",
        api(200, *CLINICAL),
        query=lambda w: {"patient_id": w["patient"].pk},
    ),
    Row("api-v1:get_prescription", api(200, *CLINICAL), kwargs=_rx_id),
    Row(
        "api-v1:check_prescription",
        expect(422, anonymous=401),
        kwargs=_rx_id,
        method="POST",
        data=lambda w: {"current_medicines": 5},
        note="schema refusal",
    ),
    Row(
        "api-v1:sign_prescription",
        expect(422, anonymous=401),
        kwargs=_rx_id,
        method="POST",
        data=lambda w: {"overrides": "not-an-object"},
        note="schema refusal",
    ),
    Row(
        "api-v1:change_prescription",
        expect(422, anonymous=401),
        kwargs=_rx_id,
        method="POST",
        data=lambda w: {"reason": ["not", "text"]},
        note="schema refusal",
    ),
    Row(
        "api-v1:end_prescription",
        expect(422, anonymous=401),
        kwargs=lambda w: {"rx_id": w["rx"].pk, "event": "cancel"},
        method="POST",
        data=lambda w: {"reason": ["not", "text"]},
        note="schema refusal",
    ),
]
