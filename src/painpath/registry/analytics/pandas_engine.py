"""A plain pandas implementation of the same aggregates: the benchmark's baseline.

Deliberately idiomatic pandas (read everything, merge, groupby), as a team without DuckDB would
write it; it is also held to the reference by the engine-agreement tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from painpath.registry.analytics.aggregates import (
    ALL,
    CHARACTERISTICS,
    MISSING,
    SUBGROUPS,
    Aggregates,
    normalise,
)
from painpath.registry.analytics.tables import instruments_in, mcid_frame
from painpath.registry.mcid import TOLERANCE
from painpath.registry.schema import ADVERSE_EVENTS, OUTCOMES, PATIENTS
from painpath.registry.timepoints import TIMEPOINTS

_AGG = {
    "n": ("value", "count"),
    "mean": ("value", "mean"),
    "sd": ("value", "std"),
    "n_paired": ("change", "count"),
    "change_mean": ("change", "mean"),
    "change_sd": ("change", "std"),
    "n_mcid": ("mcid", "sum"),
}


def run(data_dir: Path, *, threads: int | None = None) -> Aggregates:
    patients = pd.read_parquet(data_dir / PATIENTS.filename)
    outcomes = pd.read_parquet(data_dir / OUTCOMES.filename)
    events = pd.read_parquet(data_dir / ADVERSE_EVENTS.filename)
    for s in (*CHARACTERISTICS, *SUBGROUPS):
        patients[s] = patients[s].fillna(MISSING)

    cohort = pd.DataFrame(
        {
            "n_patients": [len(patients)],
            "prior_mean": [patients["n_prior_treatments"].astype(float).mean()],
            "prior_sd": [patients["n_prior_treatments"].astype(float).std()],
        }
    )
    characteristics = pd.concat(
        [
            patients.groupby(v)
            .size()
            .rename("n")
            .reset_index()
            .rename(columns={v: "level"})
            .assign(variable=v)
            for v in CHARACTERISTICS
        ],
        ignore_index=True,
    )

    o = outcomes[outcomes["timepoint"].notna()]
    o = o[o["pkey"].isin(patients["pkey"])]
    base = o.loc[o["timepoint"] == 0, ["pkey", "instrument", "value"]].rename(
        columns={"value": "baseline"}
    )
    j = o.merge(base, on=["pkey", "instrument"], how="left")
    j = j.merge(patients[["pkey", *SUBGROUPS]], on="pkey", how="inner")
    j = j.merge(mcid_frame(instruments_in(o["instrument"].unique())), on="instrument", how="left")
    j["change"] = np.where(j["timepoint"] == 0, np.nan, j["value"] - j["baseline"])
    improvement = j["direction"] * j["change"]
    j["mcid"] = np.where(
        j["change"].notna() & j["points"].notna(),
        (improvement >= j["points"] - TOLERANCE).astype(float),
        np.nan,
    )
    parts = [
        j.groupby(["instrument", "timepoint"])
        .agg(**_AGG)
        .reset_index()
        .assign(subgroup=ALL, level=ALL)
    ]
    for s in SUBGROUPS:
        parts.append(
            j.groupby([s, "instrument", "timepoint"])
            .agg(**_AGG)
            .reset_index()
            .rename(columns={s: "level"})
            .assign(subgroup=s)
        )
    outcome_table = pd.concat(parts, ignore_index=True)

    e = events[events["pkey"].isin(patients["pkey"])]
    by_grade = (
        e.groupby("grade")
        .agg(n_events=("pkey", "size"), n_patients=("pkey", "nunique"))
        .reset_index()
    )
    total = pd.DataFrame(
        {"grade": [None], "n_events": [len(e)], "n_patients": [e["pkey"].nunique()]}
    )
    adverse = pd.concat([by_grade.astype({"grade": "object"}), total], ignore_index=True)

    seen = o[["pkey", "timepoint"]].drop_duplicates()
    completion_rows = []
    for tp in TIMEPOINTS:
        eligible = patients.loc[patients["months_observed"] >= tp, "pkey"]
        done = seen.loc[seen["timepoint"] == tp, "pkey"]
        completion_rows.append(
            {
                "timepoint": tp,
                "n_eligible": len(eligible),
                "n_completed": int(eligible.isin(done).sum()),
            }
        )
    return normalise(
        {
            "cohort": cohort,
            "characteristics": characteristics,
            "outcomes": outcome_table,
            "adverse_events": adverse,
            "completion": pd.DataFrame(completion_rows),
        }
    )
