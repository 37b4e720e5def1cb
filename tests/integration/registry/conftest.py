"""A small clinic built with the Django ORM: consented, withdrawn and never-consented patients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.unit.registry.spark_support import spark  # noqa: F401  (one session per run)

KEY = b"k" * 40
TODAY = dt.date(2026, 11, 1)


@dataclass
class Clinic:
    consented: list[Any] = field(default_factory=list)
    withdrawn: list[Any] = field(default_factory=list)
    never: list[Any] = field(default_factory=list)
    regiven: list[Any] = field(default_factory=list)
    no_start: list[Any] = field(default_factory=list)
    care_only: list[Any] = field(default_factory=list)

    @property
    def everyone(self) -> list[Any]:
        return (
            self.consented
            + self.withdrawn
            + self.never
            + self.regiven
            + self.no_start
            + self.care_only
        )


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def make_patient(n: int, *, dob: dt.date, sex: str = "female") -> Any:
    from painpath.apps.patients.models import Patient

    return Patient.objects.create(
        nhs_number=f"94{n:08d}",
        given_name=f"Zebedee{n}",
        family_name=f"Quixotic{n}",
        date_of_birth=dob,
        sex=sex,
        email=f"zebedee{n}@example.org",
        phone=f"07700 900{n:03d}",
        address=f"{n} Larkspur Crescent\nNethertown"
        if n % 2
        else f"{n} Larkspur Crescent, Nethertown",
        postcode=f"ZZ{n} 9XY",
        gp_practice_name="Riverside Surgery",
        gp_practice_code="Y12345",
        gp_email="riverside.surgery@example.nhs.uk",
    )


def consent(patient: Any, status: str, when: dt.datetime, kind: str = "research_registry") -> None:
    from painpath.apps.patients.models import Consent

    c = Consent.objects.create(patient=patient, kind=kind, status=status, decided_on=when.date())
    Consent.objects.filter(pk=c.pk).update(recorded_at=when)


def assessment(patient: Any, when: dt.datetime, region: str, pain_type: str) -> Any:
    from painpath.apps.assessments.models import Assessment

    return Assessment.objects.create(
        patient=patient,
        performed_at=when,
        region=region,
        age=50,
        duration_weeks=52,
        findings=[],
        examination="Tender over L4, patient Quixotic very anxious",
        triage={"urgency": "routine"},
        urgency="routine",
        pain_type=pain_type,
        ruleset="test",
    )


def response(patient: Any, instrument: str, when: dt.datetime, value: float) -> Any:
    from painpath.apps.assessments.models import QuestionnaireResponse

    return QuestionnaireResponse.objects.create(
        patient=patient,
        instrument=instrument,
        answers=[int(value)],
        value=value,
        completed_at=when,
        source="home",
    )


def treatment(patient: Any, category: str, started: dt.date | None, name: str = "") -> Any:
    from painpath.apps.patients.models import Treatment

    return Treatment.objects.create(
        patient=patient,
        category=category,
        started_on=started,
        name=name,
        reason_stopped="Stopped by Dr Quixotic after a fall at home",
    )


FORMS = {1: "oil", 2: "oil", 3: "oil", 4: "flower", 5: "oil+flower", 6: "capsule"}
USE = {1: "never", 2: "past", 3: "current", 4: "current", 5: "never", 6: "past"}


def products() -> dict[str, Any]:
    from painpath.apps.medicines.models import Product

    made = {}
    for form, unit in (("oil", "ml"), ("flower", "g"), ("capsule", "unit")):
        made[form] = Product.objects.create(
            name=f"Registry test {form}",
            form=form,
            unit=unit,
            thc_mg_per_unit=10,
            cbd_mg_per_unit=10,
        )
    return made


def prescribe(patient: Any, product: Any, signed_on: dt.date, prescriber: Any) -> Any:
    from painpath.apps.medicines.models import Prescription

    return Prescription.objects.create(
        patient=patient,
        product=product,
        dose=f"0.5 ml twice daily for {patient.given_name}",
        daily_amount=1,
        daily_thc_mg=5,
        daily_cbd_mg=5,
        quantity=30,
        quantity_words="thirty",
        status="signed",
        date_signed=signed_on,
        signed_at=at(signed_on),
        signed_by=prescriber,
        created_by=prescriber,
    )


def decide(patient: Any, prior: str, prescriber: Any, decision: str = "approved") -> Any:
    from painpath.apps.medicines.models import EligibilityDecision

    return EligibilityDecision.objects.create(
        patient=patient,
        decision=decision,
        policy_met=True,
        mdt_agreement=True,
        informed_consent_unlicensed=True,
        prior_cannabis_use=prior,
        rationale=f"{patient.full_name} failed physiotherapy",
        ng144_shown="NG144 text",
        decided_by=prescriber,
    )


def adverse_event(
    patient: Any, when: dt.datetime, grader: Any | None, grade: int | None, symptom: str = "nausea"
) -> Any:
    from painpath.apps.outcomes.models import AdverseEvent

    graded = grade is not None
    return AdverseEvent.objects.create(
        patient=patient,
        reported_at=when,
        source="home",
        symptom=symptom,
        description=f"{patient.given_name} felt sick after the evening dose",
        reported_severity="moderate",
        grade=grade,
        serious=(grade >= 3) if graded else None,
        causality="possible" if graded else "",
        graded_by=grader if graded else None,
        graded_at=when if graded else None,
    )


@pytest.fixture
def clinic(db: Any) -> Clinic:
    from django.contrib.auth import get_user_model

    from painpath.apps.patients.models import Note

    prescriber = get_user_model().objects.create(username="registry-prescriber", role="prescriber")
    made = products()
    c = Clinic()
    start = dt.date(2025, 1, 10)
    for n in range(1, 7):
        p = make_patient(n, dob=dt.date(1960 + n, 3, 15), sex="female" if n % 2 else "male")
        consent(p, "given", at(dt.date(2024, 12, 1)))
        assessment(p, at(dt.date(2024, 12, 20)), "low_back", "radicular" if n % 2 else "mechanical")
        treatment(p, "physiotherapy", dt.date(2023, 1, 1), name="Physio at Quixotic Health")
        treatment(p, "nsaid", dt.date(2023, 6, 1))
        treatment(p, "cbpm", start, name="Oil 10:10")
        Note.objects.create(patient=p, text=f"Zebedee{n} lives with a carer")
        response(p, "nrs", at(start - dt.timedelta(days=5)), 8)
        response(p, "nrs", at(start + dt.timedelta(days=30)), 6)
        response(p, "nrs", at(start + dt.timedelta(days=95)), 5)
        response(p, "gad7", at(start - dt.timedelta(days=5)), 12)
        response(p, "gad7", at(start + dt.timedelta(days=92)), 7)
        decide(p, USE[n], prescriber)
        signed_on = start - dt.timedelta(days=7) if n == 6 else start
        for form in FORMS[n].split("+"):
            prescribe(p, made[form], signed_on, prescriber)
        if n <= 2:
            adverse_event(p, at(start + dt.timedelta(days=14)), prescriber, n)
            adverse_event(p, at(start + dt.timedelta(days=20)), None, None, symptom="other")
        c.consented.append(p)
    for n in range(7, 9):
        p = make_patient(n, dob=dt.date(1980, 1, 1))
        consent(p, "given", at(dt.date(2024, 1, 1)))
        consent(p, "withdrawn", at(dt.date(2025, 6, 1)))
        assessment(p, at(dt.date(2024, 12, 20)), "neck", "mechanical")
        response(p, "nrs", at(dt.date(2024, 12, 20)), 7)
        adverse_event(p, at(dt.date(2025, 1, 20)), prescriber, 3)
        c.withdrawn.append(p)
    p = make_patient(9, dob=dt.date(1975, 5, 5))
    assessment(p, at(dt.date(2024, 12, 20)), "neck", "mechanical")
    response(p, "nrs", at(dt.date(2024, 12, 20)), 9)
    c.never.append(p)
    p = make_patient(10, dob=dt.date(1990, 7, 7))
    consent(p, "given", at(dt.date(2024, 1, 1)))
    consent(p, "withdrawn", at(dt.date(2024, 3, 1)))
    consent(p, "given", at(dt.date(2024, 6, 1)))
    assessment(p, at(dt.date(2024, 9, 2)), "thoracic", "non_specific")
    response(p, "nrs", at(dt.date(2024, 9, 2)), 6)
    c.regiven.append(p)
    p = make_patient(11, dob=dt.date(1950, 2, 2))
    consent(p, "given", at(dt.date(2024, 1, 1)))
    c.no_start.append(p)
    # Care and GP sharing given, research never asked: not in the registry.
    p = make_patient(12, dob=dt.date(1971, 11, 30))
    consent(p, "given", at(dt.date(2024, 1, 1)), kind="care")
    consent(p, "given", at(dt.date(2024, 1, 1)), kind="gp_sharing")
    assessment(p, at(dt.date(2024, 12, 20)), "neck", "mechanical")
    response(p, "nrs", at(dt.date(2024, 12, 20)), 9)
    c.care_only.append(p)
    return c
