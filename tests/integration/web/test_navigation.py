"""The header shows each role the areas it may use, and nothing else (DESIGN.md, who uses it)."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.apps.accounts.context_processors import nav_links

pytestmark = pytest.mark.django_db

EXPECTED = {
    "prescriber": ["Patients", "Follow-up dashboard", "Formulary", "Prescribing log"],
    "nurse": ["Patients", "Follow-up dashboard", "Formulary"],
    "admin": ["Patients", "Prescribing log"],
    "researcher": ["Cohort reports"],
    "charity": [],
    "patient": ["Your portal"],
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_nav_links_per_role(users: dict[str, Any], role: str) -> None:
    assert [link.label for link in nav_links(users[role])] == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_nav_link_opens_for_its_role(users: dict[str, Any], as_role: Any, role: str) -> None:
    client = as_role(role)
    for link in nav_links(users[role]):
        assert client.get(link.url).status_code == 200, link
