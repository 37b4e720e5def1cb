"""Browser journey for referrals (DESIGN.md journey step 1): clinic admin staff log a referral as
it arrives (a future date refused, the form kept), see it without its reason, and the nurse
sees the reason in the referral list and on the timeline. axe-core runs on every page visited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Synthetic: low back and leg pain for a year despite physiotherapy."


def test_admin_logs_a_referral_and_only_clinicians_read_its_reason(
    live_app: str, page: Any, login: Any, assert_no_axe_violations: Any, browser: Any
) -> None:
    from painpath.apps.patients.models import Referral

    patient = PatientFactory(given_name="Riley", family_name="Referred")
    login(page, "admin")
    page.goto(f"{live_app}/patients/{patient.pk}/")
    page.get_by_text("No referral recorded.").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add referral").click()
    page.get_by_role("heading", name="Add a referral").wait_for()
    assert_no_axe_violations(page)
    page.get_by_label("Referred by").select_option("gp")
    page.get_by_label("Referrer").fill("Dr A. Example, Demo Surgery")
    page.get_by_label("Received on").fill("2999-01-01")
    page.get_by_label("Reason for referral").fill(REASON)
    page.get_by_role("button", name="Add referral").click()
    page.get_by_role("alert").get_by_text("Received on cannot be in the future").wait_for()
    assert not Referral.objects.exists()
    assert page.get_by_label("Reason for referral").input_value() == REASON  # kept
    assert_no_axe_violations(page)
    page.get_by_label("Received on").fill("2024-02-03")
    page.get_by_role("button", name="Add referral").click()
    page.get_by_text("Referral recorded.").wait_for()
    referrals = page.locator("section", has=page.get_by_role("heading", name="Referrals"))
    assert "Dr A. Example, Demo Surgery" in referrals.inner_text()
    assert "2024-02-03" in referrals.inner_text()
    assert "low back and leg pain" not in page.content()  # the reason is clinical
    assert_no_axe_violations(page)
    assert Referral.objects.get(patient=patient).reason == REASON

    nurse_context = browser.new_context(base_url=live_app, locale="en-GB")
    nurse = nurse_context.new_page()
    try:
        login(nurse, "nurse")
        nurse.goto(f"{live_app}/patients/{patient.pk}/")
        nurse.get_by_role("heading", name="Timeline").wait_for()
        listed = nurse.locator("section", has=nurse.get_by_role("heading", name="Referrals"))
        assert REASON in listed.inner_text()
        timeline = nurse.locator("ol.timeline")
        assert "Referral (GP): Dr A. Example, Demo Surgery" in timeline.inner_text()
        assert REASON in timeline.inner_text()
        assert_no_axe_violations(nurse)
    finally:
        nurse_context.close()
