"""Disclosure control, table-driven from the rule in issue 7 and DESIGN.md.

Rule: counts <= 7 suppressed; other counts rounded to the nearest 5; applied to every table and
plot unless --no-disclosure-control. Policy (ADR 0084): percentages and rates are recomputed from
the controlled counts; statistics describing a suppressed group are suppressed with it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from painpath.registry import disclosure_control as dc

CASES = [
    # (count, published)
    (0, None),
    (1, None),
    (5, None),
    (7, None),
    (8, 10),
    (10, 10),
    (12, 10),
    (12.0, 10),
    (13, 15),
    (15, 15),
    (17, 15),
    (18, 20),
    (22, 20),
    (23, 25),
    (100, 100),
    (1002, 1000),
    (1003, 1005),
    (None, None),
]


def test_named_constants() -> None:
    assert dc.SUPPRESSION_THRESHOLD == 7
    assert dc.ROUNDING_BASE == 5


@pytest.mark.parametrize(("count", "published"), CASES)
def test_control_count(count: float | None, published: int | None) -> None:
    assert dc.control_count(count) == published


def test_percentages_come_from_controlled_counts_and_stats_follow_their_count() -> None:
    table = pd.DataFrame(
        {
            "subgroup": ["all"] * 3,
            "level": ["all"] * 3,
            "instrument": ["nrs"] * 3,
            "timepoint": [1, 3, 6],
            "n": [103, 12, 6],
            "mean": [5.0, 4.0, 3.0],
            "sd": [1.0, 1.0, 1.0],
            "n_paired": [98, 9, 5],
            "change_mean": [-1.0, -2.0, -3.0],
            "change_sd": [1.0] * 3,
            "ci_low": [-1.2, -2.5, -4.0],
            "ci_high": [-0.8, -1.5, -2.0],
            "p_value": [0.001, 0.01, 0.1],
            "n_mcid": [41, 4, 2],
            "pct_mcid": [41.8, 44.4, 40.0],
        }
    )
    out = dc.control_tables({"outcomes": table})["outcomes"]
    assert out["n"].tolist() == [105, 10, pd.NA]
    assert out["n_paired"].tolist() == [100, 10, pd.NA]
    assert out["n_mcid"].tolist() == [40, pd.NA, pd.NA]
    assert out["pct_mcid"].tolist()[0] == 40.0  # 40 / 100, not 41 / 98
    assert pd.isna(out["pct_mcid"][1])
    assert out["mean"].tolist()[:2] == [5.0, 4.0] and pd.isna(out["mean"][2])
    for column in ("change_mean", "ci_low", "ci_high", "p_value"):
        assert pd.isna(out[column][2]), column


def test_every_published_table_has_rules_and_unknown_tables_are_refused() -> None:
    assert set(dc.TABLE_RULES) == {
        "baseline_characteristics",
        "baseline_scores",
        "outcomes",
        "outcomes_by_subgroup",
        "adverse_events",
        "completion",
    }
    with pytest.raises(KeyError, match="no disclosure-control rules"):
        dc.control_tables({"secret": pd.DataFrame({"n": [1]})})
