"""The aggregates every engine returns, and their normal form (so engines compare exactly)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from painpath.registry import mcid
from painpath.registry.timepoints import TIMEPOINTS

Aggregates = dict[str, pd.DataFrame]

#: name -> (key columns, count columns, float columns)
SHAPES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "cohort": ((), ("n_patients",), ("prior_mean", "prior_sd")),
    "characteristics": (("variable", "level"), ("n",), ()),
    "outcomes": (
        ("subgroup", "level", "instrument", "timepoint"),
        ("n", "n_paired", "n_mcid"),
        ("mean", "sd", "change_mean", "change_sd"),
    ),
    "adverse_events": (("grade",), ("n_events", "n_patients"), ()),
    "completion": (("timepoint",), ("n_eligible", "n_completed"), ()),
}

SUBGROUPS = ("pain_type", "region", "product_form", "prior_cannabis_use")
CHARACTERISTICS = (
    "sex",
    "age_band",
    "region",
    "pain_type",
    "product_form",
    "prior_cannabis_use",
    "start_basis",
)
MISSING = "missing"
ALL = "all"
ANY_GRADE = "any"
GRADES = ("1", "2", "3", "4", "5")


def normalise(raw: Mapping[str, pd.DataFrame]) -> Aggregates:
    """Same columns, dtypes, row order and conventions whatever engine produced ``raw``.

    Conventions: ``n_mcid`` is NA at the baseline and for instruments without an MCID, else an
    integer (0 when none); adverse-event grades are strings with every grade present.
    """
    out: Aggregates = {}
    for name, (keys, counts, floats) in SHAPES.items():
        df = pd.DataFrame(raw[name]).copy()
        if name == "adverse_events":
            df["grade"] = [ANY_GRADE if pd.isna(g) else str(int(g)) for g in df["grade"]]
            present = set(df["grade"])
            missing = [g for g in (*GRADES, ANY_GRADE) if g not in present]
            if missing:
                df = pd.concat(
                    [df, pd.DataFrame({"grade": missing, "n_events": 0, "n_patients": 0})],
                    ignore_index=True,
                )
        if name == "completion":
            present = set(int(t) for t in df["timepoint"])
            extra = [t for t in TIMEPOINTS if t not in present]
            if extra:
                df = pd.concat(
                    [df, pd.DataFrame({"timepoint": extra, "n_eligible": 0, "n_completed": 0})],
                    ignore_index=True,
                )
        for column in keys:
            if column == "timepoint":
                df[column] = df[column].astype("int64")
            else:
                df[column] = df[column].astype(str)
        for column in counts:
            df[column] = pd.array(
                [None if pd.isna(v) else int(v) for v in df[column]], dtype="Int64"
            )
        for column in floats:
            df[column] = pd.array(
                [None if pd.isna(v) else float(v) for v in df[column]], dtype="Float64"
            )
        if name == "outcomes":
            has_mcid = df["instrument"].isin(list(mcid.thresholds(sorted(set(df["instrument"])))))
            baseline = df["timepoint"] == 0
            df["n_mcid"] = df["n_mcid"].fillna(0).mask(baseline | ~has_mcid)
        order = ["grade"] if name == "adverse_events" else list(keys)
        df = df[list(keys) + list(counts) + list(floats)]
        if order:
            df = df.sort_values(order, kind="mergesort").reset_index(drop=True)
        out[name] = df
    return out
