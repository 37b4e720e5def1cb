"""Fixtures for the records tests: one user per role, and an API client with a bearer token."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.apps.accounts.models import Role
from tests.factories import PatientFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; these tests are about records, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    made = {
        role.value: UserFactory(username=f"{role.value}-user", role=role.value) for role in Role
    }
    made["prescriber"].on_specialist_register = True
    made["prescriber"].save()
    return made


@pytest.fixture
def prescriber(users: dict[str, Any]) -> Any:
    return users["prescriber"]


@pytest.fixture
def nurse(users: dict[str, Any]) -> Any:
    return users["nurse"]


@pytest.fixture
def patient(db: Any) -> Any:
    return PatientFactory()


class ApiClient:
    """The Django test client speaking JSON with a bearer token for one user."""

    def __init__(self, client: Any, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api(users: dict[str, Any], client: Any) -> Any:
    """``api("nurse")`` -> an ApiClient authenticated as that role's user (None: no token)."""
    from painpath.apps.accounts.tokens import issue_token

    def make(role: str | None) -> ApiClient:
        if role is None:
            return ApiClient(client, None)
        _, raw = issue_token(users[role], name="test")
        return ApiClient(client, raw)

    return make
