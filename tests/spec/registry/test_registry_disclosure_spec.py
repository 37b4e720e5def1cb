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


# Secondary suppression (ADR 0084): parts of a published total.
SECONDARY_CASES = [
    # (true counts of the parts, positions suppressed)
    ([120, 40, 60], []),  # nothing small: nothing hidden
    ([120, 3, 40], [1, 2]),  # 3 alone = total - 120 - 40: the next smallest (40) goes too
    ([120, 0, 40], [1, 2]),  # a zero is a count like any other
    ([120, 7, 8], [1, 2]),  # 7 would be recoverable: 8 is hidden with it (7 + 8 > 7)
    ([120, 3, 6, 40], [1, 2]),  # 3 + 6 = 9: together more than 7, recovering 9 names no one
    ([120, 3, 2, 40], [1, 2, 3]),  # 3 + 2 = 5 <= 7: the next smallest goes too
    ([1, 2, 3], [0, 1, 2]),  # everything small: everything hidden
    ([5], [0]),  # the only part equals the total: hidden (total is <= 7 and hidden too)
    ([10, 10, 3], [0, 2]),  # ties: the first of the smallest
]


@pytest.mark.parametrize(("parts", "hidden"), SECONDARY_CASES)
def test_secondary_suppression(parts: list[int], hidden: list[int]) -> None:
    assert sorted(dc.secondary(parts)) == hidden


def _characteristics(levels: dict[str, int]) -> pd.DataFrame:
    total = sum(levels.values())
    rows = [("patients", "all", total)] + [("sex", k, v) for k, v in levels.items()]
    return pd.DataFrame(
        {
            "variable": [r[0] for r in rows],
            "level": [r[1] for r in rows],
            "n": [r[2] for r in rows],
            "denominator": [total] * len(rows),
            "percent": [100.0 * r[2] / total for r in rows],
        }
    )


def test_a_suppressed_level_cannot_be_recovered_from_the_cohort_total() -> None:
    table = _characteristics({"female": 61, "male": 52, "other": 3})
    published = dc.publish({"baseline_characteristics": table})
    out = published.tables["baseline_characteristics"].set_index("level")
    hidden = published.suppressed["baseline_characteristics"]
    assert out.loc["all", "n"] == 115  # 116 rounded
    assert out.loc["female", "n"] == 60
    assert pd.isna(out.loc["other", "n"]) and pd.isna(out.loc["male", "n"])
    assert hidden["n"].tolist() == [False, False, True, True]
    assert hidden["percent"].tolist() == [False, False, True, True]


def test_adverse_event_grades_are_parts_of_any_grade_but_patients_are_not() -> None:
    table = pd.DataFrame(
        {
            "grade": ["1", "2", "3", "4", "5", "any"],
            "n_events": [300, 180, 55, 10, 1, 546],
            "n_patients": [200, 120, 40, 9, 1, 260],
            "n_cohort": [1000] * 6,
            "events_per_100": [30.0, 18.0, 5.5, 1.0, 0.1, 54.6],
            "pct_patients": [20.0, 12.0, 4.0, 0.9, 0.1, 26.0],
        }
    )
    published = dc.publish({"adverse_events": table})
    out = published.tables["adverse_events"]
    # Grade 5 (1 event) is primary; grade 4 (10 events) hides it from 546 - 300 - 180 - 55.
    assert out["n_events"].tolist() == [300, 180, 55, pd.NA, pd.NA, 545]
    # Patients per grade do not add up to "any" (one patient, several grades): primary only.
    assert out["n_patients"].tolist() == [200, 120, 40, 10, pd.NA, 260]
    assert published.suppressed["adverse_events"]["events_per_100"].tolist() == [
        False,
        False,
        False,
        True,
        True,
        False,
    ]


def test_subgroup_levels_are_parts_of_the_overall_row() -> None:
    levels = {"oil": 50, "flower": 30, "missing": 4}
    table = pd.DataFrame(
        {
            "subgroup": ["product_form"] * 3,
            "level": list(levels),
            "instrument": ["nrs"] * 3,
            "timepoint": [1] * 3,
            "n": list(levels.values()),
            "mean": [5.0, 4.0, 3.0],
            "sd": [1.0] * 3,
            "n_paired": [48, 30, 4],
            "change_mean": [-1.0, -2.0, -3.0],
            "change_sd": [1.0] * 3,
            "ci_low": [-1.2, -2.5, -4.0],
            "ci_high": [-0.8, -1.5, -2.0],
            "p_value": [0.001, 0.01, 0.1],
            "n_mcid": [20, 12, 1],
            "pct_mcid": [41.7, 40.0, 25.0],
        }
    )
    out = dc.publish({"outcomes_by_subgroup": table}).tables["outcomes_by_subgroup"]
    assert out["n"].tolist() == [50, pd.NA, pd.NA]
    assert out["n_paired"].tolist() == [50, pd.NA, pd.NA]
    assert out["n_mcid"].tolist() == [20, pd.NA, pd.NA]
    assert out["mean"].isna().tolist() == [False, True, True]
    assert out["ci_low"].isna().tolist() == [False, True, True]


def test_without_control_nothing_is_hidden_and_tables_are_unchanged() -> None:
    table = _characteristics({"female": 61, "male": 52, "other": 3})
    published = dc.publish({"baseline_characteristics": table}, control=False)
    assert not published.controlled
    pd.testing.assert_frame_equal(published.tables["baseline_characteristics"], table)
    assert not published.suppressed["baseline_characteristics"].to_numpy().any()
