"""Fixtures for the outcomes tests: a user per role, a patient, and helpers for responses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from painpath.apps.accounts.models import Role
from tests.factories import PatientFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; these tests are about outcomes, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    return {role.value: UserFactory(username=f"oc-{role.value}", role=role.value) for role in Role}


@pytest.fixture
def nurse(users: dict[str, Any]) -> Any:
    return users["nurse"]


@pytest.fixture
def patient(db: Any) -> Any:
    return PatientFactory()


@pytest.fixture
def respond(nurse: Any) -> Callable[..., Any]:
    """``respond(patient, "nrs", [7], days_ago=90)`` records a home response via D1's action."""
    from painpath.apps.assessments.actions import record_questionnaire

    def make(patient: Any, instrument: str, answers: list[Any], *, days_ago: int = 0) -> Any:
        return record_questionnaire(
            by=None,
            patient=patient,
            instrument=instrument,
            answers=answers,
            source="home",
            completed_at=timezone.now() - dt.timedelta(days=days_ago),
        )

    return make


@pytest.fixture
def logged_in(client: Any, users: dict[str, Any]) -> Callable[[str], Any]:
    """``logged_in("nurse")`` -> the test client signed in as that role's user."""

    def make(role: str) -> Any:
        client.force_login(users[role])
        return client

    return make
