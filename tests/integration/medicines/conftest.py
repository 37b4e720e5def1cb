"""A prescriber on the specialist register, a nurse, an admin, a patient with two failed
treatments, and a small formulary, built with the ORM (no fixture files)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; these tests are about prescribing, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(django_user_model: Any) -> dict[str, Any]:
    make = django_user_model.objects.create_user
    return {
        "prescriber": make(
            username="dr_demo",
            password="pw-Prescriber-1",
            role="prescriber",
            first_name="Dana",
            last_name="Demo",
            gmc_number="7000001",
            on_specialist_register=True,
            work_address="Demo Pain Clinic, 2 Clinic Road, Testtown TT2 2BB",
        ),
        "gp": make(
            username="gp_demo",
            password="pw-Prescriber-2",
            role="prescriber",
            work_address="Demo Surgery, 3 High Street",
            on_specialist_register=False,
        ),
        "nurse": make(username="nurse_demo", password="pw-Nurse-1", role="nurse"),
        "admin": make(username="admin_demo", password="pw-Admin-1", role="admin"),
        "researcher": make(username="res_demo", password="pw-Res-1", role="researcher"),
    }


@pytest.fixture
def patient(users: dict[str, Any]) -> Any:
    from painpath.apps.patients.models import Patient, Treatment

    p = Patient.objects.create(
        nhs_number="9434765919",
        given_name="Alex",
        family_name="Example",
        date_of_birth=dt.date(1980, 5, 17),
        sex="female",
        address="1 Demo Street, Testtown",
        postcode="TT1 1AA",
    )
    Treatment.objects.create(patient=p, category="nsaid", name="naproxen", effect="no_effect")
    Treatment.objects.create(
        patient=p, category="gabapentinoid", name="pregabalin", effect="not_tolerated"
    )
    return p


@pytest.fixture
def products(users: dict[str, Any]) -> dict[str, Any]:
    from painpath.apps.medicines.models import Product

    return {
        "cbd": Product.objects.create(
            name="Demo CBD oil 20",
            form="oil",
            unit="ml",
            thc_mg_per_unit=Decimal("0"),
            cbd_mg_per_unit=Decimal("20"),
            pack_sizes=["30"],
        ),
        "thc": Product.objects.create(
            name="Demo THC oil 10",
            form="oil",
            unit="ml",
            thc_mg_per_unit=Decimal("10"),
            cbd_mg_per_unit=Decimal("0"),
            pack_sizes=["30"],
        ),
        "balanced": Product.objects.create(
            name="Demo balanced oil 10:10",
            form="oil",
            unit="ml",
            thc_mg_per_unit=Decimal("10"),
            cbd_mg_per_unit=Decimal("10"),
            pack_sizes=["30"],
        ),
    }


@pytest.fixture
def approved(users: dict[str, Any], patient: Any) -> Any:
    from painpath.apps.medicines import actions

    return actions.record_eligibility_decision(
        by=users["prescriber"],
        patient=patient,
        decision="approved",
        rationale="Two failed treatments; NG144 discussed; private specialist prescription.",
        mdt_agreement=True,
        informed_consent_unlicensed=True,
        prior_cannabis_use="past",
    )


@pytest.fixture
def draft(users: dict[str, Any], patient: Any, products: dict[str, Any], approved: Any) -> Any:
    from painpath.apps.medicines import actions

    return actions.draft_prescription(
        by=users["nurse"],
        patient=patient,
        product=products["balanced"],
        dose="0.5 ml twice daily",
        daily_amount="1",
        quantity="30",
        quantity_words="thirty millilitres",
    )


@pytest.fixture
def api(users: dict[str, Any], client: Any) -> Any:
    """``api("nurse")`` -> post/get JSON to /api/v1 with that user's bearer token."""
    from painpath.apps.accounts.tokens import issue_token

    class Api:
        def __init__(self, role: str) -> None:
            _, raw = issue_token(users[role], name="test")
            self.headers = {"Authorization": f"Bearer {raw}"}

        def get(self, path: str, **params: Any) -> Any:
            return client.get(f"/api/v1{path}", params, headers=self.headers)

        def post(self, path: str, body: Any) -> Any:
            return client.post(
                f"/api/v1{path}", body, content_type="application/json", headers=self.headers
            )

    return Api
