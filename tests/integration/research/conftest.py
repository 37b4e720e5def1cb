"""Fixtures for the researcher web area: one user per role, and real reports in a reports folder
of the test's own (``settings.PAINPATH_REGISTRY_REPORTS_DIR``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from painpath.apps.accounts.models import Role
from painpath.registry import published
from tests.factories import UserFactory
from tests.integration.research.reports import Reports, build


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return build(tmp_path_factory.mktemp("research-reports"))


@pytest.fixture
def reports_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "published"
    settings.PAINPATH_REGISTRY_REPORTS_DIR = root
    return root


@pytest.fixture
def cohort(built: Reports, reports_root: Path) -> published.PublishedReport:
    """The controlled report, published as "cohort-2026"."""
    return published.publish(built.controlled, reports_root, "cohort-2026")


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    return {r.value: UserFactory(username=f"research-{r.value}", role=r.value) for r in Role}


@pytest.fixture
def as_role(users: dict[str, Any]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make
