"""The report's statistics checked against SciPy and statsmodels on the same data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.weightstats import DescrStatsW

from painpath.registry import mcid
from painpath.registry.analytics import compute
from painpath.registry.analytics.stats import finish, paired_t_p, t_interval


def pairs(data: Path, instrument: str, timepoint: int) -> pd.DataFrame:
    o = pd.read_parquet(data / "outcomes.parquet")
    o = o[o["instrument"] == instrument]
    base = o[o["timepoint"] == 0][["pkey", "value"]]
    follow = o[o["timepoint"] == timepoint][["pkey", "value"]]
    return base.merge(follow, on="pkey", suffixes=("_base", "_follow"))


@pytest.mark.parametrize("instrument", ["nrs", "gad7", "sqs", "eq5d5l", "odi"])
@pytest.mark.parametrize("timepoint", [1, 6, 24])
def test_change_ci_and_p_match_scipy_and_statsmodels(
    synthetic: Path, instrument: str, timepoint: int
) -> None:
    agg = compute(synthetic, "duckdb")
    o = agg["outcomes"].set_index(["subgroup", "level", "instrument", "timepoint"])
    row = o.loc[("all", "all", instrument, timepoint)]
    p = pairs(synthetic, instrument, timepoint)
    diff = (p["value_follow"] - p["value_base"]).to_numpy()
    assert row["n_paired"] == len(diff)
    assert row["change_mean"] == pytest.approx(diff.mean(), rel=1e-12)
    assert row["change_sd"] == pytest.approx(diff.std(ddof=1), rel=1e-12)
    n = int(row["n_paired"])
    expected_p = sps.ttest_rel(p["value_follow"], p["value_base"]).pvalue
    assert paired_t_p(row["change_mean"], row["change_sd"], n) == pytest.approx(
        expected_p, rel=1e-9, abs=1e-300
    )
    low, high = t_interval(row["change_mean"], row["change_sd"], n)
    expected_low, expected_high = DescrStatsW(diff).tconfint_mean(alpha=0.05)
    assert (low, high) == (
        pytest.approx(expected_low, rel=1e-9),
        pytest.approx(expected_high, rel=1e-9),
    )
    values = pd.read_parquet(synthetic / "outcomes.parquet")
    values = values[(values["instrument"] == instrument) & (values["timepoint"] == timepoint)]
    assert row["mean"] == pytest.approx(values["value"].mean(), rel=1e-12)
    assert row["sd"] == pytest.approx(values["value"].std(ddof=1), rel=1e-12)


@pytest.mark.parametrize("instrument", ["nrs", "gad7", "eq5d5l", "phq9"])
def test_mcid_attainment_matches_the_thresholds_pair_by_pair(
    synthetic: Path, instrument: str
) -> None:
    t = mcid.threshold(instrument)
    assert t is not None
    p = pairs(synthetic, instrument, 3)
    expected = sum(
        mcid.meets(t, b, f) for b, f in zip(p["value_base"], p["value_follow"], strict=True)
    )
    o = compute(synthetic, "duckdb")["outcomes"].set_index(
        ["subgroup", "level", "instrument", "timepoint"]
    )
    assert o.loc[("all", "all", instrument, 3)]["n_mcid"] == expected


def test_published_outcome_table_rounds_what_scipy_gives(synthetic: Path) -> None:
    table = finish(compute(synthetic, "duckdb"))["outcomes"]
    row = table[(table["instrument"] == "nrs") & (table["timepoint"] == 3)].iloc[0]
    p = pairs(synthetic, "nrs", 3)
    result = sps.ttest_rel(p["value_follow"], p["value_base"])
    ci = result.confidence_interval(0.95)
    assert row["ci_low"] == pytest.approx(ci.low, abs=5e-5)
    assert row["ci_high"] == pytest.approx(ci.high, abs=5e-5)
    assert row["p_value"] == pytest.approx(result.pvalue, rel=5e-3)
    diff = p["value_follow"] - p["value_base"]
    assert row["pct_mcid"] == pytest.approx(100 * np.mean(diff <= -2), abs=5e-5)


def test_statistics_are_none_when_they_cannot_be_computed() -> None:
    assert t_interval(1.0, None, 1) == (None, None)
    assert paired_t_p(1.0, None, 1) is None
    assert paired_t_p(0.5, 0.0, 5) is None
    assert t_interval(0.5, 0.0, 5) == (0.5, 0.5)


@pytest.mark.parametrize(
    ("subgroup", "level"),
    [("product_form", "flower"), ("region", "neck"), ("prior_cannabis_use", "current")],
)
def test_subgroup_rows_match_scipy_on_that_subgroup_alone(
    synthetic: Path, subgroup: str, level: str
) -> None:
    patients = pd.read_parquet(synthetic / "patients.parquet")
    members = set(patients.loc[patients[subgroup] == level, "pkey"])
    p = pairs(synthetic, "nrs", 3)
    p = p[p["pkey"].isin(members)]
    table = finish(compute(synthetic, "duckdb"))["outcomes_by_subgroup"]
    row = table[
        (table["subgroup"] == subgroup)
        & (table["level"] == level)
        & (table["instrument"] == "nrs")
        & (table["timepoint"] == 3)
    ].iloc[0]
    result = sps.ttest_rel(p["value_follow"], p["value_base"])
    ci = result.confidence_interval(0.95)
    diff = p["value_follow"] - p["value_base"]
    assert row["n_paired"] == len(p) > 20
    assert row["change_mean"] == pytest.approx(diff.mean(), abs=5e-5)
    assert row["change_sd"] == pytest.approx(diff.std(ddof=1), abs=5e-5)
    assert (row["ci_low"], row["ci_high"]) == (
        pytest.approx(ci.low, abs=5e-5),
        pytest.approx(ci.high, abs=5e-5),
    )
    assert row["p_value"] == pytest.approx(result.pvalue, rel=5e-3)


def test_baseline_scores_mean_and_sd_use_ddof_1(synthetic: Path) -> None:
    import statistics

    patients = pd.read_parquet(synthetic / "patients.parquet")
    table = finish(compute(synthetic, "duckdb"))["baseline_scores"].set_index("measure")
    prior = patients["n_prior_treatments"].astype(float)
    assert table.loc["n_prior_treatments", "mean"] == pytest.approx(prior.mean(), abs=5e-5)
    assert table.loc["n_prior_treatments", "sd"] == pytest.approx(statistics.stdev(prior), abs=5e-5)
    o = pd.read_parquet(synthetic / "outcomes.parquet")
    base = o.loc[(o["instrument"] == "gad7") & (o["timepoint"] == 0), "value"]
    assert table.loc["gad7", "n"] == len(base)
    assert table.loc["gad7", "sd"] == pytest.approx(np.std(base, ddof=1), abs=5e-5)
    assert table.loc["gad7", "sd"] != pytest.approx(np.std(base, ddof=0), abs=5e-5)
