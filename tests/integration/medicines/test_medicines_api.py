"""/api/v1/medicines: pure rule endpoints and the prescription life cycle, with role rules."""

from __future__ import annotations

import pytest

from painpath.apps.audit.models import AuditEvent
from painpath.apps.medicines import models as m

pytestmark = pytest.mark.django_db


def test_titration_endpoint(api, products):
    r = api("nurse").post(
        "/medicines/titration",
        {
            "protocol": "routine",
            "days": 14,
            "product_id": products["cbd"].pk,
            "thc_product_id": products["thc"].pk,
        },
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["days"][0]["doses"][0]["text"] == "0.25 ml twice daily"
    assert body["days"][12]["thc_mg"] == "2.5" and "Bhaskar" in body["source"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"protocol": "turbo", "days": 14}, "protocol"),
        ({"protocol": "routine", "days": 0}, "days"),
        ({"protocol": "routine", "days": 5, "product_id": 99999}, "product_id"),
    ],
)
def test_titration_bad_input_names_field(api, products, body, field):
    body = {"product_id": products["cbd"].pk, **body}
    r = api("nurse").post("/medicines/titration", body)
    assert r.status_code == 422
    assert field in r.json()["errors"]


def test_safety_screen_endpoint_returns_all_issues(api, products):
    r = api("prescriber").post(
        "/medicines/safety-screen",
        {
            "age_years": 22,
            "product_id": products["balanced"].pk,
            "daily_thc_mg": "45",
            "daily_cbd_mg": "45",
            "pregnant": True,
            "current_medicines": ["clobazam"],
        },
    )
    assert r.status_code == 200, r.json()
    codes = [i["code"] for i in r.json()]
    assert codes[:2] == ["PREGNANCY", "THC_OVER_MAXIMUM"]
    assert {"THC_UNDER_25", "IX_CLOBAZAM", "DRIVING_ADVICE"} <= set(codes)


def test_safety_screen_negative_dose_422(api, products):
    r = api("nurse").post(
        "/medicines/safety-screen",
        {
            "age_years": 40,
            "product_id": products["cbd"].pk,
            "daily_thc_mg": "-1",
            "daily_cbd_mg": "10",
        },
    )
    assert r.status_code == 422 and "daily_thc_mg" in r.json()["errors"]


def test_prescription_check_endpoint(api, products):
    r = api("nurse").post(
        "/medicines/prescription-check",
        {
            "patient_name": "A",
            "patient_address": "B",
            "product_id": products["cbd"].pk,
            "form": "oil",
            "strength": "CBD 20 mg/ml",
            "dose": "as directed",
            "daily_amount": "1",
            "quantity": "40",
            "quantity_words": "forty",
            "prescriber_name": "Dr",
            "prescriber_address": "Clinic",
            "prescriber_signed": True,
            "date_signed": "2026-03-01",
            "prescriber_on_specialist_register": True,
            "today": "2026-03-30",
        },
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert [e["code"] for e in body["errors"]] == ["DOSE_AS_DIRECTED", "EXPIRED"]
    assert [w["code"] for w in body["warnings"]] == ["SUPPLY_OVER_30_DAYS"]
    assert body["valid_until"] == "2026-03-29"


def test_roles(api, products, patient):
    assert (
        api("researcher")
        .post(
            "/medicines/titration",
            {"protocol": "routine", "days": 3, "product_id": products["cbd"].pk},
        )
        .status_code
        == 403
    )
    assert api("admin").get("/medicines/products").status_code == 403
    assert api("nurse").get("/medicines/products").status_code == 200


def test_prescription_life_cycle(api, users, patient, products, approved):
    r = api("nurse").post(
        "/medicines/prescriptions",
        {
            "patient_id": patient.pk,
            "product_id": products["balanced"].pk,
            "dose": "0.5 ml twice daily",
            "unit": "ml",
            "daily_amount": "1",
            "quantity": "30",
            "quantity_words": "thirty millilitres",
        },
    )
    assert r.status_code == 201, r.json()
    rx_id = r.json()["id"]
    r = api("nurse").post(
        f"/medicines/prescriptions/{rx_id}/check",
        {"facts": {"epilepsy": True}, "current_medicines": []},
    )
    assert r.status_code == 200 and r.json()["status"] == "checked", r.json()
    assert api("nurse").post(f"/medicines/prescriptions/{rx_id}/sign", {}).status_code == 403
    r = api("prescriber").post(f"/medicines/prescriptions/{rx_id}/sign", {})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"override_EPILEPSY", "driving_advice_given"}
    r = api("prescriber").post(
        f"/medicines/prescriptions/{rx_id}/sign",
        {
            "overrides": {"EPILEPSY": "well controlled, neurologist agrees"},
            "driving_advice_given": True,
        },
    )
    assert r.status_code == 200 and r.json()["status"] == "signed", r.json()
    assert r.json()["signed_by"] == "dr_demo"
    r = api("prescriber").post(f"/medicines/prescriptions/{rx_id}/stop", {"reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = api("prescriber").post(f"/medicines/prescriptions/{rx_id}/stop", {"reason": "no benefit"})
    assert r.json()["status"] == "stopped"
    events = list(
        m.PrescribingLogEntry.objects.filter(prescription_id=rx_id).values_list("event", flat=True)
    )
    assert events == ["draft", "check", "override", "driving_advice", "sign", "stop"]
    assert AuditEvent.objects.filter(patient_id=patient.pk, action="read").exists()


def test_prescription_create_bad_amounts_name_fields(api, patient, products):
    r = api("nurse").post(
        "/medicines/prescriptions",
        {
            "patient_id": patient.pk,
            "product_id": products["cbd"].pk,
            "dose": "1 ml daily",
            "unit": "ml",
            "daily_amount": "0",
            "quantity": "-1",
            "quantity_words": "x",
        },
    )
    assert r.status_code == 422
    assert {"daily_amount", "quantity"} <= set(r.json()["errors"])
    assert not m.Prescription.objects.exists()


def test_change_signed_prescription(api, users, draft):
    from painpath.apps.medicines import actions

    from .conftest import TODAY

    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    assert (
        api("nurse").post(f"/medicines/prescriptions/{rx.pk}/change", {"reason": "x"}).status_code
        == 403
    )
    r = api("prescriber").post(
        f"/medicines/prescriptions/{rx.pk}/change",
        {"reason": "increase", "daily_amount": "2", "dose": "1 ml twice daily"},
    )
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "draft" and r.json()["daily_thc_mg"] == "20"
    rx.refresh_from_db()
    assert rx.status == "changed"
    r = api("prescriber").post(f"/medicines/prescriptions/{rx.pk}/change", {"reason": "again"})
    assert r.status_code == 422 and "status" in r.json()["errors"]


RX_BODY = {
    "dose": "0.5 ml twice daily",
    "unit": "ml",
    "daily_amount": "1",
    "quantity": "30",
    "quantity_words": "thirty millilitres",
}


def _rows():
    return (
        m.Prescription.objects.count(),
        m.PrescriptionTransition.objects.count(),
        m.PrescribingLogEntry.objects.count(),
        AuditEvent.objects.filter(action="create").count(),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "g"}, "unit"),  # unit mismatch: the oil is in ml
        ({"unit": None}, "unit"),
        ({"daily_amount": "0"}, "daily_amount"),
        ({"daily_amount": "-0.5"}, "daily_amount"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "not a number"}, "quantity"),
        ({"daily_amount": "51"}, "daily_amount"),  # over the maximum
        ({"quantity": "99999999"}, "quantity"),
        ({"quantity": "30.00001"}, "quantity"),
        ({"product_id": 999999}, "product_id"),  # unknown product
        ({"patient_id": 999999}, "patient_id"),
        ({"dose": "z" * 250}, "dose"),
        ({"kind": "repeat"}, "kind"),
    ],
)
def test_prescription_create_bad_input_names_field_nothing_saved(
    api, patient, products, change, field
):
    body = {"patient_id": patient.pk, "product_id": products["cbd"].pk, **RX_BODY, **change}
    body = {k: v for k, v in body.items() if v is not None}
    before = _rows()
    r = api("nurse").post("/medicines/prescriptions", body)
    assert r.status_code == 422, r.json()
    assert field in r.json()["errors"], r.json()
    assert _rows() == before


def test_prescription_check_endpoint_unit_mismatch_and_all_issues(api, products):
    body = {
        "patient_name": "", "patient_address": "B", "product_id": products["cbd"].pk,
        "form": "oil", "strength": "CBD 20 mg/ml", "dose": "prn", "daily_amount": "1",
        "quantity": "45", "quantity_words": "forty-five grams", "prescriber_name": "Dr",
        "prescriber_address": "Clinic", "prescriber_signed": False, "date_signed": "2026-03-01",
        "prescriber_on_specialist_register": False, "repeats": 0, "today": "2026-03-29",
    }  # fmt: skip
    r = api("nurse").post("/medicines/prescription-check", body)
    assert r.status_code == 200, r.json()
    errors = {e["code"] for e in r.json()["errors"]}
    assert errors == {
        "MISSING_PATIENT_NAME", "DOSE_AS_REQUIRED", "QUANTITY_WORDS_UNIT_MISMATCH",
        "NOT_SIGNED", "INITIATION_NOT_SPECIALIST",
    }  # fmt: skip
    assert all(e["source"] for e in r.json()["errors"])
    assert r.json()["valid_until"] == "2026-03-29"  # day 28: still valid
    r = api("nurse").post("/medicines/prescription-check", {**body, "unit": "g"})
    assert r.status_code == 422 and "daily_amount" in r.json()["errors"]
    r = api("nurse").post("/medicines/prescription-check", {**body, "today": "2026-03-30"})
    assert "EXPIRED" in {e["code"] for e in r.json()["errors"]}


def test_titration_endpoint_targets_and_bad_product(api, products):
    r = api("nurse").post(
        "/medicines/titration",
        {"protocol": "conservative", "days": 20, "product_id": products["cbd"].pk,
         "thc_product_id": products["thc"].pk},
    )  # fmt: skip
    days = r.json()["days"]
    assert [d["cbd_target_mg"] for d in days[:13:3]] == ["5", "15", "25", "35", "40"]
    assert days[15]["thc_target_mg"] == "1" and days[15]["thc_mg"] == "1"
    r = api("nurse").post(
        "/medicines/titration",
        {"protocol": "rapid", "days": 20, "product_id": products["cbd"].pk},
    )
    assert r.status_code == 422 and "balanced" in r.json()["errors"]["product"]
    r = api("nurse").post(
        "/medicines/titration", {"protocol": "routine", "days": 400, "product_id": 1}
    )
    assert r.status_code == 422 and "days" in r.json()["errors"]


def test_safety_screen_endpoint_mapping_and_not_checked(api, products):
    r = api("nurse").post(
        "/medicines/safety-screen",
        {"age_years": 40, "product_id": products["cbd"].pk, "daily_thc_mg": "0",
         "daily_cbd_mg": "20", "current_medicines": ["Epilim Chrono 500", "omeprazole"]},
    )  # fmt: skip
    assert r.status_code == 200
    issues = {i["code"]: i for i in r.json()}
    assert issues["IX_VALPROATE"]["level"] == "warn"
    assert "not checked" in issues["IX_UNKNOWN_MEDICINE"]["message"]
    assert issues["CBD_LIVER_NOT_CHECKED"]["level"] == "inform"
    r = api("nurse").post(
        "/medicines/safety-screen",
        {"age_years": 40, "product_id": products["cbd"].pk, "daily_thc_mg": "5",
         "daily_cbd_mg": "20"},
    )  # fmt: skip
    assert r.status_code == 422 and "contains no THC" in r.json()["errors"]["daily_thc_mg"]


def test_product_endpoints_prescribers_only(api, users):
    body = {"name": "API oil", "form": "oil", "unit": "ml", "thc_mg_per_unit": "5",
            "cbd_mg_per_unit": "10", "pack_sizes": ["30"]}  # fmt: skip
    for role in ("nurse", "admin", "researcher"):
        assert api(role).post("/medicines/products", body).status_code == 403
    assert m.Product.objects.count() == 0
    r = api("prescriber").post("/medicines/products", {**body, "unit": "g"})
    assert r.status_code == 422 and "unit" in r.json()["errors"]
    r = api("prescriber").post("/medicines/products", {**body, "cbd_mg_per_unit": "2000"})
    assert r.status_code == 422 and "cbd_mg_per_unit" in r.json()["errors"]
    assert m.Product.objects.count() == 0
    r = api("prescriber").post("/medicines/products", body)
    assert r.status_code == 201, r.json()
    pid = r.json()["id"]
    assert api("nurse").post(f"/medicines/products/{pid}", {"reason": "x"}).status_code == 403
    r = api("prescriber").post(
        f"/medicines/products/{pid}", {"reason": "relabelled", "cbd_mg_per_unit": "12"}
    )
    assert r.status_code == 200 and r.json()["cbd_mg_per_unit"] == "12"
    r = api("prescriber").post(f"/medicines/products/{pid}/retire", {"reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = api("prescriber").post(f"/medicines/products/{pid}/retire", {"reason": "withdrawn"})
    assert r.status_code == 200
    assert [p["id"] for p in api("nurse").get("/medicines/products").json()] == []
    r = api("prescriber").post("/medicines/products/999999/retire", {"reason": "x"})
    assert r.status_code == 422 and "product_id" in r.json()["errors"]
    events = list(m.PrescribingLogEntry.objects.values_list("event", flat=True))
    assert events == ["product", "product_edit", "product_retire"]


def test_eligibility_endpoint(api, users, patient, approved):
    from painpath.apps.patients.models import Treatment

    Treatment.objects.create(patient=patient, category="cbpm", name="CBD oil", effect="worse")
    r = api("prescriber").get(f"/medicines/patients/{patient.pk}/eligibility")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["eligible"] and body["failed_treatments"] == [
        "nsaid: naproxen",
        "gabapentinoid: pregabalin",
    ]
    assert "not counted" in body["not_counted"][0] and "NG144" in body["ng144_source"]
    r = api("nurse").get(f"/medicines/patients/{patient.pk}/eligibility")
    assert r.json()["issues"][0]["code"] == "ELIGIBILITY_NOT_SPECIALIST"  # a nurse is not
    assert api("admin").get(f"/medicines/patients/{patient.pk}/eligibility").status_code == 403
    assert AuditEvent.objects.filter(patient_id=patient.pk, action="read").exists()


def test_rule_endpoints_take_an_inline_product(api):
    oil = {"name": "Inline CBD oil 20", "form": "oil", "cbd_mg_per_unit": "20"}
    r = api("nurse").post("/medicines/titration", {"protocol": "routine", "days": 10,
                          "product": oil})  # fmt: skip
    assert r.status_code == 200, r.json()
    assert [d["cbd_mg"] for d in r.json()["days"][::3]] == ["10", "20", "30", "40"]
    r = api("nurse").post(
        "/medicines/safety-screen",
        {"age_years": 70, "product": oil, "daily_thc_mg": "0", "daily_cbd_mg": "20",
         "current_medicines": ["clobazam"]},
    )  # fmt: skip
    assert {"ELDERLY", "IX_CLOBAZAM"} <= {i["code"] for i in r.json()}
    r = api("nurse").post("/medicines/titration", {"protocol": "routine", "days": 10})
    assert r.status_code == 422 and "product_id" in r.json()["errors"]
    r = api("nurse").post(
        "/medicines/titration",
        {"protocol": "routine", "days": 10, "product": {**oil, "unit": "g"}},
    )
    assert r.status_code == 422 and "product.unit" in r.json()["errors"]
    # Two inline products: the error says which one is wrong.
    r = api("nurse").post(
        "/medicines/titration",
        {"protocol": "routine", "days": 10, "product": oil,
         "thc_product": {**oil, "name": "Inline THC oil", "form": "cream"}},
    )  # fmt: skip
    assert r.status_code == 422, r.json()
    assert list(r.json()["errors"]) == ["thc_product.form"]
    r = api("nurse").post(
        "/medicines/titration",
        {"protocol": "routine", "days": 10, "product": {**oil, "cbd_mg_per_unit": "0"}},
    )
    assert r.status_code == 422 and "both 0" in str(r.json()["errors"])
    assert m.Product.objects.count() == 0
