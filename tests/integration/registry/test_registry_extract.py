"""The extract from a real database: who is in it, what it holds, that nobody is identifiable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from painpath.registry.extract import extract
from painpath.registry.pseudonymise import pseudonym
from painpath.registry.schema import FORBIDDEN_COLUMNS, TABLES

from .conftest import KEY, TODAY, Clinic, at, consent

pytestmark = pytest.mark.django_db


def identifiers(patient: Any) -> list[str]:
    """Every direct identifier of a patient, in the forms it could leak."""
    dob = patient.date_of_birth
    nhs = patient.nhs_number
    values = [
        patient.given_name,
        patient.family_name,
        patient.full_name,
        nhs,
        f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
        patient.postcode,
        patient.postcode.replace(" ", ""),
        patient.email,
        patient.phone,
        patient.phone.replace(" ", ""),
        patient.address,
        patient.gp_practice_name,
        patient.gp_email,
        dob.isoformat(),
        dob.strftime("%d/%m/%Y"),
        dob.strftime("%Y%m%d"),
        str(patient.pk * 1000003),
    ]
    values += [part.strip() for part in patient.address.split(",")]
    values += ["Quixotic", "Larkspur", "carer", "Tender over L4", "a fall at home"]
    return [v for v in values if v]


def extract_text(out: Path) -> list[tuple[str, str]]:
    """(file, text) for every file written: Parquet cells, column names, metadata; text files."""
    found = []
    for path in sorted(out.iterdir()):
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            parts = [str(table.schema), str(pq.read_metadata(path).metadata)]
            for column in table.column_names:
                parts += [str(v) for v in table.column(column).to_pylist()]
            found.append((path.name, "\n".join(parts)))
        else:
            found.append((path.name, path.read_text(encoding="utf-8")))
    return found


def test_extract_writes_every_table_and_the_data_dictionary(clinic: Clinic, tmp_path: Path) -> None:
    summary = extract(tmp_path, KEY, today=TODAY)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [t.filename for t in TABLES] + ["data_dictionary.csv", "data_dictionary.md"]
    )
    for table in TABLES:
        assert pq.read_schema(tmp_path / table.filename).equals(table.arrow_schema)
        assert not FORBIDDEN_COLUMNS & set(pq.read_schema(tmp_path / table.filename).names)
    assert summary.patients == 7
    assert summary.excluded_no_start == 1


def test_no_identifier_of_any_patient_appears_in_any_extract_file(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path, KEY, today=TODAY)
    texts = extract_text(tmp_path)
    assert len(texts) == 5
    hits = [
        (name, ident)
        for patient in clinic.everyone
        for ident in identifiers(patient)
        for name, text in texts
        if ident.lower() in text.lower()
    ]
    assert hits == []


def test_only_patients_whose_newest_research_consent_is_given(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path, KEY, today=TODAY)
    pids = set(pq.read_table(tmp_path / "patients.parquet").column("pid").to_pylist())
    expected = {pseudonym(KEY, p.pk) for p in clinic.consented + clinic.regiven}
    assert pids == expected
    for p in clinic.withdrawn + clinic.never + clinic.no_start:
        assert pseudonym(KEY, p.pk) not in pids


def test_withdrawal_removes_the_patient_from_the_next_extract(
    clinic: Clinic, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    extract(first, KEY, today=TODAY)
    leaving = clinic.consented[0]
    consent(leaving, "withdrawn", at(dt.date(2026, 10, 1)))
    extract(second, KEY, today=TODAY)
    before = pq.read_table(first / "patients.parquet").column("pid").to_pylist()
    after = pq.read_table(second / "patients.parquet").column("pid").to_pylist()
    assert pseudonym(KEY, leaving.pk) in before
    assert pseudonym(KEY, leaving.pk) not in after
    assert len(after) == len(before) - 1
    outcomes = pq.read_table(second / "outcomes.parquet")
    assert len(set(outcomes.column("pkey").to_pylist())) == len(after)


def test_pseudonyms_are_stable_across_extracts_and_change_with_the_key(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path / "a", KEY, today=TODAY)
    extract(tmp_path / "b", KEY, today=TODAY + dt.timedelta(days=40))
    extract(tmp_path / "c", b"another key that is long enough to use!!", today=TODAY)
    a, b, c = (
        set(pq.read_table(tmp_path / x / "patients.parquet").column("pid").to_pylist())
        for x in "abc"
    )
    assert a == b
    assert not a & c


def test_months_timepoints_age_band_and_coded_fields(clinic: Clinic, tmp_path: Path) -> None:
    extract(tmp_path, KEY, today=TODAY)
    patients = pq.read_table(tmp_path / "patients.parquet").to_pylist()
    p1 = clinic.consented[0]
    row = next(r for r in patients if r["pid"] == pseudonym(KEY, p1.pk))
    # Born 1961-03-15, CBPM started 2025-01-10: 63 years old -> "60-64".
    assert row["age_band"] == "60-64"
    assert row["start_basis"] == "cbpm"
    assert row["region"] == "low_back"
    assert row["pain_type"] == "radicular"
    assert row["n_prior_treatments"] == 2
    assert row["months_observed"] == 21
    assert row["product_form"] == "oil"
    assert row["prior_cannabis_use"] == "naive"
    outcomes = [
        o
        for o in pq.read_table(tmp_path / "outcomes.parquet").to_pylist()
        if o["pkey"] == row["pkey"]
    ]
    got = sorted((o["instrument"], o["timepoint"], o["months"], o["value"]) for o in outcomes)
    assert got == [
        ("gad7", 0, pytest.approx(-0.2), 12.0),
        ("gad7", 3, pytest.approx(3.0), 7.0),
        ("nrs", 0, pytest.approx(-0.2), 8.0),
        ("nrs", 1, pytest.approx(1.0), 6.0),
        ("nrs", 3, pytest.approx(3.1), 5.0),
    ]
    regiven = next(r for r in patients if r["pid"] == pseudonym(KEY, clinic.regiven[0].pk))
    assert regiven["start_basis"] == "assessment"
    assert regiven["n_prior_treatments"] == 0


def test_the_response_nearest_the_scheduled_month_takes_the_timepoint(
    clinic: Clinic, tmp_path: Path
) -> None:
    from .conftest import response

    p = clinic.consented[1]
    response(p, "nrs", at(dt.date(2025, 1, 10) + dt.timedelta(days=45)), 4)
    extract(tmp_path, KEY, today=TODAY)
    key = next(
        r["pkey"]
        for r in pq.read_table(tmp_path / "patients.parquet").to_pylist()
        if r["pid"] == pseudonym(KEY, p.pk)
    )
    nrs = sorted(
        (o["months"], o["timepoint"])
        for o in pq.read_table(tmp_path / "outcomes.parquet").to_pylist()
        if o["pkey"] == key and o["instrument"] == "nrs"
    )
    assert [tp for _m, tp in nrs] == [0, 1, None, 3]


def test_pkeys_follow_pseudonym_order_not_database_order(clinic: Clinic, tmp_path: Path) -> None:
    extract(tmp_path, KEY, today=TODAY)
    rows = pq.read_table(tmp_path / "patients.parquet").to_pylist()
    assert [r["pkey"] for r in rows] == list(range(len(rows)))
    assert [r["pid"] for r in rows] == sorted(r["pid"] for r in rows)


def test_the_identifier_scan_finds_a_planted_identifier(clinic: Clinic, tmp_path: Path) -> None:
    """The scan above can fail: a name written into the extract folder is found."""
    extract(tmp_path, KEY, today=TODAY)
    victim = clinic.consented[0]
    (tmp_path / "notes.txt").write_text(f"seen {victim.family_name.upper()}", encoding="utf-8")
    texts = extract_text(tmp_path)
    assert any(victim.family_name.lower() in text.lower() for _n, text in texts)


def test_product_form_and_prior_cannabis_use_come_from_the_medicines_app(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path, KEY, today=TODAY)
    rows = {r["pid"]: r for r in pq.read_table(tmp_path / "patients.parquet").to_pylist()}
    got = [
        (
            rows[pseudonym(KEY, p.pk)]["product_form"],
            rows[pseudonym(KEY, p.pk)]["prior_cannabis_use"],
        )
        for p in clinic.consented
    ]
    assert got == [
        ("oil", "naive"),
        ("oil", "former"),
        ("oil", "current"),
        ("flower", "current"),
        ("oil_and_flower", "naive"),
        ("other", "former"),
    ]
    regiven = rows[pseudonym(KEY, clinic.regiven[0].pk)]
    assert regiven["product_form"] is None and regiven["prior_cannabis_use"] is None


def test_a_prescription_signed_before_the_recorded_cbpm_start_moves_month_0(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path, KEY, today=TODAY)
    p6 = clinic.consented[5]
    key = next(
        r["pkey"]
        for r in pq.read_table(tmp_path / "patients.parquet").to_pylist()
        if r["pid"] == pseudonym(KEY, p6.pk)
    )
    months = sorted(
        o["months"]
        for o in pq.read_table(tmp_path / "outcomes.parquet").to_pylist()
        if o["pkey"] == key and o["instrument"] == "nrs"
    )
    # Signed 2025-01-03; baseline NRS on 2025-01-05 is 0.1 months after it.
    assert months[0] == pytest.approx(0.1)


def test_product_form_groups() -> None:
    from painpath.registry.medicines_source import product_form

    assert product_form(set()) is None
    assert product_form({"oil"}) == "oil"
    assert product_form({"flower"}) == "flower"
    assert product_form({"oil", "flower"}) == "oil_and_flower"
    assert product_form({"oil", "spray"}) == "other"
    assert product_form({"capsule"}) == "other"


def test_report_on_a_real_extract_suppresses_every_small_count(
    clinic: Clinic, tmp_path: Path
) -> None:
    import pandas as pd

    from painpath.registry.disclosure_control import TABLE_RULES
    from painpath.registry.report import build_tables, write_report

    extract(tmp_path / "extract", KEY, today=TODAY)
    exact = build_tables(tmp_path / "extract", disclosure=False)
    assert exact["baseline_characteristics"].iloc[0]["n"] == 7
    tables = build_tables(tmp_path / "extract")
    html = write_report(tables, tmp_path / "report", disclosure=True, engine="duckdb")
    assert "SYNTHETIC DATA" not in html.read_text(encoding="utf-8")
    for name, rules in TABLE_RULES.items():
        published = pd.read_csv(tmp_path / "report" / f"{name}.csv")
        for column in rules.counts:
            assert published[column].isna().all(), (name, column)


def test_only_graded_adverse_events_of_consented_patients_in_months(
    clinic: Clinic, tmp_path: Path
) -> None:
    summary = extract(tmp_path, KEY, today=TODAY)
    patients = {
        r["pkey"]: r["pid"] for r in pq.read_table(tmp_path / "patients.parquet").to_pylist()
    }
    events = pq.read_table(tmp_path / "adverse_events.parquet").to_pylist()
    assert summary.adverse_events == len(events) == 2
    by_pid = {patients[e["pkey"]]: e for e in events}
    first, second = clinic.consented[0], clinic.consented[1]
    assert by_pid[pseudonym(KEY, first.pk)] == {
        "pkey": by_pid[pseudonym(KEY, first.pk)]["pkey"],
        "months": pytest.approx(0.5),
        "symptom": "nausea",
        "grade": 1,
        "serious": False,
        "causality": "possible",
    }
    assert by_pid[pseudonym(KEY, second.pk)]["grade"] == 2


def test_each_extract_is_audited_without_naming_patients(clinic: Clinic, tmp_path: Path) -> None:
    from painpath.apps.audit.models import AuditEvent

    extract(tmp_path, KEY, today=TODAY)
    event = AuditEvent.objects.get(action="registry.extract")
    assert event.patient_id is None
    assert event.actor_label == "painpath registry extract"
    assert event.detail["patients"] == 7
    assert set(event.detail) == {
        "schema_version",
        "patients",
        "outcomes",
        "adverse_events",
        "excluded_no_start",
    }


def test_an_output_folder_with_foreign_files_is_refused(clinic: Clinic, tmp_path: Path) -> None:
    from painpath.registry.extract import OutputFolderError

    extract(tmp_path, KEY, today=TODAY)
    extract(tmp_path, KEY, today=TODAY)  # a previous extract may be replaced
    (tmp_path / "SYNTHETIC.txt").write_text("synthetic")
    with pytest.raises(OutputFolderError, match="not part of an extract"):
        extract(tmp_path, KEY, today=TODAY)
