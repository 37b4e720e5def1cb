"""factory_boy factories for painpath records (synthetic data only).

NHS numbers come from the 999 test range with a valid Modulus 11 check digit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import factory
from django.utils import timezone

from painpath.apps.accounts.models import Role, User
from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.patients.models import Alert, Consent, Note, Patient, Treatment
from painpath.apps.patients.validators import check_digit

PASSWORD = "correct-horse-battery-staple"


def synthetic_nhs_numbers(start: int = 0) -> Iterator[str]:
    """Valid NHS numbers in the 999 test range, in order, skipping those with no check digit."""
    n = start
    while True:
        first_nine = f"999{n:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            yield f"{first_nine}{digit}"
        n += 1


_numbers = synthetic_nhs_numbers(100_000)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.NURSE
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    nhs_number = factory.LazyFunction(lambda: next(_numbers))
    given_name = "Alex"
    family_name = factory.Sequence(lambda n: f"Example{n}")
    date_of_birth = dt.date(1970, 5, 17)
    sex = "female"
    postcode = "ZZ99 3VZ"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    patient = factory.SubFactory(PatientFactory)
    kind = "care"
    status = "given"
    decided_on = factory.LazyFunction(timezone.localdate)


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment

    patient = factory.SubFactory(PatientFactory)
    category = "physiotherapy"
    effect = "no_effect"


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    patient = factory.SubFactory(PatientFactory)
    text = "Synthetic note."


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    patient = factory.SubFactory(PatientFactory)
    kind = "other"
    severity = "routine"
    message = "Synthetic alert."


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A stored assessment with a minimal routine triage (for list/timeline tests only)."""

    class Meta:
        model = Assessment

    patient = factory.SubFactory(PatientFactory)
    performed_at = factory.LazyFunction(timezone.now)
    region = "low_back"
    age = 55
    duration_weeks = 52
    findings = factory.LazyFunction(list)
    triage = factory.LazyAttribute(lambda o: {"urgency": o.urgency, "pain_type": o.pain_type})
    urgency = "routine"
    pain_type = "non_specific"
    ruleset = "test"


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireResponse

    patient = factory.SubFactory(PatientFactory)
    instrument = "nrs"
    answers = factory.LazyFunction(lambda: [6])
    value = 6
    band = "moderate"
    completed_at = factory.LazyFunction(timezone.now)
    source = "clinic"
