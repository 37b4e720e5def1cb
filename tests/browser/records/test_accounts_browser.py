"""Browser journeys: logging in and out, with axe-core on the log-in page and the landing page."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_loads_css_and_htmx_and_passes_axe(
    live_app: str, page: Any, assert_no_axe_violations: Any
) -> None:
    page.goto(f"{live_app}/login/")
    assert page.title() == "Log in – painpath"
    # The stylesheet and HTMX came from /static/ (the header is styled; htmx is defined).
    assert page.evaluate("() => typeof window.htmx") == "object"
    colour = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(0, 48, 120)"
    assert_no_axe_violations(page)


def test_wrong_password_is_refused_with_a_message(live_app: str, page: Any, users: Any) -> None:
    page.goto(f"{live_app}/login/")
    page.get_by_label("Username").fill("web-nurse")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("alert").get_by_text("username or password is not right").wait_for()
    assert "/login/" in page.url


def test_researcher_logs_in_to_their_guide_and_logs_out(
    live_app: str, page: Any, login: Any, assert_no_axe_violations: Any
) -> None:
    login(page, "researcher")
    page.get_by_role("heading", name="Welcome to painpath").wait_for()
    assert "Researcher" in page.locator("header").inner_text()
    # No patient links in the researcher's navigation.
    assert page.get_by_role("link", name="Patients").count() == 0
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("You have logged out.").wait_for()
    assert page.url.endswith("/login/")


def test_axe_check_fails_naming_each_violation(
    live_app: str, page: Any, assert_no_axe_violations: Any
) -> None:
    """The accessibility check itself can fail: an unlabelled input and an image without alt."""
    page.goto(f"{live_app}/login/")
    page.evaluate(
        "() => { const m = document.querySelector('main');"
        " m.insertAdjacentHTML('beforeend', '<input id=bad-input><img src=x.png id=bad-img>'); }"
    )
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_no_axe_violations(page)
    message = str(failed.value)
    assert "label (critical)" in message and "#bad-input" in message
    assert "image-alt (critical)" in message and "#bad-img" in message
