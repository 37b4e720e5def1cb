"""Fixtures for the web view tests: one user per role and a client signed in as any of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from painpath.apps.accounts.models import Role
from tests.factories import PatientFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; these tests are about pages, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    made = {r.value: UserFactory(username=f"web-{r.value}", role=r.value) for r in Role}
    made["prescriber"].on_specialist_register = True
    made["prescriber"].save()
    return made


@pytest.fixture
def as_role(users: dict[str, Any]) -> Callable[[str], Client]:
    """``as_role("nurse")`` -> a new test client signed in as that role's user."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


@pytest.fixture
def patient(db: Any) -> Any:
    return PatientFactory(given_name="Robin", family_name="Webtest")
