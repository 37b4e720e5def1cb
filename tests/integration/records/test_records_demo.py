"""The synthetic demo data: valid test-range NHS numbers, real scores, plausible trajectories."""

from __future__ import annotations

import random
from typing import Any

import pytest

from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.audit.models import AuditEvent
from painpath.apps.patients.models import Alert, Consent, Patient, Treatment
from painpath.apps.patients.validators import is_valid_nhs_number
from painpath.clinical.instruments import score
from painpath.demo.patients import generate_patients, spread
from painpath.demo.seed import triage_available
from painpath.demo.users import ensure_demo_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return ensure_demo_users("demo-password-for-tests")


def test_demo_patients(demo_users: Any) -> None:
    summary = generate_patients(12, by=demo_users, seed=7, with_assessments=triage_available())
    assert summary.patients == Patient.objects.count() == 12
    for p in Patient.objects.all():
        assert p.nhs_number.startswith("999") and is_valid_nhs_number(p.nhs_number)
        assert p.email.endswith("@example.org") and p.phone.startswith("07700 900")
        assert Consent.objects.filter(patient=p, kind="care", status="given").exists()
        assert Treatment.objects.filter(patient=p).count() >= 2
        assert QuestionnaireResponse.objects.filter(patient=p, instrument="nrs").exists()
    # Stored scores are the core's scores of the stored answers.
    for r in QuestionnaireResponse.objects.all()[:200]:
        assert score(r.instrument, r.answers).value == pytest.approx(r.value)
    # Every record was made through the audited actions.
    assert AuditEvent.objects.filter(object_type="patient", action="create").count() == 12
    assert summary.responses == QuestionnaireResponse.objects.count()
    assert summary.alerts == Alert.objects.count()


def test_phq9_item9_only_where_an_alert_was_raised(demo_users: Any) -> None:
    generate_patients(30, by=demo_users, seed=3, with_assessments=False)
    flagged = QuestionnaireResponse.objects.filter(instrument="phq9").exclude(flags=[])
    alerted = set(
        Alert.objects.filter(kind="phq9_item9_positive").values_list("source_id", flat=True)
    )
    assert {str(r.pk) for r in flagged} == alerted


def test_trajectories_are_plausible(demo_users: Any) -> None:
    """Across patients, pain at the latest follow-up is on average lower than at baseline
    (most patients respond or partly respond), but not for everyone."""
    generate_patients(25, by=demo_users, seed=11, with_assessments=False)
    changes = []
    for p in Patient.objects.all():
        nrs = list(
            QuestionnaireResponse.objects.filter(patient=p, instrument="nrs")
            .order_by("completed_at")
            .values_list("value", flat=True)
        )
        if len(nrs) >= 3:
            changes.append(nrs[-1] - nrs[0])
    assert len(changes) >= 15
    assert sum(changes) / len(changes) < 0
    assert any(c >= 0 for c in changes) and any(c <= -2 for c in changes)


def test_demo_users_one_per_role(demo_users: Any) -> None:
    assert set(demo_users) == {"patient", "prescriber", "nurse", "admin", "researcher", "charity"}
    assert all(u.username == role == u.role for role, u in demo_users.items())
    assert demo_users["prescriber"].on_specialist_register
    assert ensure_demo_users()["nurse"].pk == demo_users["nurse"].pk  # idempotent


def test_spread_hits_target_within_item_limits() -> None:
    rng = random.Random(1)
    for total in (0, 7, 24, 99):
        answers = spread(total, [3] * 8, rng)
        assert sum(answers) == min(total, 24) and max(answers) <= 3
