"""Fixtures for the follow-up tests: users per role, a patient with an email, answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from painpath.apps.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.followup import patient_with_email


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    return {role.value: UserFactory(username=f"fup-{role.value}", role=role.value) for role in Role}


@pytest.fixture
def nurse(users: dict[str, Any]) -> Any:
    return users["nurse"]


@pytest.fixture
def patient(db: Any) -> Any:
    return patient_with_email(given_name="Robin Jo", family_name="Followup")


def full_answers(instruments: list[str], *, phq9_item9: int = 0) -> dict[str, str]:
    """A complete form for these instruments: every item answered with a plausible value."""
    from painpath.clinical.instruments import get

    data: dict[str, str] = {}
    for code in instruments:
        for item in get(code).items:
            values = item.values
            data[item.code] = str(values[len(values) // 2])
    if "phq9" in instruments:
        data["phq9_9"] = str(phq9_item9)
    return data


@pytest.fixture
def form() -> Callable[..., dict[str, Any]]:
    """``form(set, phq9_item9=1, se=[("nausea","severe")], rf=["foot_drop"])`` -> POST data."""

    def make(
        s: Any,
        *,
        phq9_item9: int = 0,
        se: list[tuple[str, str]] | None = None,
        rf: list[str] | None = None,
        action: str = "submit",
    ) -> dict[str, Any]:
        data: dict[str, Any] = full_answers(list(s.instruments), phq9_item9=phq9_item9)
        if s.ask_side_effects:
            data["se_any"] = "yes" if se else "no"
            data["se_symptoms"] = [code for code, _ in se or []]
            for code, severity in se or []:
                data[f"se_{code}_severity"] = severity
        data["rf_any"] = "yes" if rf else "no"
        data["rf"] = list(rf or [])
        data["action"] = action
        return data

    return make


@pytest.fixture
def invited(patient: Any, nurse: Any) -> Callable[..., tuple[Any, str]]:
    """``invited()`` -> (baseline set, path of the emailed link); ``invited("2w")`` another set
    (its due date moved to today so it can be sent)."""
    import re

    from django.core import mail
    from django.utils import timezone

    from painpath.apps.followup import actions
    from tests.factories.followup import start_plan

    def make(timepoint: str = "baseline", who: Any = None) -> tuple[Any, str]:
        p = who or patient
        plan = p.followup_plans.filter(status="active").first() or start_plan(p)
        s = plan.sets.get(timepoint=timepoint)
        if s.due_on > timezone.localdate():
            plan.sets.filter(due_on__lt=s.due_on).update(status="missed", next_action_at=None)
            s.due_on = timezone.localdate()
            s.save(update_fields=["due_on"])
        before = len(mail.outbox)
        actions.resend_link(by=nurse, followup_set=s)
        assert len(mail.outbox) == before + 1
        url = re.search(r"https?://\S+/f/\S+/", mail.outbox[-1].body).group(0)
        s.refresh_from_db()
        return s, "/f/" + url.split("/f/", 1)[1]

    return make
