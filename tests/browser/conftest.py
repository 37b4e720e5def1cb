"""Browser-test fixtures: a live painpath server, one user per role, Playwright driving Debian's
Chromium, a real log-in, and an axe-core accessibility check.

- ``live_app``: base URL of pytest-django's live server on the test database. Because
  ``django.contrib.staticfiles`` is installed, that server serves /static/ through
  ``StaticFilesHandler`` (StaticLiveServerTestCase semantics), so CSS and HTMX load.
- ``users``: one user per role, password ``PASSWORD``; the prescriber is on the specialist
  register with a GMC number and work address.
- ``browser`` (session) and ``page`` (a new context per test): Chromium at /usr/bin/chromium,
  never Playwright's own download. Missing Chromium skips these tests, unless
  ``PAINPATH_REQUIRE_BROWSER=1``, when it fails them.
- ``login(page, role)``: logs in through the real log-in form.
- ``assert_no_axe_violations(page)``: injects the vendored axe-core (tests/browser/vendor/) and
  fails listing every WCAG 2.x A/AA violation with its id, impact, help and target nodes.

Mark browser tests ``pytest.mark.browser`` and ``pytest.mark.django_db(transaction=True)`` (the
live server runs in another thread, so it must see committed data).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD, UserFactory

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told this is safe (it is: the loop belongs to Playwright).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
#: The rules checked: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ROLES = ("prescriber", "nurse", "admin", "researcher", "charity", "patient")
TIMEOUT_MS = 15_000


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; the live server shares these settings (same process)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def live_app(live_server: Any, transactional_db: Any) -> str:
    """The live server's base URL, without a trailing slash."""
    return str(live_server.url).rstrip("/")


@pytest.fixture
def users(transactional_db: Any) -> dict[str, Any]:
    """One user per role, usernames ``web-<role>``, all with ``PASSWORD``."""
    made = {
        role: UserFactory(
            username=f"web-{role}", role=role, first_name=role.capitalize(), last_name="Tester"
        )
        for role in ROLES
    }
    prescriber = made["prescriber"]
    prescriber.on_specialist_register = True
    prescriber.gmc_number = "7000001"
    prescriber.work_address = "Demo Pain Clinic, 2 Clinic Road, Testtown"
    prescriber.save()
    return made


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("PAINPATH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PAINPATH_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, live_app: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_app, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def login(live_app: str, users: dict[str, Any]) -> Callable[[Any, str], None]:
    """``login(page, "nurse")``: fill in and submit the real log-in form as that role's user."""

    def do_login(page: Any, role: str) -> None:
        page.goto(f"{live_app}/login/")
        page.get_by_label("Username").fill(users[role].username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if "/login/" in page.url:
            raise AssertionError(f"log-in as {role} failed: {page.locator('main').inner_text()}")

    return do_login


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} [{v.get('helpUrl', '')}]")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def assert_no_axe_violations() -> Callable[[Any], None]:
    """``assert_no_axe_violations(page)``: run axe-core on the page as it is now."""
    script = AXE_JS.read_text(encoding="utf-8")

    def check(page: Any) -> None:
        page.wait_for_load_state()
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=script)
        result = page.evaluate(
            "async (tags) => await window.axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        violations = result["violations"]
        if violations:
            pytest.fail(
                f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:\n"
                + format_violations(violations),
                pytrace=False,
            )

    return check
