"""Statistical disclosure control for every published registry table and plot.

One module, named constants (the OpenSAFELY habit): a count at or below ``SUPPRESSION_THRESHOLD``
is suppressed, every other count is rounded to the nearest ``ROUNDING_BASE``. Percentages and
rates are recomputed from the controlled counts (so no unrounded count can be recovered from a
percentage), and statistics that describe a suppressed group (mean, SD, CI, p-value) are
suppressed with it. ``--no-disclosure-control`` switches this off for a clinic's own use only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: Counts less than or equal to this are suppressed (shown as blank / "[c]").
SUPPRESSION_THRESHOLD = 7
#: Counts above the threshold are rounded to the nearest multiple of this (halves round up).
ROUNDING_BASE = 5
#: Marker written in HTML for a suppressed value.
SUPPRESSED_MARK = "[c]"


def control_count(n: Any) -> int | None:
    """Suppress (None) a count <= SUPPRESSION_THRESHOLD, else round it to the nearest 5.

    >>> [control_count(n) for n in (0, 7, 8, 12, 13, 1002)]
    [None, None, 10, 10, 15, 1000]
    """
    if n is None or pd.isna(n):
        return None
    count = int(n)
    if count <= SUPPRESSION_THRESHOLD:
        return None
    return int(math.floor(count / ROUNDING_BASE + 0.5)) * ROUNDING_BASE  # noqa: RUF046


@dataclass(frozen=True)
class TableRules:
    """Which columns of a table are counts, derived percentages/rates, and dependent statistics.

    ``ratios`` maps a column to (numerator count column, denominator count column, multiplier);
    ``dependent`` maps a statistic column to the count column it describes.
    """

    counts: Sequence[str]
    ratios: Mapping[str, tuple[str, str, float]] = field(default_factory=dict)
    dependent: Mapping[str, str] = field(default_factory=dict)


def apply(table: pd.DataFrame, rules: TableRules) -> pd.DataFrame:
    """A controlled copy of ``table``: counts controlled, ratios recomputed, stats hidden."""
    out = table.copy()
    for column in rules.counts:
        out[column] = pd.array([control_count(v) for v in table[column]], dtype="Int64")
    for column, (num, den, multiplier) in rules.ratios.items():
        values: list[float | None] = []
        for a, b in zip(out[num], out[den], strict=True):
            if pd.isna(a) or pd.isna(b) or b == 0:
                values.append(None)
            else:
                values.append(multiplier * float(a) / float(b))
        out[column] = pd.array(values, dtype="Float64")
    for column, count_column in rules.dependent.items():
        hidden = out[count_column].isna()
        out[column] = out[column].astype("Float64").mask(hidden)
    return out


_OUTCOME_RULES = TableRules(
    counts=("n", "n_paired", "n_mcid"),
    ratios={"pct_mcid": ("n_mcid", "n_paired", 100.0)},
    dependent={
        "mean": "n",
        "sd": "n",
        "change_mean": "n_paired",
        "change_sd": "n_paired",
        "ci_low": "n_paired",
        "ci_high": "n_paired",
        "p_value": "n_paired",
    },
)

#: The rules for every table the report publishes (a table missing here cannot be published).
TABLE_RULES: dict[str, TableRules] = {
    "baseline_characteristics": TableRules(
        counts=("n", "denominator"),
        ratios={"percent": ("n", "denominator", 100.0)},
    ),
    "baseline_scores": TableRules(counts=("n",), dependent={"mean": "n", "sd": "n"}),
    "outcomes": _OUTCOME_RULES,
    "outcomes_by_subgroup": _OUTCOME_RULES,
    "adverse_events": TableRules(
        counts=("n_events", "n_patients", "n_cohort"),
        ratios={
            "events_per_100": ("n_events", "n_cohort", 100.0),
            "pct_patients": ("n_patients", "n_cohort", 100.0),
        },
    ),
    "completion": TableRules(
        counts=("n_eligible", "n_completed"),
        ratios={"pct_completed": ("n_completed", "n_eligible", 100.0)},
    ),
}


def control_tables(
    tables: Mapping[str, pd.DataFrame], decimals: int = 4
) -> dict[str, pd.DataFrame]:
    """Apply ``TABLE_RULES`` to every table; refuse a table that has no rules."""
    out: dict[str, pd.DataFrame] = {}
    for name, table in tables.items():
        if name not in TABLE_RULES:
            raise KeyError(f"no disclosure-control rules for table {name!r}")
        controlled = apply(table, TABLE_RULES[name])
        for column in TABLE_RULES[name].ratios:
            controlled[column] = controlled[column].round(decimals)
        out[name] = controlled
    return out
