"""Statistical disclosure control for every published registry table and plot.

One module, named constants (the OpenSAFELY habit), policy in ADR 0084:

1. Primary suppression: a count at or below ``SUPPRESSION_THRESHOLD`` is suppressed.
2. Secondary suppression: where the counts of a group of rows add up to a total that is also
   published (the levels of a baseline characteristic add up to the cohort; CTCAE grades add up
   to "any grade"; the levels of a subgroup add up to the overall row of the outcomes table), the
   suppressed cells could be recovered by subtraction. So while the suppressed cells of such a
   group hold ``SUPPRESSION_THRESHOLD`` or fewer patients between them, the smallest remaining
   cell is suppressed too: what subtraction recovers is then a sum of more than the threshold,
   which identifies no one.
3. Rounding: every count that is not suppressed is rounded to the nearest ``ROUNDING_BASE``, so a
   difference of two published counts (e.g. eligible minus completed) is uncertain by up to
   2 x (ROUNDING_BASE // 2) either way, and no exact small number can be derived.
4. Percentages and rates are recomputed from the controlled counts (an exact percentage would
   give the exact count back); statistics that describe a suppressed group (mean, SD, CI,
   p-value) are suppressed with it.
5. A table without rules here cannot be published, and plots are drawn from the controlled
   tables only (``report``).

``--no-disclosure-control`` switches this off for a clinic's own use only; the report then says so.

The constants and ``TABLE_RULES`` are importable without pandas or NumPy (the researcher web
area checks published reports against them without loading either).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: The policy below, recorded in every report's manifest: 2 = ADR 0084 as revised 2026-12-01
#: (primary suppression, secondary suppression in partitions, rounding to 5).
RULESET_VERSION = "2"
#: Counts less than or equal to this are suppressed.
SUPPRESSION_THRESHOLD = 7
#: Counts above the threshold are rounded to the nearest multiple of this (halves round up).
ROUNDING_BASE = 5
#: Written in HTML and CSV for a value hidden by disclosure control (the ONS convention).
SUPPRESSED_MARK = "[c]"


def control_count(n: Any) -> int | None:
    """Suppress (None) a count <= SUPPRESSION_THRESHOLD, else round it to the nearest 5.

    >>> [control_count(n) for n in (0, 7, 8, 12, 13, 1002)]
    [None, None, 10, 10, 15, 1000]
    """
    if _missing(n):
        return None
    count = int(n)
    if count <= SUPPRESSION_THRESHOLD:
        return None
    return round_count(count)


def _missing(value: Any) -> bool:
    """None, NaN or pd.NA (pandas is only imported when a value might be pd.NA)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, int):
        return False
    import pandas as pd

    return bool(pd.isna(value))


def round_count(count: int) -> int:
    """``count`` to the nearest multiple of ``ROUNDING_BASE``, halves up."""
    return int(math.floor(count / ROUNDING_BASE + 0.5)) * ROUNDING_BASE  # noqa: RUF046


@dataclass(frozen=True)
class Partition:
    """Rows whose ``count`` values add up to a total that is published too.

    Rows with equal values in ``by`` form one group; rows matching ``totals`` (column -> value)
    are the group's total, not parts of it. The total may be in another table (the overall row
    of ``outcomes`` for ``outcomes_by_subgroup``): it is published all the same.
    """

    count: str
    by: tuple[str, ...] = ()
    totals: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableRules:
    """Which columns of a table are counts, derived percentages/rates, and dependent statistics.

    ``ratios`` maps a column to (numerator count column, denominator count column, multiplier);
    ``dependent`` maps a statistic column to the count column it describes; ``partitions`` lists
    the groups of counts that add up to a published total (secondary suppression).
    """

    counts: Sequence[str]
    ratios: Mapping[str, tuple[str, str, float]] = field(default_factory=dict)
    dependent: Mapping[str, str] = field(default_factory=dict)
    partitions: Sequence[Partition] = ()


def secondary(values: Sequence[int | None]) -> set[int]:
    """Positions to suppress in one group of parts of a published total (primary included).

    >>> sorted(secondary([120, 3, 40]))  # 3 alone would be total - 120 - 40
    [1, 2]
    >>> sorted(secondary([120, 3, 6, 40]))  # 3 + 6 = 9 > 7 together: no more needed
    [1, 2]
    >>> sorted(secondary([120, 3, 2, 40]))  # 3 + 2 = 5 <= 7: the next smallest goes too
    [1, 2, 3]
    """
    present = [i for i, v in enumerate(values) if not _missing(v)]
    hidden = {i for i in present if int(values[i]) <= SUPPRESSION_THRESHOLD}  # type: ignore[arg-type]
    while hidden and sum(int(values[i]) for i in hidden) <= SUPPRESSION_THRESHOLD:  # type: ignore[arg-type]
        rest = [i for i in present if i not in hidden]
        if not rest:
            break
        hidden.add(min(rest, key=lambda i: (int(values[i]), i)))  # type: ignore[arg-type]
    return hidden


def _suppression_mask(table: pd.DataFrame, column: str, rules: TableRules) -> pd.Series:
    """True where ``column`` is suppressed: primary, then secondary within each partition."""
    import numpy as np
    import pandas as pd

    values: list[int | None] = [None if pd.isna(v) else int(v) for v in table[column]]
    mask = np.array([v is not None and v <= SUPPRESSION_THRESHOLD for v in values], dtype=bool)
    for partition in rules.partitions:
        if partition.count != column or table.empty or not mask.any():
            continue
        is_part = np.ones(len(table), dtype=bool)
        for key, value in partition.totals.items():
            is_part &= (table[key].astype(str) != value).to_numpy()
        positions = np.flatnonzero(is_part)
        if partition.by:
            keys = table[list(partition.by)].iloc[positions]
            groups = [
                positions[i]
                for i in keys.groupby(list(partition.by), sort=False, dropna=False).indices.values()
            ]
        else:
            groups = [positions]
        for rows in groups:
            if not mask[rows].any():
                continue
            for position in secondary([values[r] for r in rows]):
                mask[rows[position]] = True
    return pd.Series(mask, index=table.index, dtype=bool)


def apply_with_mask(table: pd.DataFrame, rules: TableRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A controlled copy of ``table`` and a same-shaped frame: True where control hid a value."""
    import pandas as pd

    out = table.copy()
    hidden = pd.DataFrame(False, index=table.index, columns=table.columns)
    for column in rules.counts:
        mask = _suppression_mask(table, column, rules)
        out[column] = pd.array(
            [
                None if m or v is None or pd.isna(v) else round_count(int(v))
                for v, m in zip(table[column], mask, strict=True)
            ],
            dtype="Int64",
        )
        hidden[column] = mask
    for column, (num, den, multiplier) in rules.ratios.items():
        values: list[float | None] = []
        for a, b in zip(out[num], out[den], strict=True):
            if pd.isna(a) or pd.isna(b) or b == 0:
                values.append(None)
            else:
                values.append(multiplier * float(a) / float(b))
        out[column] = pd.array(values, dtype="Float64")
        hidden[column] = (hidden[num] | hidden[den]) & table[column].notna()
    for column, count_column in rules.dependent.items():
        by_count = hidden[count_column]
        out[column] = out[column].astype("Float64").mask(by_count)
        hidden[column] = by_count & table[column].notna()
    return out, hidden


def apply(table: pd.DataFrame, rules: TableRules) -> pd.DataFrame:
    """A controlled copy of ``table``: counts controlled, ratios recomputed, stats hidden."""
    return apply_with_mask(table, rules)[0]


_SUBGROUP_CELL = ("subgroup", "instrument", "timepoint")
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
        partitions=(Partition("n", by=("variable",), totals={"variable": "patients"}),),
    ),
    "baseline_scores": TableRules(counts=("n",), dependent={"mean": "n", "sd": "n"}),
    "outcomes": _OUTCOME_RULES,
    # Every level of a subgroup (with "missing") adds up to the overall row in ``outcomes``.
    "outcomes_by_subgroup": TableRules(
        counts=_OUTCOME_RULES.counts,
        ratios=_OUTCOME_RULES.ratios,
        dependent=_OUTCOME_RULES.dependent,
        partitions=tuple(Partition(c, by=_SUBGROUP_CELL) for c in ("n", "n_paired", "n_mcid")),
    ),
    # Events of grades 1-5 add up to the events of any grade (patients do not: one patient may
    # have events of several grades).
    "adverse_events": TableRules(
        counts=("n_events", "n_patients", "n_cohort"),
        ratios={
            "events_per_100": ("n_events", "n_cohort", 100.0),
            "pct_patients": ("n_patients", "n_cohort", 100.0),
        },
        partitions=(Partition("n_events", totals={"grade": "any"}),),
    ),
    "completion": TableRules(
        counts=("n_eligible", "n_completed"),
        ratios={"pct_completed": ("n_completed", "n_eligible", 100.0)},
    ),
}


@dataclass(frozen=True)
class Publication:
    """The tables a report publishes, whether they were controlled, and which cells were hidden."""

    tables: dict[str, pd.DataFrame]
    suppressed: dict[str, pd.DataFrame]
    controlled: bool


def _rules(name: str) -> TableRules:
    if name not in TABLE_RULES:
        raise KeyError(f"no disclosure-control rules for table {name!r}")
    return TABLE_RULES[name]


def publish(
    tables: Mapping[str, pd.DataFrame], *, control: bool = True, decimals: int = 4
) -> Publication:
    """Apply ``TABLE_RULES`` to every table (unless ``control`` is False); refuse unknown tables."""
    import pandas as pd

    out: dict[str, pd.DataFrame] = {}
    masks: dict[str, pd.DataFrame] = {}
    for name, table in tables.items():
        rules = _rules(name)
        if not control:
            out[name] = table.copy()
            masks[name] = pd.DataFrame(False, index=table.index, columns=table.columns)
            continue
        controlled, hidden = apply_with_mask(table, rules)
        for column in rules.ratios:
            controlled[column] = controlled[column].round(decimals)
        out[name], masks[name] = controlled, hidden
    return Publication(tables=out, suppressed=masks, controlled=control)


def control_tables(
    tables: Mapping[str, pd.DataFrame], decimals: int = 4
) -> dict[str, pd.DataFrame]:
    """Apply ``TABLE_RULES`` to every table; refuse a table that has no rules."""
    return publish(tables, control=True, decimals=decimals).tables
