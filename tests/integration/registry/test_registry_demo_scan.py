"""The demo clinic (synthetic patients made by the clinic's own actions, ``painpath.demo``) leaks
nothing into an extract: every byte of every file, the data dictionary included, is scanned for
every demo patient's names, NHS number (with and without spaces), date of birth (many formats),
email, phone, postcode and address lines, and for the free text written about them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from painpath.registry.extract import extract
from painpath.registry.pseudonymise import pseudonym

from .conftest import KEY, adverse_event, at, decide, prescribe, products, treatment
from .scan import dates_in, free_text_cells, hits, identifiers, output_texts

pytestmark = pytest.mark.django_db


def test_no_demo_patient_identifier_in_any_byte_of_any_extract_file(tmp_path: Path) -> None:
    out = tmp_path / "extract"
    import pyarrow.parquet as pq
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from painpath.apps.patients.models import Note, Patient
    from painpath.apps.patients.selectors import has_consent
    from painpath.demo.seed import seed

    seed(30, seed=11)
    patients = list(Patient.objects.order_by("pk"))
    assert len(patients) == 30
    # The demo has no CBPM journeys yet: give every third patient one, with free text that names
    # them in every field that holds text (treatment name, dose, rationale, AE description, note).
    prescriber = get_user_model().objects.get(username="prescriber")
    made = products()
    today = timezone.localdate()
    for p in patients[::3]:
        start = today - dt.timedelta(days=200)
        treatment(p, "cbpm", start, name=f"Oil for {p.full_name}")
        decide(p, "current", prescriber)
        prescribe(p, made["oil"], start, prescriber)
        adverse_event(p, at(start + dt.timedelta(days=20)), prescriber, 2)
        Note.objects.create(patient=p, text=f"{p.full_name} of {p.address} rang on {p.phone}")

    summary = extract(out, KEY, today=today)
    consented = [p for p in patients if has_consent(p, "research_registry")]
    assert summary.patients == len(consented) > 10
    assert summary.outcomes > 100 and summary.adverse_events > 0
    pids = set(pq.read_table(out / "patients.parquet").column("pid").to_pylist())
    assert pids == {pseudonym(KEY, p.pk) for p in consented}

    outputs = output_texts(out)
    assert sorted(o.name for o in outputs) == [
        "adverse_events.parquet",
        "data_dictionary.csv",
        "data_dictionary.md",
        "outcomes.parquet",
        "patients.parquet",
    ]
    needles = [i for p in patients for i in identifiers(p)]
    needles += [f"Oil for {p.full_name}", "rang on", "failed physiotherapy", "evening dose"]
    needles += ["Synthetic demo examination findings"]
    assert hits(needles, outputs) == []
    assert dates_in(outputs) == []
    assert free_text_cells(out) == []

    # And the cohort report built from it (uncontrolled, the most detailed form) names no one.
    from painpath.registry.report import TITLES, build_report

    build_report(out, tmp_path / "report", disclosure=False)
    report = output_texts(tmp_path / "report")
    assert sorted(o.name for o in report) == sorted(
        [f"{name}.csv" for name in TITLES]
        + ["data_dictionary.csv", "trajectories.png", "completion_funnel.png"]
        + ["report.html", "report_body.html", "manifest.json"]
    )
    assert hits(needles, report) == []
