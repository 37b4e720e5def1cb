"""Web pages: role rules, forms re-shown with field errors, the sign journey, printable
prescription and schedule (HTML and PDF), CSV export of the log."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from painpath.apps.audit.models import AuditEvent
from painpath.apps.medicines import actions
from painpath.apps.medicines import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_template(settings):
    """Use D2's base.html; until it lands, a minimal stand-in with the same blocks, appended last
    to DIRS so the real one wins as soon as it exists."""
    from pathlib import Path

    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        engines = [dict(e) for e in settings.TEMPLATES]
        engines[0]["DIRS"] = [*engines[0]["DIRS"], Path(__file__).parent / "fallback_templates"]
        settings.TEMPLATES = engines


@pytest.fixture
def as_role(client, users, base_template):
    def login(role):
        client.force_login(users[role])
        return client

    return login


def test_roles_on_pages(as_role, patient, draft):
    c = as_role("admin")
    assert c.get(reverse("medicines:patient", args=[patient.pk])).status_code == 403
    assert c.get(reverse("medicines:log")).status_code == 200
    c = as_role("researcher")
    assert c.get(reverse("medicines:rx", args=[draft.pk])).status_code == 403
    assert c.get(reverse("medicines:log_csv")).status_code == 403
    c = as_role("nurse")
    assert c.get(reverse("medicines:decide", args=[patient.pk])).status_code == 403
    assert c.post(reverse("medicines:rx_sign", args=[draft.pk])).status_code == 403
    assert c.get(reverse("medicines:log")).status_code == 403


def test_patient_page_shows_policy_and_ng144(as_role, patient):
    r = as_role("prescriber").get(reverse("medicines:patient", args=[patient.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "NG144" in body and "nsaid: naproxen" in body
    assert AuditEvent.objects.filter(patient_id=patient.pk, action="read").exists()


def test_decision_form_reshown_with_errors(as_role, patient):
    r = as_role("prescriber").post(
        reverse("medicines:decide", args=[patient.pk]), {"decision": "approved", "rationale": ""}
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert "MDT agreement recorded" in body and "informed consent" in body
    assert not m.EligibilityDecision.objects.exists()


def test_prescription_journey_through_pages(as_role, users, patient, products, approved):
    c = as_role("nurse")
    r = c.post(
        reverse("medicines:rx_new", args=[patient.pk]),
        {
            "product": products["balanced"].pk,
            "kind": "initiation",
            "dose": "0.5 ml twice daily",
            "daily_amount": "1",
            "quantity": "30",
            "quantity_words": "thirty millilitres",
        },
    )
    rx = m.Prescription.objects.get()
    assert r.status_code == 302 and r.url == reverse("medicines:rx", args=[rx.pk])
    r = c.post(
        reverse("medicines:rx_check", args=[rx.pk]),
        {"epilepsy": "on", "current_medicines": "pregabalin 75 mg\n"},
    )
    assert r.status_code == 302
    c = as_role("prescriber")
    r = c.post(reverse("medicines:rx_sign", args=[rx.pk]), {"driving_advice_given": "on"})
    assert r.status_code == 422
    assert "give a reason to proceed" in r.content.decode()
    r = c.post(
        reverse("medicines:rx_sign", args=[rx.pk]),
        {
            "driving_advice_given": "on",
            "override_EPILEPSY": "seizure-free",
            "override_IX_CNS_DEPRESSANT": "low dose at night",
        },
    )
    assert r.status_code == 302
    rx.refresh_from_db()
    assert rx.status == "signed"
    page = c.get(reverse("medicines:rx_print", args=[rx.pk])).content.decode()
    assert "thirty millilitres" in page and "Valid until" in page and "GMC 7000001" in page
    pdf = c.get(reverse("medicines:rx_pdf", args=[rx.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_bad_prescription_form_names_fields(as_role, patient, products):
    r = as_role("nurse").post(
        reverse("medicines:rx_new", args=[patient.pk]),
        {
            "product": products["cbd"].pk,
            "dose": "1 ml",
            "daily_amount": "0",
            "quantity": "abc",
            "quantity_words": "",
        },
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert "must be greater than 0" in body and "expected a number" in body
    assert not m.Prescription.objects.exists()


def test_titration_plan_pages_and_pdf(as_role, patient, products):
    c = as_role("nurse")
    r = c.post(
        reverse("medicines:plan_new", args=[patient.pk]),
        {
            "protocol": "routine",
            "product": products["cbd"].pk,
            "thc_product": products["thc"].pk,
            "days": "30",
            "start_date": "2026-11-02",
        },
    )
    plan = m.TitrationPlan.objects.get()
    assert r.status_code == 302
    page = c.get(reverse("medicines:plan", args=[plan.pk])).content.decode()
    assert "0.25 ml twice daily" in page and "13 to 19" in page
    pdf = c.get(reverse("medicines:plan_pdf", args=[plan.pk]))
    assert pdf.content[:5] == b"%PDF-"
    r = c.post(
        reverse("medicines:plan_new", args=[patient.pk]),
        {"protocol": "routine", "product": products["cbd"].pk, "days": "0"},
    )
    assert r.status_code == 422 and "days" in r.content.decode()


def test_formulary_add_and_refuse(as_role):
    c = as_role("prescriber")
    r = c.post(
        reverse("medicines:formulary"),
        {
            "name": "Demo oil",
            "form": "oil",
            "unit": "g",
            "thc_mg_per_unit": "5",
            "cbd_mg_per_unit": "5",
        },
    )
    assert r.status_code == 422 and "oil is measured in ml" in r.content.decode()
    r = c.post(
        reverse("medicines:formulary"),
        {
            "name": "Demo oil",
            "form": "oil",
            "unit": "ml",
            "thc_mg_per_unit": "5",
            "cbd_mg_per_unit": "5",
            "pack_sizes": "10, 30",
        },
    )
    assert r.status_code == 302
    assert m.Product.objects.get(name="Demo oil").pack_sizes == ["10", "30"]
    assert as_role("nurse").post(reverse("medicines:formulary"), {}).status_code == 403


def test_log_csv_export(as_role, users, approved, patient):
    actions.log(
        by=users["prescriber"],
        event="decision",
        patient=patient,
        summary='=HYPERLINK("x")',
        reason="correction",
    )
    r = as_role("admin").get(reverse("medicines:log_csv"), {"patient": patient.pk})
    assert r["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[0][:3] == ["id", "at", "event"]
    assert [row[2] for row in rows[1:]] == ["decision", "decision"]
    assert rows[1][3] == "Dana Demo" and rows[1][5] == "7000001"
    assert rows[2][8].startswith("'=")
    assert AuditEvent.objects.filter(action="export").exists()


def test_change_through_page(as_role, users, draft):
    from .conftest import TODAY

    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    c = as_role("prescriber")
    assert "Change prescription" in c.get(reverse("medicines:rx", args=[rx.pk])).content.decode()
    r = c.post(reverse("medicines:rx_change", args=[rx.pk]), {"reason": ""})
    assert r.status_code == 422 and "a reason is required" in r.content.decode()
    r = c.post(
        reverse("medicines:rx_change", args=[rx.pk]),
        {"reason": "more", "daily_amount": "1.5", "dose": "0.75 ml twice daily"},
    )
    new = m.Prescription.objects.get(replaces=rx)
    assert r.status_code == 302 and r.url == reverse("medicines:rx", args=[new.pk])
    assert new.daily_thc_mg == 15


def test_check_form_prefills_and_keeps_input(as_role, patient, draft):
    from painpath.apps.patients.models import Treatment

    Treatment.objects.create(patient=patient, category="opioid", name="tramadol", effect="partial")
    c = as_role("nurse")
    page = c.get(reverse("medicines:rx", args=[draft.pk])).content.decode()
    assert ">tramadol</textarea>" in page and "naproxen</textarea>" not in page
    r = c.post(
        reverse("medicines:rx_check", args=[draft.pk]),
        {"epilepsy": "on", "alt_x_uln": "lots", "current_medicines": "warfarin"},
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert "alt_x_uln: expected a number" in body
    assert 'name="epilepsy" checked' in body and ">warfarin</textarea>" in body
    draft.refresh_from_db()
    assert draft.status == "draft"
