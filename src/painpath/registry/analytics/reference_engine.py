"""The reference implementation: plain Python over rows, for small data; the specification.

Written for obviousness, not speed: every other engine is tested against it. MCID attainment is
decided by ``painpath.registry.mcid.meets`` (the clinical core's thresholds), row by row.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from painpath.registry import mcid
from painpath.registry.analytics.aggregates import (
    ALL,
    CHARACTERISTICS,
    MISSING,
    SUBGROUPS,
    Aggregates,
    normalise,
)
from painpath.registry.schema import ADVERSE_EVENTS, OUTCOMES, PATIENTS
from painpath.registry.timepoints import TIMEPOINTS


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def _sd(xs: list[float]) -> float | None:
    return statistics.stdev(xs) if len(xs) >= 2 else None


def run(data_dir: Path, *, threads: int | None = None) -> Aggregates:
    patients = pq.read_table(data_dir / PATIENTS.filename).to_pylist()
    outcomes = pq.read_table(data_dir / OUTCOMES.filename).to_pylist()
    events = pq.read_table(data_dir / ADVERSE_EVENTS.filename).to_pylist()
    by_key = {p["pkey"]: p for p in patients}

    prior = [float(p["n_prior_treatments"]) for p in patients]
    cohort = [{"n_patients": len(patients), "prior_mean": _mean(prior), "prior_sd": _sd(prior)}]

    counts: dict[tuple[str, str], int] = defaultdict(int)
    for p in patients:
        for v in CHARACTERISTICS:
            counts[(v, p[v] if p[v] is not None else MISSING)] += 1
    characteristics = [{"variable": v, "level": lv, "n": n} for (v, lv), n in counts.items()]

    rows = [o for o in outcomes if o["timepoint"] is not None and o["pkey"] in by_key]
    baseline = {(o["pkey"], o["instrument"]): o["value"] for o in rows if o["timepoint"] == 0}
    thresholds = mcid.thresholds(sorted({o["instrument"] for o in rows}))
    cells: dict[tuple[str, str, str, int], dict[str, list[Any]]] = defaultdict(
        lambda: {"values": [], "changes": [], "mcid": []}
    )
    for o in rows:
        patient = by_key[o["pkey"]]
        groups = [(ALL, ALL)] + [
            (s, patient[s] if patient[s] is not None else MISSING) for s in SUBGROUPS
        ]
        base = baseline.get((o["pkey"], o["instrument"]))
        for subgroup, level in groups:
            cell = cells[(subgroup, level, o["instrument"], o["timepoint"])]
            cell["values"].append(o["value"])
            if o["timepoint"] != 0 and base is not None:
                cell["changes"].append(o["value"] - base)
                t = thresholds.get(o["instrument"])
                if t is not None:
                    cell["mcid"].append(mcid.meets(t, base, o["value"]))
    outcome_rows = [
        {
            "subgroup": s,
            "level": lv,
            "instrument": i,
            "timepoint": tp,
            "n": len(c["values"]),
            "mean": _mean(c["values"]),
            "sd": _sd(c["values"]),
            "n_paired": len(c["changes"]),
            "change_mean": _mean(c["changes"]),
            "change_sd": _sd(c["changes"]),
            "n_mcid": sum(c["mcid"]),
        }
        for (s, lv, i, tp), c in cells.items()
    ]

    cohort_events = [e for e in events if e["pkey"] in by_key]
    ae_rows = []
    for grade in sorted({e["grade"] for e in cohort_events}):
        graded = [e for e in cohort_events if e["grade"] == grade]
        ae_rows.append(
            {
                "grade": grade,
                "n_events": len(graded),
                "n_patients": len({e["pkey"] for e in graded}),
            }
        )
    ae_rows.append(
        {
            "grade": None,
            "n_events": len(cohort_events),
            "n_patients": len({e["pkey"] for e in cohort_events}),
        }
    )

    seen = {(o["pkey"], o["timepoint"]) for o in rows}
    completion = []
    for tp in TIMEPOINTS:
        eligible = [p["pkey"] for p in patients if p["months_observed"] >= tp]
        completion.append(
            {
                "timepoint": tp,
                "n_eligible": len(eligible),
                "n_completed": sum((k, tp) in seen for k in eligible),
            }
        )

    return normalise(
        {
            "cohort": pd.DataFrame(cohort),
            "characteristics": pd.DataFrame(characteristics, columns=["variable", "level", "n"]),
            "outcomes": pd.DataFrame(
                outcome_rows,
                columns=[
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
                ],
            ),
            "adverse_events": pd.DataFrame(ae_rows, columns=["grade", "n_events", "n_patients"]),
            "completion": pd.DataFrame(completion),
        }
    )
