"""Every page reachable from the demo, as every role, answers without a server error.

The URL matrix checks each URL pattern with small test objects; this walks what a person trying
``make run`` would click: the seeded demo (patients with assessments, questionnaires, treatments,
follow-up plans, prescriptions), following every same-site link from each role's home page.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from painpath.apps.accounts.models import Role, User
from painpath.demo.seed import seed

pytestmark = pytest.mark.django_db

#: Enough to reach every kind of page from a handful of demo patients, without walking them all.
MAX_PAGES_PER_ROLE = 120
SKIP_PREFIXES = ("/static/", "/logout", "/api/v1/docs", "/api/v1/openapi")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _same_site_links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIP_PREFIXES):
            out.append(path)
    return out


def _crawl(client: Client) -> tuple[int, list[str]]:
    seen: set[str] = set()
    queue: deque[str] = deque(["/"])
    failures: list[str] = []
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if response.status_code >= 500:
            failures.append(f"{path}: {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            html = response.content.decode()
            if "Traceback (most recent call last)" in html:
                failures.append(f"{path}: traceback in page")
            final = response.redirect_chain[-1][0] if response.redirect_chain else path
            queue.extend(p for p in _same_site_links(final, html) if p not in seen)
    return len(seen), failures


@pytest.fixture
def demo(settings: Any) -> dict[str, User]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed(6, seed=7)
    return {role.value: User.objects.get(username=role.value) for role in Role}


def test_every_demo_page_answers_for_every_role(demo: dict[str, User]) -> None:
    visited: dict[str, int] = {}
    failures: list[str] = []
    for role, user in demo.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        count, failed = _crawl(client)
        visited[role] = count
        failures.extend(f"{role} {f}" for f in failed)
    print("pages visited per role:", visited)
    assert not failures, "\n".join(failures)
    # Clinic staff reach many pages; the walk must really have walked.
    assert visited["prescriber"] >= 30 and visited["nurse"] >= 30, visited
