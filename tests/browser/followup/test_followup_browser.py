"""Browser journey (issue 5): a patient opens the emailed link, saves halfway, comes back later
with the same link and finishes with PHQ-9 item 9 above 0; a nurse logs in and sees the PHQ-9
item 9 alert on the follow-up dashboard. axe-core checks on each page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def emailed_link(live_app: str) -> tuple[Any, str]:
    """A patient with a plan whose baseline invitation the scheduler has just emailed."""
    from painpath.apps.followup import actions, scheduler
    from tests.factories.followup import patient_with_email, start_plan

    patient = patient_with_email(given_name="Jamie", family_name="Browserpatient")
    plan = start_plan(patient)
    now = max(timezone.now(), actions.at_send_time(timezone.localdate()))
    assert scheduler.run_once(now=now).sent == 1
    (email,) = mail.outbox
    url = re.search(r"https?://\S+/f/\S+/", email.body).group(0)
    return plan.sets.get(timepoint="baseline"), live_app + "/f/" + url.split("/f/", 1)[1]


def answer(page: Any, code: str, value: int) -> None:
    page.locator(f"#{code}-{value}").check()


def test_patient_saves_halfway_returns_finishes_and_nurse_sees_phq9_alert(
    browser: Any,
    live_app: str,
    page: Any,
    login: Any,
    emailed_link: tuple[Any, str],
    assert_no_axe_violations: Any,
) -> None:
    s, link = emailed_link
    page.goto(link)
    page.get_by_role("heading", name="Your follow-up questions").wait_for()
    assert "Hello Jamie." in page.content()
    assert_no_axe_violations(page)
    # Halfway: pain, sleep and anxiety, then save.
    answer(page, "nrs_1", 6)
    answer(page, "sqs_1", 4)
    for i in range(1, 8):
        answer(page, f"gad7_{i}", 1)
    page.get_by_role("button", name="Save and finish later").click()
    page.get_by_text("Your answers are saved").wait_for()

    # Later, in a new browser session, the same link brings the saved answers back.
    later = browser.new_context(base_url=live_app, locale="en-GB").new_page()
    later.goto(link)
    assert later.locator("#nrs_1-6").is_checked() and later.locator("#gad7_7-1").is_checked()
    # Sending too early names what is missing; axe on the page with its error summary.
    later.get_by_role("button", name="Send my answers").click()
    later.get_by_role("heading", name=re.compile("Not sent yet")).wait_for()
    summary = later.locator(".error-summary").inner_text()
    assert "question 9: please answer this question" in summary, summary
    assert_no_axe_violations(later)
    for i in range(1, 10):
        answer(later, f"phq9_{i}", 1 if i == 9 else 0)
    for i in range(1, 11):
        answer(later, f"odi_{i}", 2)
    for item in ("mobility", "self_care", "usual_activities", "pain_discomfort"):
        answer(later, f"eq5d5l_{item}", 2)
    answer(later, "eq5d5l_anxiety_depression", 1)
    later.get_by_label("6. Health today").fill("70")
    later.locator("#rf_any-no").check()
    later.get_by_role("button", name="Send my answers").click()
    later.get_by_role("heading", name="Thank you: your answers have been sent").wait_for()
    assert_no_axe_violations(later)
    later.context.close()
    s.refresh_from_db()
    assert s.status == "completed"

    # The nurse sees the PHQ-9 item 9 alert on the dashboard until it is acknowledged.
    login(page, "nurse")
    page.goto(f"{live_app}/clinic/follow-up/")
    row = page.locator("tr", has_text="PHQ-9 item 9 positive")
    row.wait_for()
    assert "Jamie Browserpatient" in row.inner_text() and "Urgent" in row.inner_text()
    assert_no_axe_violations(page)
