"""The pseudonymised research extract, read from the clinic's database.

Who is in it: every patient whose newest ``research_registry`` Consent row is ``given`` at extract
time; a withdrawal (a newer ``withdrawn`` row) removes the patient from the next extract.

What is in it (ADR 0080-0082): a keyed HMAC pseudonym, sex, a 5-year age band, coded clinical
fields (region, pain type, product form, prior cannabis use, number of conventional treatments
tried), scored questionnaire values and graded adverse events, with every date turned into whole
months since treatment start. Never a name, address, NHS number, contact detail, date of birth,
date or free text: the writer only ever reads the coded columns listed here.

Treatment start (month 0), first that exists: the earliest CBPM start (a Treatment of category
``cbpm`` with a start date, or the first signed and not cancelled CBPM prescription), else the
first assessment, else the first scored questionnaire (the first clinic contact on record). A
consented patient with none of these has no month 0 and is left out (counted in the summary).

Coded columns are checked against their closed vocabularies (``schema.Column.codes``, ADR 0086):
a value outside it is written as null (a response to an unknown instrument is left out), and the
summary counts how many, so a free-text value typed into a coded field can never leave the clinic.
Files are written to a temporary folder beside ``out_dir`` and moved in only when all are
complete, so a failed extract never leaves a half-written one.

This module reads patient-level data: it must never log or print any of it.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from painpath.registry.adverse_events_source import GradedEvent
from painpath.registry.folders import check_output_folder
from painpath.registry.pseudonymise import pseudonym
from painpath.registry.schema import (
    ADVERSE_EVENTS,
    OUTCOMES,
    PATIENTS,
    SCHEMA_VERSION,
    Table,
    write_data_dictionary,
)
from painpath.registry.timepoints import (
    DAYS_PER_MONTH,
    age_band,
    age_on,
    assign_timepoint,
    months_between,
    published_months,
)

RESEARCH_CONSENT = "research_registry"
CBPM = "cbpm"


@dataclass(frozen=True)
class ExtractSummary:
    patients: int
    outcomes: int
    adverse_events: int
    excluded_no_start: int
    #: Values outside a coded column's vocabulary, written as null (or the row left out).
    uncoded_values: int = 0


def consented_patient_ids() -> list[int]:
    """Ids of patients whose newest research-registry consent row is "given"."""
    from django.db.models import OuterRef, Subquery

    from painpath.apps.patients.models import Consent, ConsentStatus, Patient

    newest = Consent.objects.filter(patient=OuterRef("pk"), kind=RESEARCH_CONSENT).order_by(
        "-recorded_at", "-id"
    )
    return list(
        Patient.objects.annotate(research=Subquery(newest.values("status")[:1]))
        .filter(research=ConsentStatus.GIVEN)
        .order_by("id")
        .values_list("id", flat=True)
    )


def _local_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _medicines_facts(ids: list[int]) -> tuple[dict[int, str], dict[int, str], dict[int, dt.date]]:
    """Product-form group, prior cannabis use and first signed prescription date per patient."""
    from painpath.registry import medicines_source

    return medicines_source.facts(ids)


def _adverse_events(ids: list[int]) -> dict[int, list[GradedEvent]]:
    from painpath.registry import adverse_events_source

    return adverse_events_source.events(ids)


class _Coder:
    """Keeps coded columns inside their vocabularies and counts what it had to blank."""

    def __init__(self) -> None:
        self.blanked = 0

    def __call__(self, table: Table, column: str, value: Any) -> str | None:
        if value is None or value == "":
            return None
        codes = table.column(column).codes
        assert codes is not None, f"{table.name}.{column} is not a coded column"
        if value in codes:
            return str(value)
        self.blanked += 1
        return None


def _write(out_dir: Path, tables: dict[Table, dict[str, list[Any]]]) -> None:
    """Write every file to a temporary folder beside ``out_dir``, then move them in."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".painpath-extract-", dir=out_dir.parent))
    try:
        for table, columns in tables.items():
            pq.write_table(pa.table(columns, schema=table.arrow_schema), staging / table.filename)
        write_data_dictionary(staging)
        out_dir.mkdir(exist_ok=True)
        for path in staging.iterdir():
            os.replace(path, out_dir / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def extract(
    out_dir: Path, key: bytes, *, today: dt.date, actor: Any = "painpath registry extract"
) -> ExtractSummary:
    """Write the extract (three Parquet files and the data dictionary) to ``out_dir``.

    The extract is recorded in the audit trail (who, when, how many rows; never which patients).
    """
    from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
    from painpath.apps.patients.models import Patient, Treatment

    check_output_folder(out_dir)
    code = _Coder()
    ids = consented_patient_ids()
    patients = {
        p["id"]: p for p in Patient.objects.filter(id__in=ids).values("id", "sex", "date_of_birth")
    }
    first_assessment: dict[int, dict[str, Any]] = {}
    for a in (
        Assessment.objects.filter(patient_id__in=ids)
        .order_by("patient_id", "performed_at", "id")
        .values("patient_id", "performed_at", "region", "pain_type")
    ):
        first_assessment.setdefault(a["patient_id"], a)
    treatments: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in Treatment.objects.filter(patient_id__in=ids).values(
        "patient_id", "category", "started_on"
    ):
        treatments[t["patient_id"]].append(t)
    product_form, cannabis_use, first_prescription = _medicines_facts(ids)
    responses = list(
        QuestionnaireResponse.objects.filter(patient_id__in=ids, value__isnull=False)
        .order_by("patient_id", "instrument", "completed_at", "id")
        .values_list("patient_id", "instrument", "completed_at", "value")
    )
    first_response: dict[int, dt.date] = {}
    for pid, _instrument, completed_at, _value in responses:
        day = _local_date(completed_at)
        if pid not in first_response or day < first_response[pid]:
            first_response[pid] = day

    starts: dict[int, tuple[dt.date, str]] = {}
    for pid in ids:
        cbpm_days = [
            t["started_on"]
            for t in treatments[pid]
            if t["category"] == CBPM and t["started_on"] is not None
        ]
        if pid in first_prescription:
            cbpm_days.append(first_prescription[pid])
        if cbpm_days:
            starts[pid] = (min(cbpm_days), "cbpm")
        elif pid in first_assessment:
            starts[pid] = (_local_date(first_assessment[pid]["performed_at"]), "assessment")
        elif pid in first_response:
            starts[pid] = (first_response[pid], "questionnaire")

    included = sorted(starts, key=lambda pid: pseudonym(key, pid))
    pkey = {pid: i for i, pid in enumerate(included)}

    patient_rows: dict[str, list[Any]] = {c.name: [] for c in PATIENTS.columns}
    for pid in included:
        start, basis = starts[pid]
        p = patients[pid]
        a = first_assessment.get(pid, {})
        prior = [
            t
            for t in treatments[pid]
            if t["category"] != CBPM and (t["started_on"] is None or t["started_on"] <= start)
        ]
        age = age_on(p["date_of_birth"], start)
        values = {
            "pkey": pkey[pid],
            "pid": pseudonym(key, pid),
            "sex": code(PATIENTS, "sex", p["sex"]),
            "age_band": age_band(age) if age >= 0 else None,
            "region": code(PATIENTS, "region", a.get("region")),
            "pain_type": code(PATIENTS, "pain_type", a.get("pain_type")),
            "product_form": code(PATIENTS, "product_form", product_form.get(pid)),
            "prior_cannabis_use": code(PATIENTS, "prior_cannabis_use", cannabis_use.get(pid)),
            "n_prior_treatments": len(prior),
            "start_basis": basis,
            "months_observed": max(0, math.floor((today - start).days / DAYS_PER_MONTH)),
        }
        for name, value in values.items():
            patient_rows[name].append(value)

    # One response per patient x instrument x timepoint: the one nearest the scheduled month,
    # judged on the exact interval (published months are whole).
    candidates: list[tuple[int, str, int | None, float, float]] = []
    for pid, instrument, completed_at, value in responses:
        if pid not in pkey:
            continue
        instrument_code = code(OUTCOMES, "instrument", instrument)
        if instrument_code is None:
            continue
        months = months_between(starts[pid][0], _local_date(completed_at))
        candidates.append((pkey[pid], instrument_code, assign_timepoint(months), months, value))
    chosen: dict[tuple[int, str, int], int] = {}
    for i, (k, instrument, tp, months, _v) in enumerate(candidates):
        if tp is None:
            continue
        slot = (k, instrument, tp)
        best = chosen.get(slot)
        if best is None or abs(months - tp) < abs(candidates[best][3] - tp):
            chosen[slot] = i
    keep = set(chosen.values())
    outcome_rows = sorted(
        (
            (k, instrument, tp if i in keep else None, published_months(months), value)
            for i, (k, instrument, tp, months, value) in enumerate(candidates)
        ),
        key=lambda r: (r[0], r[1], r[3], r[2] is None),
    )

    event_rows = []
    events = _adverse_events(included)
    for pid in included:
        for e in events.get(pid, []):
            months = published_months(months_between(starts[pid][0], e.onset))
            event_rows.append(
                (
                    pkey[pid],
                    months,
                    code(ADVERSE_EVENTS, "symptom", e.symptom),
                    e.grade,
                    e.serious,
                    code(ADVERSE_EVENTS, "causality", e.causality),
                )
            )
    event_rows.sort(key=lambda r: (r[0], r[1], r[3]))

    _write(
        out_dir,
        {
            PATIENTS: patient_rows,
            OUTCOMES: {
                c.name: [r[i] for r in outcome_rows] for i, c in enumerate(OUTCOMES.columns)
            },
            ADVERSE_EVENTS: {
                c.name: [r[i] for r in event_rows] for i, c in enumerate(ADVERSE_EVENTS.columns)
            },
        },
    )
    summary = ExtractSummary(
        patients=len(included),
        outcomes=len(outcome_rows),
        adverse_events=len(event_rows),
        excluded_no_start=len(ids) - len(included),
        uncoded_values=code.blanked,
    )
    from painpath.apps.audit.services import record

    record(
        actor=actor,
        action="registry.extract",
        object_type="registry_extract",
        detail={"schema_version": SCHEMA_VERSION, **summary.__dict__},
    )
    return summary
