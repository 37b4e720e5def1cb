"""The extract from a real database (SQLite and PostgreSQL): who is in it, what it holds, and
that nobody is identifiable from any byte of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from painpath.registry.extract import extract
from painpath.registry.pseudonymise import pseudonym
from painpath.registry.schema import FORBIDDEN_COLUMNS, SCHEMA_VERSION, TABLES

from .conftest import KEY, TODAY, Clinic, assessment, at, consent, make_patient, response
from .scan import dates_in, free_text_cells, hits, identifiers, output_texts

pytestmark = pytest.mark.django_db

#: Free text the fixture writes into notes, examinations, treatment names, doses, rationales and
#: adverse-event descriptions: none of it may reach the extract.
FREE_TEXT = [
    "Quixotic",
    "Larkspur",
    "lives with a carer",
    "Tender over L4",
    "a fall at home",
    "felt sick after the evening dose",
    "failed physiotherapy",
    "twice daily",
    "Oil 10:10",
]


def rows(out: Path, table: str) -> list[dict[str, Any]]:
    return pq.read_table(out / f"{table}.parquet").to_pylist()


def patient_row(out: Path, patient: Any) -> dict[str, Any]:
    return next(r for r in rows(out, "patients") if r["pid"] == pseudonym(KEY, patient.pk))


def test_extract_writes_every_table_and_the_data_dictionary(clinic: Clinic, tmp_path: Path) -> None:
    summary = extract(tmp_path, KEY, today=TODAY)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [t.filename for t in TABLES] + ["data_dictionary.csv", "data_dictionary.md"]
    )
    for table in TABLES:
        schema = pq.read_schema(tmp_path / table.filename)
        assert schema.equals(table.arrow_schema)
        assert not FORBIDDEN_COLUMNS & set(schema.names)
    md = (tmp_path / "data_dictionary.md").read_text(encoding="utf-8")
    csv = (tmp_path / "data_dictionary.csv").read_text(encoding="utf-8")
    for table in TABLES:
        for column in table.columns:
            assert f"`{column.name}`" in md and f",{column.name}," in csv
    assert f"Schema version {SCHEMA_VERSION}" in md
    assert summary.patients == 7
    assert summary.excluded_no_start == 1
    assert summary.uncoded_values == 0
    assert not list(tmp_path.parent.glob(".painpath-extract-*"))


def test_no_identifier_or_free_text_of_any_patient_in_any_byte_of_the_extract(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path, KEY, today=TODAY)
    outputs = output_texts(tmp_path)
    assert len(outputs) == 5
    needles = [i for p in clinic.everyone for i in identifiers(p)] + FREE_TEXT
    assert len(needles) > 300
    assert hits(needles, outputs) == []


def test_the_key_is_never_written_into_the_extract(clinic: Clinic, tmp_path: Path) -> None:
    extract(tmp_path, KEY, today=TODAY)
    for o in output_texts(tmp_path):
        for form in (KEY.decode(), KEY.hex()):
            assert form not in o.raw and form not in o.text, o.name


def test_no_full_date_and_no_day_offset_anywhere(clinic: Clinic, tmp_path: Path) -> None:
    extract(tmp_path, KEY, today=TODAY)
    assert dates_in(output_texts(tmp_path)) == []
    for table in TABLES:
        schema = pq.read_schema(tmp_path / table.filename)
        for field in schema:
            assert not pa.types.is_temporal(field.type), (table.name, field.name)
            assert not pa.types.is_floating(field.type) or field.name == "value", field.name
    for name in ("outcomes", "adverse_events"):
        assert all(isinstance(r["months"], int) for r in rows(tmp_path, name))


def test_every_string_cell_of_every_parquet_file_is_a_code_or_a_pseudonym(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path, KEY, today=TODAY)
    assert free_text_cells(tmp_path) == []
    string_columns = [
        (t.name, c.name) for t in TABLES for c in t.columns if pa.types.is_string(c.type)
    ]
    assert all(
        c.codes is not None
        for t in TABLES
        for c in t.columns
        if (t.name, c.name) in string_columns and c.name != "pid"
    )


def test_the_scans_find_what_is_planted(clinic: Clinic, tmp_path: Path) -> None:
    """The scans above can fail: a name, a date and a free-text cell planted are all found."""
    extract(tmp_path, KEY, today=TODAY)
    victim = clinic.consented[0]
    (tmp_path / "notes.txt").write_text(
        f"seen {victim.family_name.upper()} born {victim.date_of_birth:%d/%m/%Y}", encoding="utf-8"
    )
    outputs = output_texts(tmp_path)
    assert ("notes.txt", victim.family_name) in hits(identifiers(victim), outputs)
    assert dates_in(outputs) == [("notes.txt", f"{victim.date_of_birth:%d/%m/%Y}")]
    nhs = victim.nhs_number
    assert hits([f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"], outputs) == []
    table = pq.read_table(tmp_path / "patients.parquet")
    planted = table.set_column(
        table.schema.get_field_index("pain_type"),
        "pain_type",
        pa.array(["stabbing, worse since the car crash"] * table.num_rows),
    ).append_column("note", pa.array(["x"] * table.num_rows))
    pq.write_table(planted, tmp_path / "patients.parquet")
    bad = free_text_cells(tmp_path)
    assert ("patients.parquet", "pain_type", "stabbing, worse since the car crash") in bad
    assert ("patients.parquet", "note", "<not in schema>") in bad


def test_only_patients_whose_newest_research_consent_is_given(
    clinic: Clinic, tmp_path: Path
) -> None:
    from painpath.apps.patients.selectors import has_consent

    extract(tmp_path, KEY, today=TODAY)
    pids = {r["pid"] for r in rows(tmp_path, "patients")}
    expected = {pseudonym(KEY, p.pk) for p in clinic.consented + clinic.regiven}
    assert pids == expected
    # The clinic's own definition of current consent agrees for everyone with a treatment start.
    for p in clinic.everyone:
        if p not in clinic.no_start:
            assert (pseudonym(KEY, p.pk) in pids) is has_consent(p, "research_registry")
    for p in clinic.withdrawn + clinic.never + clinic.no_start + clinic.care_only:
        assert pseudonym(KEY, p.pk) not in pids


def test_withdrawal_removes_the_patient_from_the_next_extract(
    clinic: Clinic, tmp_path: Path
) -> None:
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    extract(first, KEY, today=TODAY)
    leaving = clinic.consented[0]
    # Withdrawing another consent changes nothing; withdrawing research consent removes them.
    consent(leaving, "withdrawn", at(dt.date(2026, 9, 1)), kind="gp_sharing")
    extract(second, KEY, today=TODAY)
    consent(leaving, "withdrawn", at(dt.date(2026, 10, 1)))
    extract(third, KEY, today=TODAY)
    before = [r["pid"] for r in rows(first, "patients")]
    unchanged = [r["pid"] for r in rows(second, "patients")]
    after = [r["pid"] for r in rows(third, "patients")]
    assert pseudonym(KEY, leaving.pk) in before and unchanged == before
    assert pseudonym(KEY, leaving.pk) not in after
    assert len(after) == len(before) - 1
    assert len({r["pkey"] for r in rows(third, "outcomes")}) == len(after)
    assert {r["pkey"] for r in rows(third, "adverse_events")} <= set(range(len(after)))
    assert len(rows(third, "adverse_events")) == len(rows(first, "adverse_events")) - 1


def test_pseudonyms_are_stable_across_extracts_and_change_with_the_key(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path / "a", KEY, today=TODAY)
    extract(tmp_path / "b", KEY, today=TODAY + dt.timedelta(days=40))
    extract(tmp_path / "c", b"another key that is long enough to use!!", today=TODAY)
    a, b, c = ({r["pid"] for r in rows(tmp_path / x, "patients")} for x in "abc")
    assert a == b
    assert not a & c


def test_months_timepoints_age_band_and_coded_fields(clinic: Clinic, tmp_path: Path) -> None:
    extract(tmp_path, KEY, today=TODAY)
    row = patient_row(tmp_path, clinic.consented[0])
    # Born 1961-03-15, CBPM started 2025-01-10: 63 years old -> "60-64".
    assert row["age_band"] == "60-64"
    assert row["sex"] == "female"
    assert row["start_basis"] == "cbpm"
    assert row["region"] == "low_back"
    assert row["pain_type"] == "radicular"
    assert row["n_prior_treatments"] == 2
    assert row["months_observed"] == 21
    assert row["product_form"] == "oil"
    assert row["prior_cannabis_use"] == "naive"
    got = sorted(
        (o["instrument"], o["timepoint"], o["months"], o["value"])
        for o in rows(tmp_path, "outcomes")
        if o["pkey"] == row["pkey"]
    )
    # Responses 5 days before and 30, 92 and 95 days after the start.
    assert got == [
        ("gad7", 0, 0, 12.0),
        ("gad7", 3, 3, 7.0),
        ("nrs", 0, 0, 8.0),
        ("nrs", 1, 1, 6.0),
        ("nrs", 3, 3, 5.0),
    ]
    regiven = patient_row(tmp_path, clinic.regiven[0])
    assert regiven["start_basis"] == "assessment"
    assert regiven["n_prior_treatments"] == 0
    assert regiven["age_band"] == "30-34"


def test_the_response_nearest_the_scheduled_month_takes_the_timepoint(
    clinic: Clinic, tmp_path: Path
) -> None:
    p = clinic.consented[1]
    response(p, "nrs", at(dt.date(2025, 1, 10) + dt.timedelta(days=45)), 4)
    extract(tmp_path, KEY, today=TODAY)
    key = patient_row(tmp_path, p)["pkey"]
    nrs = sorted(
        ((o["months"], -1 if o["timepoint"] is None else o["timepoint"], o["value"]))
        for o in rows(tmp_path, "outcomes")
        if o["pkey"] == key and o["instrument"] == "nrs"
    )
    # Day 30 (0.99 months) is nearer month 1 than day 45 (1.48), which keeps no timepoint.
    assert nrs == [(0, 0, 8.0), (1, -1, 4.0), (1, 1, 6.0), (3, 3, 5.0)]


def test_a_prescription_signed_before_the_recorded_cbpm_start_moves_month_0(
    clinic: Clinic, tmp_path: Path
) -> None:
    p6 = clinic.consented[5]
    # 20 February 2025: 48 days after the prescription (2025-01-03), 41 after the Treatment start.
    response(p6, "sqs", at(dt.date(2025, 2, 20)), 5)
    extract(tmp_path, KEY, today=TODAY)
    key = patient_row(tmp_path, p6)["pkey"]
    sqs = [o for o in rows(tmp_path, "outcomes") if o["pkey"] == key and o["instrument"] == "sqs"]
    assert [(o["months"], o["timepoint"]) for o in sqs] == [(2, 1)]


def test_a_cancelled_prescription_is_neither_the_start_nor_the_product_form(
    clinic: Clinic, tmp_path: Path
) -> None:
    from painpath.apps.medicines.models import Prescription

    p = clinic.consented[3]  # flower, signed on the CBPM start 2025-01-10
    early = Prescription.objects.filter(patient=p).first()
    assert early is not None
    from painpath.apps.medicines.models import Product

    oil = Product.objects.get(form="oil")
    cancelled = Prescription.objects.create(
        patient=p,
        product=oil,
        dose="1 ml",
        daily_amount=1,
        daily_thc_mg=5,
        daily_cbd_mg=5,
        quantity=30,
        quantity_words="thirty",
        status="cancelled",
        date_signed=dt.date(2024, 10, 1),
        signed_at=at(dt.date(2024, 10, 1)),
        signed_by=early.signed_by,
        created_by=early.created_by,
    )
    assert cancelled.pk
    extract(tmp_path, KEY, today=TODAY)
    row = patient_row(tmp_path, p)
    assert row["product_form"] == "flower"
    assert row["months_observed"] == 21  # from 2025-01-10, not 2024-10-01


def test_a_patient_with_only_questionnaires_starts_at_the_first_one(
    clinic: Clinic, tmp_path: Path
) -> None:
    p = make_patient(30, dob=dt.date(1988, 8, 8))
    consent(p, "given", at(dt.date(2025, 1, 1)))
    response(p, "nrs", at(dt.date(2025, 3, 1)), 7)
    response(p, "nrs", at(dt.date(2025, 6, 3)), 4)
    summary = extract(tmp_path, KEY, today=TODAY)
    row = patient_row(tmp_path, p)
    assert summary.patients == 8
    assert (row["start_basis"], row["age_band"], row["region"]) == ("questionnaire", "35-39", None)
    got = [
        (o["timepoint"], o["months"])
        for o in rows(tmp_path, "outcomes")
        if o["pkey"] == row["pkey"]
    ]
    assert got == [(0, 0), (3, 3)]


def test_values_outside_a_coded_vocabulary_are_blanked_and_counted(
    clinic: Clinic, tmp_path: Path
) -> None:
    from painpath.apps.outcomes.models import AdverseEvent

    p = make_patient(31, dob=dt.date(1970, 1, 1))
    consent(p, "given", at(dt.date(2025, 1, 1)))
    assessment(p, at(dt.date(2025, 1, 5)), "low_back", "knives, Zebedee31")
    response(p, "nrs", at(dt.date(2025, 1, 5)), 7)
    response(p, "homegrown_form", at(dt.date(2025, 1, 5)), 3)
    grader = clinic.consented[0].cbpm_prescriptions.first().signed_by
    AdverseEvent.objects.create(
        patient=p,
        reported_at=at(dt.date(2025, 2, 1)),
        source="home",
        symptom="screaming at night",
        description="x",
        reported_severity="mild",
        grade=1,
        serious=False,
        causality="dunno",
        graded_by=grader,
        graded_at=at(dt.date(2025, 2, 1)),
    )
    summary = extract(tmp_path, KEY, today=TODAY)
    assert summary.uncoded_values == 4  # pain type, instrument, symptom, causality
    row = patient_row(tmp_path, p)
    assert row["pain_type"] is None and row["region"] == "low_back"
    mine = [o for o in rows(tmp_path, "outcomes") if o["pkey"] == row["pkey"]]
    assert [o["instrument"] for o in mine] == ["nrs"]
    event = next(e for e in rows(tmp_path, "adverse_events") if e["pkey"] == row["pkey"])
    assert (event["symptom"], event["grade"], event["causality"]) == (None, 1, None)
    outputs = output_texts(tmp_path)
    assert hits(["knives", "homegrown_form", "screaming at night", "dunno"], outputs) == []
    assert free_text_cells(tmp_path) == []


def test_pkeys_follow_pseudonym_order_not_database_order(clinic: Clinic, tmp_path: Path) -> None:
    extract(tmp_path, KEY, today=TODAY)
    patients = rows(tmp_path, "patients")
    assert [r["pkey"] for r in patients] == list(range(len(patients)))
    assert [r["pid"] for r in patients] == sorted(r["pid"] for r in patients)


def test_product_form_and_prior_cannabis_use_come_from_the_medicines_app(
    clinic: Clinic, tmp_path: Path
) -> None:
    extract(tmp_path, KEY, today=TODAY)
    got = [
        (patient_row(tmp_path, p)["product_form"], patient_row(tmp_path, p)["prior_cannabis_use"])
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
    regiven = patient_row(tmp_path, clinic.regiven[0])
    assert regiven["product_form"] is None and regiven["prior_cannabis_use"] is None


def test_product_form_groups() -> None:
    from painpath.registry.medicines_source import product_form

    assert product_form(set()) is None
    assert product_form({"oil"}) == "oil"
    assert product_form({"flower"}) == "flower"
    assert product_form({"oil", "flower"}) == "oil_and_flower"
    assert product_form({"oil", "spray"}) == "other"
    assert product_form({"capsule"}) == "other"


def test_only_graded_adverse_events_of_consented_patients_in_whole_months(
    clinic: Clinic, tmp_path: Path
) -> None:
    summary = extract(tmp_path, KEY, today=TODAY)
    pids = {r["pkey"]: r["pid"] for r in rows(tmp_path, "patients")}
    events = rows(tmp_path, "adverse_events")
    assert summary.adverse_events == len(events) == 2
    by_pid = {pids[e["pkey"]]: e for e in events}
    first, second = clinic.consented[0], clinic.consented[1]
    event = by_pid[pseudonym(KEY, first.pk)]
    # Reported 14 days after the start: month 0 (never "day 14").
    assert {k: v for k, v in event.items() if k != "pkey"} == {
        "months": 0,
        "symptom": "nausea",
        "grade": 1,
        "serious": False,
        "causality": "possible",
    }
    assert by_pid[pseudonym(KEY, second.pk)]["grade"] == 2


def test_report_on_a_real_extract_suppresses_every_small_count(
    clinic: Clinic, tmp_path: Path
) -> None:
    import pandas as pd

    from painpath.registry.disclosure_control import TABLE_RULES, publish
    from painpath.registry.report import build_report, build_tables

    extract(tmp_path / "extract", KEY, today=TODAY)
    exact = publish(build_tables(tmp_path / "extract"), control=False).tables
    assert exact["baseline_characteristics"].iloc[0]["n"] == 7
    html = build_report(tmp_path / "extract", tmp_path / "report")
    assert "SYNTHETIC DATA" not in html.read_text(encoding="utf-8")
    for name, rules in TABLE_RULES.items():
        published = pd.read_csv(tmp_path / "report" / f"{name}.csv", dtype=str)
        for column in rules.counts:
            # 7 patients: every count is suppressed (blank only where not applicable).
            values = set(published[column].dropna())
            assert values <= {"[c]"}, (name, column, values)
        assert (published[list(rules.counts)] == "[c]").any().any(), name


def test_each_extract_is_audited_without_naming_patients(clinic: Clinic, tmp_path: Path) -> None:
    from painpath.apps.audit.models import AuditEvent

    extract(tmp_path, KEY, today=TODAY)
    event = AuditEvent.objects.get(action="registry.extract")
    assert event.patient_id is None
    assert event.actor_label == "painpath registry extract"
    assert event.detail == {
        "schema_version": SCHEMA_VERSION,
        "patients": 7,
        "outcomes": 31,
        "adverse_events": 2,
        "excluded_no_start": 1,
        "uncoded_values": 0,
    }


def test_an_output_folder_with_foreign_files_is_refused(clinic: Clinic, tmp_path: Path) -> None:
    from painpath.registry.folders import OutputFolderError

    extract(tmp_path, KEY, today=TODAY)
    extract(tmp_path, KEY, today=TODAY)  # a previous extract may be replaced
    (tmp_path / "SYNTHETIC.txt").write_text("synthetic")
    with pytest.raises(OutputFolderError, match="not part of an extract"):
        extract(tmp_path, KEY, today=TODAY)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputFolderError, match="is not a folder"):
        extract(tmp_path / "file", KEY, today=TODAY)


def test_a_failed_extract_leaves_the_previous_one_whole(
    clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from painpath.registry import extract as module

    out = tmp_path / "extract"
    extract(out, KEY, today=TODAY)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    consent(clinic.consented[0], "withdrawn", at(dt.date(2026, 10, 1)))

    def disk_full(_folder: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "write_data_dictionary", disk_full)
    with pytest.raises(OSError, match="No space left"):
        extract(out, KEY, today=TODAY)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".painpath-extract-*"))
