"""Log-in (with the throttle's lock-out message), log-out, password change and role homes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from painpath.apps.accounts import throttle
from painpath.apps.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_accessible_html(client: Client) -> None:
    html = client.get("/login/").content.decode()
    assert '<html lang="en-gb">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert '<label for="id_username">Username</label>' in html
    assert 'role="status" aria-live="polite"' in html


def test_login_goes_to_the_role_home_and_is_audited(client: Client, users: Any) -> None:
    response = client.post("/login/", {"username": "web-nurse", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == "/patients/"
    assert AuditEvent.objects.filter(action="login", actor=users["nurse"]).count() == 1


@pytest.mark.parametrize(
    ("role", "location"), [("prescriber", "/patients/"), ("admin", "/patients/"), ("patient", "")]
)
def test_home_sends_each_role_to_its_work(as_role: Any, role: str, location: str) -> None:
    from painpath.apps.accounts.context_processors import url_or_none

    # A patient goes to the follow-up portal once it is installed, else to the simple portal.
    expected = location or url_or_none("followup:portal") or "/account/portal/"
    assert as_role(role).get("/")["Location"] == expected


@pytest.mark.parametrize("role", ["researcher", "charity"])
def test_researcher_and_charity_get_a_guide_without_patient_links(as_role: Any, role: str) -> None:
    html = as_role(role).get("/").content.decode()
    assert "What you can do here" in html
    assert "Patient records are not available to your role" in html
    assert 'href="/patients/"' not in html


def test_wrong_password_says_so_and_is_audited(client: Client, users: Any) -> None:
    response = client.post("/login/", {"username": "web-nurse", "password": "wrong-password"})
    assert response.status_code == 422
    assert "username or password is not right" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() == 1


def test_locked_out_user_is_told_clearly_even_with_the_right_password(
    client: Client, users: Any
) -> None:
    for _ in range(throttle.MAX_FAILURES):
        client.post("/login/", {"username": "web-nurse", "password": "wrong-password"})
    response = client.post("/login/", {"username": "web-nurse", "password": PASSWORD})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Too many failed log-in attempts" in html and "15 minutes" in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(detail__reason="locked_out").exists()


def test_logout_is_post_only(as_role: Any) -> None:
    client = as_role("nurse")
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert "You have logged out." in response.content.decode()
    assert client.get("/patients/").status_code == 302


def test_password_change_names_the_problem_and_then_works(as_role: Any, users: Any) -> None:
    client = as_role("nurse")
    bad = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert bad.status_code == 422
    assert "at least 10 characters" in bad.content.decode()
    good = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
    )
    assert good.status_code == 302
    users["nurse"].refresh_from_db()
    assert users["nurse"].check_password("a-much-longer-pass-2026")


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("prescriber", ["Patients", "Follow-up dashboard", "Formulary", "Prescribing log"], []),
        ("nurse", ["Patients", "Follow-up dashboard", "Formulary"], ["Prescribing log"]),
        ("admin", ["Patients", "Prescribing log"], ["Follow-up dashboard", "Formulary"]),
        ("researcher", [], ["Patients", "Follow-up dashboard", "Formulary", "Prescribing log"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(
    as_role: Any, role: str, shown: list[str], hidden: list[str]
) -> None:
    client = as_role(role)
    html = client.get("/account/password/").content.decode()
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0] if shown else ""
    for label in shown:
        assert f">{label}</a>" in nav
    for label in hidden:
        assert f">{label}</a>" not in nav


def test_error_pages_are_friendly_and_debug_is_off(settings: Any, as_role: Any) -> None:
    assert settings.DEBUG is False
    client = as_role("researcher")
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    refused = client.get("/patients/")
    assert refused.status_code == 403
    assert "You do not have access to this page" in refused.content.decode()


def test_server_error_page_is_friendly() -> None:
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html and "it was not saved" in html
    assert "Traceback" not in html


def test_bad_request_page_is_friendly(client: Client) -> None:
    response = client.get("/login/", headers={"host": "evil.example"})  # DisallowedHost -> 400
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
