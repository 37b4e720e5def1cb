"""Combine per-cell sufficient statistics into the outcome aggregates (overall and subgroups).

For cells i with n_i, mean_i and population variance v_i, the combined group has
N = sum n_i, mean = sum(n_i mean_i) / N and M2 = sum(n_i v_i) + sum(n_i (mean_i - mean)^2),
sample SD = sqrt(M2 / (N - 1)) (Chan, Golub & LeVeque 1979, the pairwise update). This is exact
algebra, numerically stable, and shared by the SQL engines; the reference does not use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from painpath.registry.analytics.aggregates import ALL, SUBGROUPS

COLUMNS = [
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
    "n_mcid",
]


def _combine(cells: pd.DataFrame, keys: list[str], n: str, mean: str, var: str) -> pd.DataFrame:
    """N, mean and sample SD per group of ``keys`` from the cells' n, mean, population var."""
    w = cells[n].astype("float64")
    m = cells[mean].astype("float64").where(w > 0, 0.0)
    v = cells[var].astype("float64").where(w > 0, 0.0)
    frame = cells[keys].copy()
    frame["w"], frame["wm"], frame["wv"] = w, w * m, w * v
    sums = frame.groupby(keys, sort=False)[["w", "wm", "wv"]].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        grand = sums["wm"] / sums["w"]
    frame["spread"] = w * (m - grand) ** 2
    out = frame.groupby(keys, sort=False).agg(
        total=("w", "sum"), wm=("wm", "sum"), wv=("wv", "sum"), spread=("spread", "sum")
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out[mean] = np.where(out["total"] > 0, out["wm"] / out["total"], np.nan)
        m2 = (out["wv"] + out["spread"]).clip(lower=0.0)
        out["sd_"] = np.where(out["total"] >= 2, np.sqrt(m2 / (out["total"] - 1)), np.nan)
    out[n] = out["total"].astype("int64")
    return out[[n, mean, "sd_"]]


def outcome_aggregates(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per (subgroup, level, instrument, timepoint), as the reference computes them."""
    cells = cells.copy()
    for name in ("n", "n_paired"):
        cells[name] = pd.to_numeric(cells[name]).fillna(0).astype("int64")
    for name in ("mean", "var", "change_mean", "change_var", "n_mcid"):
        cells[name] = pd.to_numeric(cells[name], errors="coerce").astype("float64")
    parts = []
    groupings: tuple[str | None, ...] = (None, *SUBGROUPS)
    for column in groupings:
        keys = (
            ["instrument", "timepoint"] if column is None else [column, "instrument", "timepoint"]
        )
        values = _combine(cells, keys, "n", "mean", "var").rename(columns={"sd_": "sd"})
        changes = _combine(cells, keys, "n_paired", "change_mean", "change_var").rename(
            columns={"sd_": "change_sd"}
        )
        mcid = cells.groupby(keys, sort=False)["n_mcid"].sum(min_count=1)
        part = values.join(changes).join(mcid).reset_index()
        part["subgroup"] = ALL if column is None else column
        part["level"] = ALL if column is None else part[column].astype(str)
        parts.append(part[COLUMNS])
    if not parts or cells.empty:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True)
