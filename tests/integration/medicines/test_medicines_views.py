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

from .pdf_text import extract_text, page_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_role(client, users):
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
            "unit": "ml",
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
            "unit": "ml",
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


def _rows():
    return (
        m.Prescription.objects.count(),
        m.TitrationPlan.objects.count(),
        m.Product.objects.count(),
        m.PrescribingLogEntry.objects.count(),
        m.EligibilityDecision.objects.count(),
    )


RX_FORM = {
    "kind": "initiation", "dose": "0.5 ml twice daily", "unit": "ml", "daily_amount": "1",
    "quantity": "30", "quantity_words": "thirty millilitres",
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"unit": "g"}, "unit mismatch: Demo CBD oil 20 is measured in ml"),
        ({"unit": ""}, "must be one of ml, g, unit"),
        ({"daily_amount": "-2"}, "must be greater than 0"),
        ({"quantity": "0"}, "must be greater than 0"),
        ({"daily_amount": "75"}, "over the maximum of 50"),
        ({"quantity": "30.0005"}, "at most 3 decimal places"),
        ({"product": "999999"}, "choose a product from the formulary"),
        ({"product": ""}, "choose a product from the formulary"),
        ({"appropriate_date": "next week"}, "enter a date as YYYY-MM-DD"),
    ],
)
def test_prescription_form_bad_input_names_field_nothing_saved(
    as_role, patient, products, change, shown
):
    before = _rows()
    data = {"product": products["cbd"].pk, **RX_FORM, **change}
    r = as_role("nurse").post(reverse("medicines:rx_new", args=[patient.pk]), data)
    assert r.status_code == 422
    assert shown in r.content.decode()
    assert _rows() == before


def test_titration_form_bad_input_nothing_saved(as_role, patient, products):
    c = as_role("nurse")
    before = _rows()
    for data, shown in (
        ({"protocol": "turbo", "product": products["cbd"].pk, "days": "10"}, "unknown protocol"),
        ({"protocol": "routine", "product": products["cbd"].pk, "days": "367"}, "1-366"),
        ({"protocol": "routine", "product": products["thc"].pk, "days": "10"}, "contains no CBD"),
        ({"protocol": "rapid", "product": products["cbd"].pk, "days": "10"}, "balanced"),
        ({"protocol": "routine", "product": "0", "days": "10"}, "choose a product"),
    ):
        r = c.post(reverse("medicines:plan_new", args=[patient.pk]), data)
        assert r.status_code == 422 and shown in r.content.decode(), data
    assert _rows() == before


def test_prescription_pdf_has_the_schedule_2_content(as_role, users, draft):
    from .conftest import TODAY

    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    c = as_role("prescriber")
    unsigned = c.get(reverse("medicines:rx_pdf", args=[rx.pk]))
    assert "NOT SIGNED: not valid for dispensing" in extract_text(unsigned.content)
    actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    r = c.get(reverse("medicines:rx_pdf", args=[rx.pk]))
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and r.content.rstrip().endswith(b"%%EOF")
    assert page_count(r.content) == 1
    text = " ".join(extract_text(r.content).split())
    for expected in (
        "Alex Example",  # patient name
        "1 Demo Street, Testtown",  # and address
        "TT1 1AA",
        "Demo balanced oil 10:10",
        "Oil (oral)",  # form
        "THC 10 mg/ml, CBD 10 mg/ml",  # strength
        "Dose: 0.5 ml twice daily",
        "30 ml (thirty millilitres)",  # quantity in figures and words
        "No repeats",
        "Dana Demo, GMC 7000001",  # prescriber
        "Demo Pain Clinic, 2 Clinic Road",  # prescriber's address
        "Date: 2 November 2026",
        "Valid until 30 November 2026",  # day 28 after signing
    ):
        assert expected in text, expected
    assert "NOT SIGNED" not in text
    html = c.get(reverse("medicines:rx_print", args=[rx.pk])).content.decode()
    assert "Valid until 30 November 2026" in html and "thirty millilitres" in html


def test_prescription_print_shows_start_date(as_role, users, patient, products, approved):
    import datetime as dt

    from .conftest import TODAY

    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["cbd"], dose="0.5 ml twice daily",
        daily_amount="1", quantity="30", quantity_words="thirty", unit="ml",
        appropriate_date=TODAY + dt.timedelta(days=5),
    )  # fmt: skip
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=rx, facts={}, current_medicines=[], today=TODAY
    )
    actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    text = " ".join(extract_text(as_role("nurse").get(
        reverse("medicines:rx_pdf", args=[rx.pk])).content).split())  # fmt: skip
    assert "Not to be supplied before 7 November 2026" in text
    assert "Valid until 5 December 2026" in text  # 28 days after the start date


def test_titration_schedule_pdf_has_the_doses_and_dates(as_role, users, patient, products):
    import datetime as dt

    plan = actions.create_titration_plan(
        by=users["nurse"], patient=patient, protocol="routine", product=products["cbd"],
        thc_product=products["thc"], days=30, start_date=dt.date(2026, 11, 2),
    )  # fmt: skip
    c = as_role("nurse")
    html = c.get(reverse("medicines:plan", args=[plan.pk])).content.decode()
    assert "13 to 19" in html and "14 Nov 2026 to 20 Nov 2026" in html
    # Day by day for the team: day 30 with its date, dose, mg delivered and protocol target.
    assert "<td>30</td><td>1 Dec 2026</td><td>thc</td>" in html
    assert "<td>7.5 (7.5)</td><td>40 (40)</td>" in html
    r = c.get(reverse("medicines:plan_pdf", args=[plan.pk]))
    assert r.content.startswith(b"%PDF-") and page_count(r.content) >= 1
    text = " ".join(extract_text(r.content).split())
    for expected in (
        "Your titration schedule",
        "Alex Example",
        "Demo CBD oil 20: 0.25 ml twice daily",
        "Demo CBD oil 20: 1 ml twice daily + Demo THC oil 10: 0.25 ml once daily",
        "13 to 19",
        "14 Nov 2026 to 20 Nov 2026",
        "Never take more than 40 mg THC a day",
        "Bhaskar",
    ):
        assert expected in text, expected


def test_formulary_edit_and_retire_pages(as_role, products):
    c = as_role("prescriber")
    url = reverse("medicines:product_edit", args=[products["cbd"].pk])
    page = c.get(url).content.decode()
    assert 'value="Demo CBD oil 20"' in page and "Retire product" in page
    form = {"name": "Demo CBD oil 20", "form": "oil", "unit": "ml", "route": "oral",
            "thc_mg_per_unit": "0", "cbd_mg_per_unit": "25", "pack_sizes": "30"}  # fmt: skip
    r = c.post(url, form)
    assert r.status_code == 422 and "give a reason for the change" in r.content.decode()
    r = c.post(url, {**form, "cbd_mg_per_unit": "-5", "reason": "label"})
    assert r.status_code == 422 and "must not be negative" in r.content.decode()
    products["cbd"].refresh_from_db()
    assert products["cbd"].cbd_mg_per_unit == 20
    r = c.post(url, {**form, "reason": "label"})
    assert r.status_code == 302
    products["cbd"].refresh_from_db()
    assert products["cbd"].cbd_mg_per_unit == 25
    retire = reverse("medicines:product_retire", args=[products["cbd"].pk])
    r = c.post(retire, {"reason": ""})
    assert r.status_code == 422 and "give a reason to retire" in r.content.decode()
    r = c.post(retire, {"reason": "replaced by a new strength"})
    assert r.status_code == 302
    listing = c.get(reverse("medicines:formulary")).content.decode()
    assert "Retired products" in listing and "Demo CBD oil 20" in listing
    products["cbd"].refresh_from_db()
    assert not products["cbd"].active


def test_formulary_management_refused_to_other_roles(as_role, products):
    edit = reverse("medicines:product_edit", args=[products["cbd"].pk])
    retire = reverse("medicines:product_retire", args=[products["cbd"].pk])
    before = _rows()
    for role in ("nurse", "admin", "researcher"):
        c = as_role(role)
        assert c.get(edit).status_code == 403
        assert c.post(edit, {"name": "x", "reason": "y"}).status_code == 403
        assert c.post(retire, {"reason": "y"}).status_code == 403
        assert c.post(reverse("medicines:formulary"), {"name": "N", "form": "oil",
                      "unit": "ml", "thc_mg_per_unit": "1",
                      "cbd_mg_per_unit": "1"}).status_code == 403  # fmt: skip
    nurse_page = as_role("nurse").get(reverse("medicines:formulary")).content.decode()
    assert "Add a product" not in nurse_page and "Edit or retire" not in nurse_page
    assert _rows() == before
    products["cbd"].refresh_from_db()
    assert products["cbd"].active


def test_formulary_add_bad_input_nothing_saved(as_role):
    c = as_role("prescriber")
    for data, shown in (
        ({"name": "Z", "form": "oil", "unit": "ml", "thc_mg_per_unit": "0",
          "cbd_mg_per_unit": "0"}, "both 0"),
        ({"name": "Z", "form": "oil", "unit": "ml", "thc_mg_per_unit": "-1",
          "cbd_mg_per_unit": "5"}, "must not be negative"),
        ({"name": "Z", "form": "oil", "unit": "ml", "thc_mg_per_unit": "5000",
          "cbd_mg_per_unit": "5"}, "over the maximum of 1000"),
        ({"name": "", "form": "oil", "unit": "ml", "thc_mg_per_unit": "5",
          "cbd_mg_per_unit": "5"}, "required"),
        ({"name": "Z", "form": "oil", "unit": "ml", "thc_mg_per_unit": "5",
          "cbd_mg_per_unit": "5", "pack_sizes": "0"}, "must be greater than 0"),
    ):  # fmt: skip
        r = c.post(reverse("medicines:formulary"), data)
        assert r.status_code == 422 and shown in r.content.decode(), data
    assert m.Product.objects.count() == 0 and m.PrescribingLogEntry.objects.count() == 0


def test_decision_page_shows_ng144_and_what_is_missing(as_role, patient):
    from painpath.apps.patients.models import Treatment

    Treatment.objects.create(patient=patient, category="cbpm", name="CBD oil", effect="no_effect")
    Treatment.objects.filter(category="gabapentinoid").update(effect="partial")
    body = as_role("prescriber").get(reverse("medicines:decide", args=[patient.pk])).content
    text = body.decode()
    assert "NICE NG144 does not recommend CBPMs for chronic pain" in text
    assert "At least 2 conventional treatments failed or not tolerated (recorded: 1)" in text
    assert "cbpm: CBD oil: not counted" in text
    assert "informed consent to an unlicensed medicine" in text


def test_each_refusal_shown_once_next_to_its_form(as_role, users, draft):
    from .conftest import TODAY

    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    c = as_role("prescriber")
    r = c.post(reverse("medicines:rx_sign", args=[rx.pk]), {})
    body = r.content.decode()
    assert r.status_code == 422 and body.count("record that driving advice was given") == 1
    actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    r = c.post(
        reverse("medicines:rx_change", args=[rx.pk]),
        {"reason": "more", "unit": "g", "daily_amount": "0"},
    )
    body = r.content.decode()
    assert r.status_code == 422
    assert body.count("unit mismatch") == 1 and body.count("must be greater than 0") == 1
    r = c.post(reverse("medicines:rx_stop", args=[rx.pk]), {"reason": " "})
    assert r.status_code == 422
    assert r.content.decode().count("a reason is required to stop") == 1
    rx.refresh_from_db()
    assert rx.status == "signed" and not m.Prescription.objects.filter(replaces=rx).exists()
