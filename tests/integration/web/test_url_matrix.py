"""The URL x role matrix (see url_matrix.py): every URL has a row, every page declares its
permissions, and every row answers every role with the status the matrix expects."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.integration.web.url_matrix import ROLES, Row, World, load, missing_needs, url_patterns

MATRIX = load()

#: Views that need no ``@require`` (they are not behind a log-in), from every matrix module.
PUBLIC = {
    "accounts:login": "the log-in page itself",
    "accounts:logout": "logging out needs no permission (POST only)",
    **MATRIX.public,
}
#: Views allowed ``@require()`` with no permission: any signed-in user may use them.
ANY_SIGNED_IN = {"accounts:home", "accounts:password_change"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_matrix_modules_are_found() -> None:
    for area in ("accounts", "patients", "assessments", "api", "medicines", "outcomes", "followup"):
        assert f"matrix_{area}" in MATRIX.modules


def test_every_url_pattern_has_a_row() -> None:
    covered = {row.name for row in MATRIX.rows}
    missing = [f"{name} ({route})" for name, route, _ in url_patterns() if name not in covered]
    assert not missing, "URL patterns with no row in the URL x role matrix:\n" + "\n".join(missing)


def test_every_row_names_a_real_url_pattern() -> None:
    names = {name for name, _, _ in url_patterns()}
    stale = sorted({row.name for row in MATRIX.rows} - names)
    assert not stale, f"matrix rows for URL names that no longer exist: {stale}"


def test_every_page_view_declares_its_permissions() -> None:
    """Every non-API view is wrapped in ``@require`` (it has ``required_permissions``), unless it
    is public; only a few pages for any signed-in user may require no particular permission."""
    undeclared, unrestricted = [], []
    for name, route, pattern in url_patterns():
        if route.startswith("api/") or name in PUBLIC:
            continue
        perms = getattr(pattern.callback, "required_permissions", None)
        if perms is None:
            undeclared.append(f"{name} ({route})")
        elif not perms and name not in ANY_SIGNED_IN:
            unrestricted.append(f"{name} ({route})")
    assert not undeclared, "views without @require (and not PUBLIC):\n" + "\n".join(undeclared)
    assert not unrestricted, "views with @require() but no permission:\n" + "\n".join(unrestricted)


class _Rollback(Exception):
    pass


def _request(client: Client, row: Row, world: World, role: str) -> Any:
    url = reverse(row.name, kwargs=row.kwargs(world))
    headers: dict[str, str] = {}
    if row.is_api:
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {world[f'token:{role}']}"
    elif role != "anonymous":
        client.force_login(world.user(role))
    query = row.query(world) if row.query else None
    data = row.data(world) if row.data else None
    method = row.method.upper()
    if method == "GET":
        return client.get(url, query, headers=headers)
    if query:
        url = f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    call = getattr(client, method.lower())
    if row.is_api:
        body = json.dumps(data if data is not None else {})
        return call(url, body, content_type="application/json", headers=headers)
    if method in ("POST",):
        return call(url, data or {}, headers=headers)
    return call(url, headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("row", MATRIX.rows, ids=lambda r: r.id)
def test_url_answers_each_role_as_the_matrix_says(row: Row) -> None:
    missing = missing_needs(row)
    if missing:
        pytest.skip("; ".join(missing))
    world = World(MATRIX.builders)
    # Objects first (outside the per-role savepoints) so every role sees the same records.
    row.kwargs(world)
    for role in ROLES:
        if role != "anonymous":
            world.user(role)
            if row.is_api:
                world[f"token:{role}"]
    if row.data:
        row.data(world)
    if row.query:
        row.query(world)
    wrong = []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        try:
            with transaction.atomic():
                response = _request(client, row, world, role)
                raise _Rollback  # each role's request leaves nothing behind for the next
        except _Rollback:
            pass
        status = response.status_code
        expected = row.expected[role]
        if status != expected:
            wrong.append(f"{role}: got {status}, expected {expected}")
        elif status == 302 and role == "anonymous" and not row.is_api:
            location = response.headers.get("Location", "")
            if not location.startswith(settings.LOGIN_URL) and row.name != "accounts:logout":
                wrong.append(f"{role}: redirected to {location}, expected the log-in page")
        elif status == 500:
            wrong.append(f"{role}: server error")
    assert not wrong, f"{row.id}:\n" + "\n".join(wrong)
