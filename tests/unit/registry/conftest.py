"""Small registries for the analytics tests: a synthetic one and a hand-made edge-case one."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from painpath.registry.schema import ADVERSE_EVENTS, OUTCOMES, PATIENTS, TABLES
from painpath.registry.synth import synthesise

from .spark_support import spark  # noqa: F401  (the shared session fixture)


def write_registry(
    out: Path, patients: list[dict], outcomes: list[dict], events: list[dict]
) -> Path:
    """Write the three tables from row dicts (missing columns default sensibly)."""
    out.mkdir(parents=True, exist_ok=True)
    defaults = {
        "pid": None,
        "sex": "female",
        "age_band": "40-44",
        "region": "low_back",
        "pain_type": "mechanical",
        "product_form": "oil",
        "prior_cannabis_use": "naive",
        "n_prior_treatments": 2,
        "start_basis": "cbpm",
        "months_observed": 24,
    }
    rows = []
    for p in patients:
        row = {**defaults, **p}
        row["pid"] = row["pid"] or f"{row['pkey']:064x}"
        rows.append(row)
    for table, data in ((PATIENTS, rows), (OUTCOMES, outcomes), (ADVERSE_EVENTS, events)):
        columns = {c.name: [r.get(c.name) for r in data] for c in table.columns}
        if table is OUTCOMES:
            columns["months"] = [r.get("months", r["timepoint"] or 0) for r in data]
        if table is ADVERSE_EVENTS:
            columns["months"] = [r.get("months", 1) for r in data]
            columns["serious"] = [r.get("serious", False) for r in data]
        pq.write_table(pa.table(columns, schema=table.arrow_schema), out / table.filename)
    assert all((out / t.filename).is_file() for t in TABLES)
    return out


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    synthesise(out, 600, seed=7, chunk_size=250, progress=False)
    return out


@pytest.fixture(scope="session")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Null subgroups, no baseline, a single pair, zero variance, outside-window rows, no AEs
    of grade 4-5, an outcome and an event for a patient missing from the cohort."""
    patients = [
        {"pkey": 0, "pain_type": None, "product_form": None, "prior_cannabis_use": None},
        {"pkey": 1, "region": "neck", "pain_type": "radiculopathy", "months_observed": 3},
        {"pkey": 2, "sex": None, "age_band": None, "months_observed": 0},
        {"pkey": 3, "product_form": "flower", "prior_cannabis_use": "current"},
        {"pkey": 4, "product_form": "oil_and_flower", "months_observed": 12},
    ]
    outcomes = [
        {"pkey": 0, "instrument": "nrs", "timepoint": 0, "value": 8.0},
        {"pkey": 0, "instrument": "nrs", "timepoint": 1, "value": 6.0},
        {"pkey": 0, "instrument": "nrs", "timepoint": 3, "value": 7.0},
        {"pkey": 0, "instrument": "nrs", "timepoint": None, "months": 40, "value": 1.0},
        {"pkey": 1, "instrument": "nrs", "timepoint": 0, "value": 6.0},
        {"pkey": 1, "instrument": "nrs", "timepoint": 1, "value": 4.0},
        {"pkey": 2, "instrument": "nrs", "timepoint": 1, "value": 5.0},
        {"pkey": 3, "instrument": "nrs", "timepoint": 0, "value": 9.0},
        {"pkey": 3, "instrument": "nrs", "timepoint": 1, "value": 9.0},
        {"pkey": 0, "instrument": "eq5d5l", "timepoint": 0, "value": 0.40},
        {"pkey": 0, "instrument": "eq5d5l", "timepoint": 6, "value": 0.46},
        {"pkey": 3, "instrument": "eq5d5l", "timepoint": 0, "value": 0.20},
        {"pkey": 3, "instrument": "eq5d5l", "timepoint": 6, "value": 0.259},
        {"pkey": 4, "instrument": "eq5d5l", "timepoint": 0, "value": -0.1},
        {"pkey": 4, "instrument": "eq5d5l", "timepoint": 6, "value": -0.04},
        {"pkey": 0, "instrument": "sqs", "timepoint": 0, "value": 2.0},
        {"pkey": 0, "instrument": "sqs", "timepoint": 3, "value": 5.0},
        {"pkey": 4, "instrument": "sqs", "timepoint": 0, "value": 3.0},
        {"pkey": 4, "instrument": "sqs", "timepoint": 3, "value": 6.0},
        {"pkey": 4, "instrument": "sqs", "timepoint": 12, "value": 6.0},
        {"pkey": 99, "instrument": "nrs", "timepoint": 0, "value": 10.0},
        {"pkey": 4, "instrument": "pgic", "timepoint": 3, "value": 2.0},
    ]
    events = [
        {"pkey": 0, "grade": 1},
        {"pkey": 0, "grade": 1},
        {"pkey": 0, "grade": 2},
        {"pkey": 3, "grade": 3, "serious": True},
        {"pkey": 99, "grade": 5},
    ]
    return write_registry(tmp_path_factory.mktemp("edge"), patients, outcomes, events)
