"""Browser journeys: a prescriber signs a CBPM prescription after overriding a warning with a
reason (issue 6), and manages the formulary; each page gets an axe-core accessibility check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

# The fixtures (live_app, page, login, users, assert_no_axe_violations) are in
# tests/browser/conftest.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def checked_prescription(users: dict[str, Any]) -> Any:
    """A checked prescription whose safety screen raised warnings (epilepsy, pregabalin)."""
    from painpath.apps.medicines import actions
    from painpath.apps.medicines.models import Product
    from painpath.apps.patients.models import Patient, Treatment

    prescriber = users["prescriber"]
    prescriber.on_specialist_register = True
    prescriber.gmc_number = "7000001"
    prescriber.work_address = "Demo Pain Clinic, 2 Clinic Road, Testtown"
    prescriber.save()
    patient = Patient.objects.create(
        nhs_number="9434765870",
        given_name="Robin",
        family_name="Browser",
        date_of_birth=dt.date(1975, 1, 2),
        sex="male",
        address="4 Demo Lane",
        postcode="TT4 4DD",
    )
    Treatment.objects.create(
        patient=patient, category="nsaid", name="ibuprofen", effect="no_effect"
    )
    Treatment.objects.create(
        patient=patient, category="opioid", name="codeine", effect="not_tolerated"
    )
    product = Product.objects.create(
        name="Demo balanced oil 10:10 (browser)",
        form="oil",
        unit="ml",
        thc_mg_per_unit=Decimal(10),
        cbd_mg_per_unit=Decimal(10),
        pack_sizes=["30"],
    )
    actions.record_eligibility_decision(
        by=prescriber,
        patient=patient,
        decision="approved",
        rationale="Two failed; MDT agreed.",
        mdt_agreement=True,
        informed_consent_unlicensed=True,
        prior_cannabis_use="never",
    )
    rx = actions.draft_prescription(
        by=users["nurse"],
        patient=patient,
        product=product,
        dose="0.25 ml twice daily",
        daily_amount="0.5",
        quantity="15",
        quantity_words="fifteen millilitres",
    )
    return actions.check_prescription_draft(
        by=users["nurse"],
        prescription=rx,
        facts={"epilepsy": True},
        current_medicines=["pregabalin"],
    )


def test_prescriber_signs_after_overriding_warning_with_reason(
    live_app: str, page: Any, login: Any, checked_prescription: Any, assert_no_axe_violations: Any
) -> None:
    rx = checked_prescription
    login(page, "prescriber")
    page.goto(f"{live_app}/medicines/prescriptions/{rx.pk}/")
    assert_no_axe_violations(page)
    page.get_by_label("I told the patient the drug-driving advice").check()
    page.get_by_label("Reason to proceed (EPILEPSY)").fill("Seizure-free for 10 years")
    page.get_by_role("button", name="Sign prescription").click()
    # One reason still missing: the form comes back naming it, nothing signed.
    page.get_by_text("give a reason to proceed").first.wait_for()
    assert page.locator("#rx-status").inner_text() == "Checked"
    page.get_by_label("I told the patient the drug-driving advice").check()
    page.get_by_label("Reason to proceed (EPILEPSY)").fill("Seizure-free for 10 years")
    page.get_by_label("Reason to proceed (IX_CNS_DEPRESSANT)").fill("Low dose, at night only")
    page.get_by_role("button", name="Sign prescription").click()
    page.locator("#rx-status", has_text="Signed").wait_for()
    assert "Seizure-free for 10 years" in page.content()
    assert_no_axe_violations(page)
    rx.refresh_from_db()
    assert rx.status == "signed"
    assert rx.overrides.get(code="EPILEPSY").reason == "Seizure-free for 10 years"
    assert rx.overrides.get(code="IX_CNS_DEPRESSANT").reason == "Low dose, at night only"
    from painpath.apps.medicines.models import PrescribingLogEntry

    events = list(
        PrescribingLogEntry.objects.filter(prescription=rx).values_list("event", "actor_role")
    )
    assert events[-4:] == [
        ("override", "prescriber"),
        ("override", "prescriber"),
        ("driving_advice", "prescriber"),
        ("sign", "prescriber"),
    ]
    page.get_by_role("link", name="Printable prescription").click()
    page.get_by_text("Valid until").wait_for()
    assert "fifteen millilitres" in page.content() and "GMC 7000001" in page.content()
    assert_no_axe_violations(page)


def test_prescriber_manages_the_formulary(
    live_app: str, page: Any, login: Any, users: dict[str, Any], assert_no_axe_violations: Any
) -> None:
    from painpath.apps.medicines.models import Product

    login(page, "prescriber")
    page.goto(f"{live_app}/medicines/formulary/")
    assert_no_axe_violations(page)
    page.get_by_label("Name", exact=True).fill("Demo CBD oil 50 mg/ml")
    page.get_by_label("Form", exact=True).select_option("oil")
    page.get_by_label("Unit", exact=True).select_option("g")  # wrong unit for an oil
    page.get_by_label("THC mg per unit").fill("0")
    page.get_by_label("CBD mg per unit").fill("50")
    page.get_by_role("button", name="Add product").click()
    page.get_by_text("oil is measured in ml").wait_for()
    assert not Product.objects.exists()
    assert_no_axe_violations(page)
    page.get_by_label("Unit", exact=True).select_option("ml")
    page.get_by_role("button", name="Add product").click()
    page.get_by_role("cell", name="Demo CBD oil 50 mg/ml", exact=True).wait_for()
    product = Product.objects.get()
    page.get_by_role("link", name="Edit or retire Demo CBD oil 50 mg/ml").click()
    assert_no_axe_violations(page)
    page.get_by_label("Pack sizes").fill("10 30")
    page.get_by_label("Reason for the change").fill("Supplier adds a 10 ml bottle")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("cell", name="10, 30 ml", exact=True).wait_for()
    page.get_by_role("link", name="Edit or retire Demo CBD oil 50 mg/ml").click()
    page.get_by_label("Reason to retire").fill("Replaced by a new strength")
    page.get_by_role("button", name="Retire product").click()
    page.get_by_text("Retired products").wait_for()
    product.refresh_from_db()
    assert not product.active and product.pack_sizes == ["10", "30"]
    # A nurse sees the formulary but cannot manage it.
    page.context.clear_cookies()
    login(page, "nurse")
    page.goto(f"{live_app}/medicines/formulary/")
    assert page.get_by_role("button", name="Add product").count() == 0
    response = page.goto(f"{live_app}/medicines/formulary/{product.pk}/edit/")
    assert response is not None and response.status == 403
