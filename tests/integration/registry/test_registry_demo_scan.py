"""The demo clinic (synthetic patients made by the real actions) leaks nothing into an extract."""

from __future__ import annotations

from pathlib import Path

import pytest

from painpath.registry.extract import extract

from .conftest import KEY, TODAY
from .test_registry_extract import extract_text, identifiers

pytestmark = pytest.mark.django_db


def test_no_demo_patient_identifier_in_any_extract_file(tmp_path: Path) -> None:
    from painpath.apps.patients.models import Patient
    from painpath.demo.seed import seed

    seed(25, seed=11)
    patients = list(Patient.objects.all())
    assert len(patients) >= 25
    summary = extract(tmp_path, KEY, today=TODAY)
    assert summary.patients + summary.excluded_no_start > 0
    texts = extract_text(tmp_path)
    hits = [
        (name, ident)
        for patient in patients
        for ident in identifiers(patient)
        for name, text in texts
        if ident.lower() in text.lower()
    ]
    assert hits == []
