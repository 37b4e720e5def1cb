"""Seeding a database for a demonstration: users per role, formulary, patients, follow-up plans.

Other areas' demo seeders are called when their module exists (not silently skipped when they
fail): ``painpath.apps.medicines.demo.seed_formulary()`` and, if offered,
``painpath.apps.followup.demo.seed_followup(patients)``.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from painpath.demo.patients import DemoSummary, generate_patients
from painpath.demo.users import ensure_demo_users


def _module(name: str) -> Any:
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def triage_available() -> bool:
    return importlib.util.find_spec("painpath.clinical.triage") is not None


def seed(patients: int, *, seed: int | None = None) -> DemoSummary:
    """Users, formulary, ``patients`` synthetic patients and (if available) follow-up plans."""
    from painpath.apps.patients.models import Patient

    users = ensure_demo_users()
    medicines = _module("painpath.apps.medicines.demo")
    notes: list[str] = []
    if medicines is not None:
        created = medicines.seed_formulary()
        notes.append(f"formulary: {created} demo products added")
    before = set(Patient.objects.values_list("pk", flat=True))
    with_triage = triage_available()
    if not with_triage:
        notes.append("triage core not installed: assessments were not generated")
    summary = generate_patients(patients, by=users, seed=seed, with_assessments=with_triage)
    new_patients = list(Patient.objects.exclude(pk__in=before).order_by("pk"))
    if new_patients and not Patient.objects.filter(user=users["patient"]).exists():
        first = new_patients[0]
        first.user = users["patient"]
        first.save(update_fields=["user"])
        notes.append(f"demo patient login linked to patient {first.pk}")
    followup = _module("painpath.apps.followup.demo")
    if followup is not None and hasattr(followup, "seed_followup"):
        notes.append(f"follow-up: {followup.seed_followup(new_patients)}")
    summary.notes.extend(notes)
    return summary
