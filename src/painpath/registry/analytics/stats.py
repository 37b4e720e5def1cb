"""From aggregates to the published tables: t-based 95% CIs, paired t-tests, percentages.

Shared by every engine, so the statistics are computed once, one way. For a paired change with
n pairs, mean d and SD s: SE = s / sqrt(n); 95% CI = d +/- t(0.975, n-1) x SE; the paired t-test
statistic is d / SE with n-1 degrees of freedom, p two-sided: the same as
``scipy.stats.ttest_rel`` on the same pairs (checked in the tests). Floats are rounded to
``DECIMALS`` places (p-values to ``P_DIGITS`` significant figures) for publication so
that engines' last-bit differences never show.

The t distribution comes from ``scipy.special`` (``stdtrit`` is the quantile and ``stdtr`` the
CDF; ``scipy.stats.t.ppf`` and ``t.sf`` call exactly these, so the numbers are SciPy's), imported
only when a table is finished and applied to whole columns at once: importing ``scipy.stats``
cost a report process more time than computing its tables at 100,000 patients (ADR 0089).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from painpath.registry.analytics.aggregates import ALL, CHARACTERISTICS, Aggregates

DECIMALS = 4
#: p-values keep significant figures (a tiny p must not round to 0).
P_DIGITS = 3
SNAP_DIGITS = 10
CONFIDENCE = 0.95

FloatArray = npt.NDArray[np.float64]


def _floats(values: Any) -> FloatArray:
    """A float64 array with NaN for every missing value (None, pd.NA, NaN)."""
    return np.array([np.nan if pd.isna(v) else float(v) for v in values], dtype=np.float64)


def t_intervals(
    mean: FloatArray, sd: FloatArray, n: npt.NDArray[np.int64]
) -> tuple[FloatArray, FloatArray]:
    """Two-sided t-based confidence intervals for many means; NaN where not computable.

    Element by element this is ``mean -/+ t.ppf(0.5 + CONFIDENCE / 2, n - 1) * sd / sqrt(n)``.
    """
    from scipy.special import stdtrit

    ok = ~np.isnan(mean) & ~np.isnan(sd) & (n >= 2)
    low = np.full(mean.shape, np.nan)
    high = np.full(mean.shape, np.nan)
    if ok.any():
        m, s, k = mean[ok], sd[ok], n[ok].astype(np.float64)
        half = stdtrit(k - 1, 0.5 + CONFIDENCE / 2) * s / np.sqrt(k)
        low[ok], high[ok] = m - half, m + half
    return low, high


def paired_t_ps(mean: FloatArray, sd: FloatArray, n: npt.NDArray[np.int64]) -> FloatArray:
    """Two-sided paired t-test p-values that the mean change is zero; NaN where undefined
    (fewer than 2 pairs, or an SD of 0). Element by element ``2 * t.sf(|d / (s / sqrt(n))|, n-1)``.
    """
    from scipy.special import stdtr

    ok = ~np.isnan(mean) & ~np.isnan(sd) & (n >= 2) & (sd != 0)
    p = np.full(mean.shape, np.nan)
    if ok.any():
        k = n[ok].astype(np.float64)
        statistic = mean[ok] / (sd[ok] / np.sqrt(k))
        p[ok] = 2 * stdtr(k - 1, -np.abs(statistic))
    return p


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def t_interval(mean: float | None, sd: float | None, n: int) -> tuple[float | None, float | None]:
    """Two-sided t-based confidence interval for a mean; None when it cannot be computed."""
    low, high = t_intervals(_floats([mean]), _floats([sd]), np.array([n], dtype=np.int64))
    return _optional(low[0]), _optional(high[0])


def paired_t_p(mean: float | None, sd: float | None, n: int) -> float | None:
    """Two-sided p-value of the paired t-test that the mean change is zero."""
    return _optional(paired_t_ps(_floats([mean]), _floats([sd]), np.array([n], dtype=np.int64))[0])


def _float_column(values: FloatArray) -> Any:
    return pd.array([None if math.isnan(v) else float(v) for v in values], dtype="Float64")


def _pct(num: Any, den: Any, multiplier: float = 100.0) -> float | None:
    if pd.isna(num) or pd.isna(den) or den == 0:
        return None
    return multiplier * float(num) / float(den)


def significant(value: float, digits: int) -> float:
    """``value`` to ``digits`` significant figures, after snapping to ``SNAP_DIGITS``."""
    return float(f"{float(f'{value:.{SNAP_DIGITS}g}'):.{digits}g}")


def publish(value: float) -> float:
    """Round for publication: first to ``SNAP_DIGITS`` significant figures, then ``DECIMALS``.

    Engines sum in different orders, so a mean may come back as 0.53274999999999 from one and
    0.53275000000001 from another; snapping first makes both 0.53275, which then rounds the same.
    """
    return round(float(f"{value:.{SNAP_DIGITS}g}"), DECIMALS)


def _round(df: pd.DataFrame) -> pd.DataFrame:
    for column in df.columns:
        if column == "p_value":
            df[column] = pd.array(
                [None if pd.isna(v) else significant(float(v), P_DIGITS) for v in df[column]],
                dtype="Float64",
            )
        elif str(df[column].dtype) in ("Float64", "float64"):
            df[column] = pd.array(
                [None if pd.isna(v) else publish(float(v)) for v in df[column]],
                dtype="Float64",
            )
    return df


def baseline_characteristics(agg: Aggregates) -> pd.DataFrame:
    """Counts and percentages of every categorical characteristic (missing shown as a level)."""
    n_total = int(agg["cohort"].iloc[0]["n_patients"])
    rows: list[dict[str, object]] = [
        {
            "variable": "patients",
            "level": ALL,
            "n": n_total,
            "denominator": n_total,
            "percent": 100.0 if n_total else None,
        }
    ]
    chars = agg["characteristics"]
    for variable in CHARACTERISTICS:
        for r in chars[chars["variable"] == variable].itertuples():
            rows.append(
                {
                    "variable": variable,
                    "level": r.level,
                    "n": int(r.n),
                    "denominator": n_total,
                    "percent": _pct(r.n, n_total),
                }
            )
    out = pd.DataFrame(rows, columns=["variable", "level", "n", "denominator", "percent"])
    out["n"] = out["n"].astype("Int64")
    out["denominator"] = out["denominator"].astype("Int64")
    out["percent"] = pd.array(
        [None if pd.isna(v) else float(v) for v in out["percent"]], dtype="Float64"
    )
    return _round(out)


def baseline_scores(agg: Aggregates) -> pd.DataFrame:
    """Mean (SD) at baseline: conventional treatments tried, and every instrument's score."""
    cohort = agg["cohort"].iloc[0]
    rows: list[dict[str, object]] = [
        {
            "measure": "n_prior_treatments",
            "n": int(cohort["n_patients"]),
            "mean": cohort["prior_mean"],
            "sd": cohort["prior_sd"],
        }
    ]
    o = agg["outcomes"]
    base = o[(o["subgroup"] == ALL) & (o["timepoint"] == 0)]
    for r in base.itertuples():
        rows.append({"measure": r.instrument, "n": int(r.n), "mean": r.mean, "sd": r.sd})
    out = pd.DataFrame(rows, columns=["measure", "n", "mean", "sd"])
    out["n"] = out["n"].astype("Int64")
    for c in ("mean", "sd"):
        out[c] = pd.array([None if pd.isna(v) else float(v) for v in out[c]], dtype="Float64")
    return _round(out)


def outcome_table(agg: Aggregates) -> pd.DataFrame:
    df = agg["outcomes"].copy()
    mean, sd = _floats(df["change_mean"]), _floats(df["change_sd"])
    n = df["n_paired"].to_numpy(dtype=np.int64)
    low, high = t_intervals(mean, sd, n)
    df["ci_low"] = _float_column(low)
    df["ci_high"] = _float_column(high)
    df["p_value"] = _float_column(paired_t_ps(mean, sd, n))
    df["pct_mcid"] = pd.array(
        [_pct(a, b) for a, b in zip(df["n_mcid"], df["n_paired"], strict=True)], dtype="Float64"
    )
    columns = [
        "subgroup",
        "level",
        "instrument",
        "timepoint",
        "n",
        "mean",
        "sd",
        "n_paired",
        "change_mean",
        "change_sd",
        "ci_low",
        "ci_high",
        "p_value",
        "n_mcid",
        "pct_mcid",
    ]
    return _round(df[columns])


def adverse_event_table(agg: Aggregates) -> pd.DataFrame:
    n_total = int(agg["cohort"].iloc[0]["n_patients"])
    df = agg["adverse_events"].copy()
    df["n_cohort"] = pd.array([n_total] * len(df), dtype="Int64")
    df["events_per_100"] = pd.array([_pct(e, n_total) for e in df["n_events"]], dtype="Float64")
    df["pct_patients"] = pd.array([_pct(p, n_total) for p in df["n_patients"]], dtype="Float64")
    return _round(
        df[["grade", "n_events", "n_patients", "n_cohort", "events_per_100", "pct_patients"]]
    )


def completion_table(agg: Aggregates) -> pd.DataFrame:
    df = agg["completion"].copy()
    df["pct_completed"] = pd.array(
        [_pct(c, e) for c, e in zip(df["n_completed"], df["n_eligible"], strict=True)],
        dtype="Float64",
    )
    return _round(df)


def finish(agg: Aggregates) -> dict[str, pd.DataFrame]:
    """Every published table (before disclosure control), by name."""
    outcomes = outcome_table(agg)
    overall = outcomes[outcomes["subgroup"] == ALL].reset_index(drop=True)
    by_subgroup = outcomes[outcomes["subgroup"] != ALL].reset_index(drop=True)
    return {
        "baseline_characteristics": baseline_characteristics(agg),
        "baseline_scores": baseline_scores(agg),
        "outcomes": overall,
        "outcomes_by_subgroup": by_subgroup,
        "adverse_events": adverse_event_table(agg),
        "completion": completion_table(agg),
    }
