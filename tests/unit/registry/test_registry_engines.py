"""Every engine gives the reference implementation's numbers (the ehrql / ibis habit).

Aggregates must agree to floating-point noise; published tables (after rounding and disclosure
control) must be identical. Spark tests are marked ``spark`` and share one local session for the
whole test run (``spark_support``); they fail, never skip, when Spark cannot start.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painpath.registry.analytics import compute
from painpath.registry.analytics.aggregates import Aggregates
from painpath.registry.analytics.stats import finish
from painpath.registry.disclosure_control import control_tables

from .conftest import write_registry

FAST_ENGINES = ("duckdb", "pandas")


def assert_aggregates_agree(expected: Aggregates, got: Aggregates) -> None:
    assert expected.keys() == got.keys()
    for name in expected:
        pd.testing.assert_frame_equal(
            expected[name], got[name], check_exact=False, rtol=1e-9, atol=1e-12, obj=name
        )


def assert_published_identical(expected: Aggregates, got: Aggregates) -> None:
    for controlled in (False, True):
        a, b = finish(expected), finish(got)
        if controlled:
            a, b = control_tables(a), control_tables(b)
        for name in a:
            pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


@pytest.mark.parametrize("engine", FAST_ENGINES)
@pytest.mark.parametrize("dataset", ["synthetic", "edge"])
def test_engine_matches_reference(
    engine: str, dataset: str, request: pytest.FixtureRequest
) -> None:
    data = request.getfixturevalue(dataset)
    reference = compute(data, "reference")
    got = compute(data, engine)
    assert_aggregates_agree(reference, got)
    assert_published_identical(reference, got)


def test_edge_case_reference_values(edge: Path) -> None:
    """Hand-checked numbers for the edge registry (the reference itself is right)."""
    agg = compute(edge, "reference")
    o = agg["outcomes"].set_index(["subgroup", "level", "instrument", "timepoint"])
    nrs1 = o.loc[("all", "all", "nrs", 1)]
    # Pairs at 1 month: 8->6, 6->4, 9->9 (patient 2 has no baseline; pkey 99 is not in the cohort).
    assert (nrs1["n"], nrs1["n_paired"], nrs1["n_mcid"]) == (4, 3, 2)
    assert nrs1["change_mean"] == pytest.approx(-4 / 3)
    eq6 = o.loc[("all", "all", "eq5d5l", 6)]
    # +0.06, +0.059, +0.06 (from a negative index): two reach the 0.06 MCID.
    assert (eq6["n_paired"], eq6["n_mcid"]) == (3, 2)
    assert pd.isna(o.loc[("all", "all", "sqs", 3)]["n_mcid"])  # no MCID for SQS
    assert o.loc[("all", "all", "sqs", 3)]["change_sd"] == 0.0
    assert pd.isna(o.loc[("all", "all", "nrs", 3)]["change_sd"])  # a single pair
    assert o.loc[("pain_type", "missing", "nrs", 0)]["n"] == 1
    assert o.loc[("prior_cannabis_use", "missing", "nrs", 1)]["n_paired"] == 1
    ae = agg["adverse_events"].set_index("grade")
    assert ae.loc["any"].tolist() == [4, 2]
    assert ae.loc["1"].tolist() == [2, 1]
    assert ae.loc["5"].tolist() == [0, 0]
    completion = agg["completion"].set_index("timepoint")
    assert completion.loc[0].tolist() == [5, 4]
    assert completion.loc[1].tolist() == [4, 3]
    assert completion.loc[12].tolist() == [3, 1]
    assert agg["cohort"].iloc[0]["n_patients"] == 5


values = st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 8.0, 10.0])
eq5d = st.sampled_from([-0.1, 0.2, 0.26, 0.4, 0.459, 0.46, 0.52, 1.0])
maybe = st.one_of(st.none(), st.sampled_from(["a", "b"]))


@st.composite
def registries(draw: st.DrawFn) -> tuple[list[dict], list[dict], list[dict]]:
    n = draw(st.integers(1, 12))
    patients = [
        {
            "pkey": k,
            "pain_type": draw(maybe),
            "region": draw(maybe),
            "product_form": draw(maybe),
            "prior_cannabis_use": draw(maybe),
            "sex": draw(maybe),
            "months_observed": draw(st.integers(0, 30)),
            "n_prior_treatments": draw(st.integers(0, 5)),
        }
        for k in range(n)
    ]
    outcomes = []
    for k in range(n + 1):  # pkey n is outside the cohort
        for instrument, strategy in (("nrs", values), ("eq5d5l", eq5d), ("sqs", values)):
            for tp in draw(st.sets(st.sampled_from([0, 1, 3, 6, 12, 18, 24]))):
                outcomes.append(
                    {"pkey": k, "instrument": instrument, "timepoint": tp, "value": draw(strategy)}
                )
    events = [
        {"pkey": draw(st.integers(0, n)), "grade": draw(st.integers(1, 5))}
        for _ in range(draw(st.integers(0, 6)))
    ]
    return patients, outcomes, events


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registries())
def test_engines_agree_with_reference_on_any_small_registry(
    registry: tuple[list[dict], list[dict], list[dict]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = write_registry(Path(tmp), *registry)
        reference = compute(data, "reference")
        for engine in FAST_ENGINES:
            assert_aggregates_agree(reference, compute(data, engine))


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("dataset", ["synthetic", "edge"])
def test_spark_matches_reference(spark, dataset: str, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    from painpath.registry.analytics import spark_engine

    data = request.getfixturevalue(dataset)
    reference = compute(data, "reference")
    got = spark_engine.run(data, spark=spark)
    assert_aggregates_agree(reference, got)
    assert_published_identical(reference, got)
    assert not math.isnan(float(got["cohort"].iloc[0]["prior_mean"]))


def _equal_changes(tmp_path: Path) -> Path:
    """Identical non-dyadic changes (0.26 - 0.46) in six patients spread over several strata."""
    pain_types = ["mechanical", "radicular", None, "mechanical", "non_specific", None]
    regions = ["low_back", "neck", "low_back", "neck", "low_back", "thoracic"]
    patients = [{"pkey": k, "pain_type": pain_types[k], "region": regions[k]} for k in range(6)]
    outcomes = []
    for k in range(6):
        outcomes += [
            {"pkey": k, "instrument": "eq5d5l", "timepoint": 0, "value": 0.46},
            {"pkey": k, "instrument": "eq5d5l", "timepoint": 3, "value": 0.26},
        ]
    return write_registry(tmp_path, patients, outcomes, [])


def _assert_sd_exactly_zero_and_no_p_value(agg: Aggregates) -> None:
    at3 = agg["outcomes"][agg["outcomes"]["timepoint"] == 3]
    assert len(at3) > 5
    paired = at3[at3["n_paired"] >= 2]
    assert (paired["change_sd"] == 0.0).all(), paired["change_sd"].tolist()
    assert (at3.loc[at3["n"] >= 2, "sd"] == 0.0).all()
    published = finish(agg)
    for name in ("outcomes", "outcomes_by_subgroup"):
        table = published[name]
        rows = table[(table["timepoint"] == 3) & (table["n_paired"] >= 2)]
        assert len(rows) and rows["p_value"].isna().all(), name
        assert (rows["ci_low"] == rows["ci_high"]).all()


@pytest.mark.parametrize("engine", ["reference", *FAST_ENGINES])
def test_a_group_whose_changes_are_all_equal_has_an_sd_of_exactly_zero_and_no_p_value(
    engine: str, tmp_path: Path
) -> None:
    """Summing cells leaves ~1e-17 of rounding where the SD is 0, which would give a p-value
    (a t-test with no variance has none): every engine must publish SD 0 and no p-value."""
    _assert_sd_exactly_zero_and_no_p_value(compute(_equal_changes(tmp_path), engine))


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_spark_gives_an_sd_of_exactly_zero_for_equal_changes(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from painpath.registry.analytics import spark_engine

    _assert_sd_exactly_zero_and_no_p_value(spark_engine.run(_equal_changes(tmp_path), spark=spark))
