"""The synthetic registry: the extract's schema, seeded, realistic, drop-out rising."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from painpath.registry.analytics import compute
from painpath.registry.schema import TABLES
from painpath.registry.synth import INSTRUMENT_MODELS, synthesise


def test_synthetic_files_have_the_extract_schema_and_a_data_dictionary(synthetic: Path) -> None:
    for table in TABLES:
        assert pq.read_schema(synthetic / table.filename).equals(table.arrow_schema)
        data = pq.read_table(synthetic / table.filename)
        for column in table.columns:
            if column.codes is not None:
                assert set(data.column(column.name).to_pylist()) - {None} <= column.codes
    dictionary = pd.read_csv(synthetic / "data_dictionary.csv")
    assert set(dictionary["table"]) == {t.name for t in TABLES}
    assert "| `pid` |" in (synthetic / "data_dictionary.md").read_text(encoding="utf-8")


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        synthesise(tmp_path / name, 300, seed=seed, chunk_size=100, progress=False)
    read = {n: pq.read_table(tmp_path / n / "outcomes.parquet") for n in "abc"}
    assert read["a"].equals(read["b"])
    assert not read["a"].equals(read["c"])


def test_chunks_add_up_to_the_requested_patients(tmp_path: Path) -> None:
    rows = synthesise(tmp_path, 1001, chunk_size=250, progress=False)
    patients = pq.read_table(tmp_path / "patients.parquet")
    assert rows["patients"] == patients.num_rows == 1001
    assert sorted(patients.column("pkey").to_pylist()) == list(range(1001))
    assert len(set(patients.column("pid").to_pylist())) == 1001
    assert pq.ParquetFile(tmp_path / "patients.parquet").metadata.num_row_groups == 5


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("large")
    synthesise(out, 20_000, seed=3, progress=False)
    return out


def test_baselines_are_near_the_published_uk_registry_figures(large: Path) -> None:
    o = compute(large, "duckdb")["outcomes"].set_index(
        ["subgroup", "level", "instrument", "timepoint"]
    )
    expected = {"nrs": 7.0, "eq5d5l": 0.40, "gad7": 9.0, "sqs": 3.0}
    for code, mean in expected.items():
        assert o.loc[("all", "all", code, 0)]["mean"] == pytest.approx(mean, rel=0.1)
    # Improvements at every follow-up: pain, anxiety down; sleep, quality of life up.
    for tp in (1, 3, 6, 12, 18, 24):
        assert o.loc[("all", "all", "nrs", tp)]["change_mean"] < -1
        assert o.loc[("all", "all", "gad7", tp)]["change_mean"] < -1.5
        assert o.loc[("all", "all", "sqs", tp)]["change_mean"] > 1.5
        assert o.loc[("all", "all", "eq5d5l", tp)]["change_mean"] > 0.07


def test_drop_out_rises_over_time(large: Path) -> None:
    completion = compute(large, "duckdb")["completion"]
    rate = (completion["n_completed"] / completion["n_eligible"]).tolist()
    assert rate == sorted(rate, reverse=True)
    assert rate[1] > 0.7 and rate[-1] < 0.35


def test_adverse_events_are_mostly_mild_or_moderate(large: Path) -> None:
    ae = compute(large, "duckdb")["adverse_events"].set_index("grade")
    share_any = ae.loc["any"]["n_patients"] / 20_000
    assert 0.15 < share_any < 0.25
    mild_moderate = ae.loc["1"]["n_events"] + ae.loc["2"]["n_events"]
    assert mild_moderate / ae.loc["any"]["n_events"] > 0.8


def test_values_stay_inside_each_instruments_range(large: Path) -> None:
    o = pd.read_parquet(large / "outcomes.parquet")
    for m in INSTRUMENT_MODELS:
        v = o.loc[o["instrument"] == m.code, "value"]
        assert v.min() >= m.low and v.max() <= m.high


def test_bad_sizes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        synthesise(tmp_path, 0, progress=False)
    with pytest.raises(ValueError, match="chunk size must be at least 1"):
        synthesise(tmp_path, 10, chunk_size=0, progress=False)


def test_a_folder_with_other_files_is_refused_and_a_previous_registry_replaced(
    tmp_path: Path,
) -> None:
    from painpath.registry.folders import OutputFolderError

    synthesise(tmp_path / "a", 20, progress=False)
    synthesise(tmp_path / "a", 30, progress=False)
    assert pq.read_table(tmp_path / "a" / "patients.parquet").num_rows == 30
    (tmp_path / "a" / "patients.csv").write_text("x")
    with pytest.raises(OutputFolderError, match="not part of an extract"):
        synthesise(tmp_path / "a", 20, progress=False)


def test_synthetic_months_are_whole_and_inside_each_timepoint_window(synthetic: Path) -> None:
    from painpath.registry.timepoints import TIMEPOINT_WINDOWS

    o = pd.read_parquet(synthetic / "outcomes.parquet")
    assert str(o["months"].dtype) == "int16"
    for tp, (low, high) in TIMEPOINT_WINDOWS.items():
        months = o.loc[o["timepoint"] == tp, "months"]
        assert months.between(round(low) - 1, round(high)).all(), tp
