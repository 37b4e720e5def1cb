"""Responder status and MCID marking, table-driven from CLINICAL.md section 2's thresholds.

NRS 2 points or 30% (Farrar 2001; IMMPACT), ODI 10 points or 30% (Ostelo 2008), PHQ-9 5 points
(Lowe 2004), GAD-7 4 points (Toussaint 2020), BPI interference 1 point (IMMPACT), PGIC responder
1-2 (Farrar 2001; NINDS CDE). Worsening by at least the MCID points is "worse".
"""

from __future__ import annotations

import pytest

from painpath.clinical.outcomes_responder import (
    INSUFFICIENT_DATA,
    NON_RESPONDER,
    NOT_APPLICABLE,
    RESPONDER,
    WORSE,
    is_deterioration,
    mcid_measure,
    responder_status,
    trajectory,
)

STATUS_TABLE = [
    # (instrument, values in time order, status, why)
    ("nrs", [8, 6], RESPONDER, "2 points = NRS MCID (Farrar 2001)"),
    ("nrs", [8, 7], NON_RESPONDER, "1 point, 12.5%: below MCID"),
    ("nrs", [3, 2], RESPONDER, "1 point but 33% >= 30% (Farrar 2001)"),
    ("nrs", [5, 7], WORSE, "2 points worse"),
    ("nrs", [5, 6], NON_RESPONDER, "1 point worse: below MCID"),
    ("nrs", [8, 3, 8], NON_RESPONDER, "latest vs baseline, not best"),
    ("nrs", [8], INSUFFICIENT_DATA, "baseline only"),
    ("odi", [50, 40], RESPONDER, "10 points (Ostelo 2008)"),
    ("odi", [50, 41], NON_RESPONDER, "9 points, 18%"),
    ("odi", [20, 14], RESPONDER, "6 points but 30% (Ostelo 2008)"),
    ("odi", [30, 40], WORSE, "10 points worse"),
    ("phq9", [15, 10], RESPONDER, "5 points (Lowe 2004)"),
    ("phq9", [10, 14], NON_RESPONDER, "4 points worse: below MCID"),
    ("phq9", [10, 15], WORSE, "5 points worse"),
    ("gad7", [12, 8], RESPONDER, "4 points (Toussaint 2020)"),
    ("gad7", [8, 12], WORSE, "4 points worse"),
    ("bpi", [6.0, 5.0], RESPONDER, "interference 1 point (IMMPACT)"),
    ("bpi", [5.0, 6.0], WORSE, "interference 1 point worse"),
    ("pgic", [4, 2], RESPONDER, "PGIC 2 much improved"),
    ("pgic", [1], RESPONDER, "PGIC 1 very much improved"),
    ("pgic", [2, 3], NON_RESPONDER, "latest PGIC 3 minimally improved"),
    ("pgic", [], INSUFFICIENT_DATA, "no PGIC"),
    ("sqs", [3, 9], NOT_APPLICABLE, "SQS has no MCID in CLINICAL.md"),
    ("pseq", [20, 40], NOT_APPLICABLE, "PSEQ has no MCID in CLINICAL.md"),
]


@pytest.mark.parametrize(("code", "values", "status", "why"), STATUS_TABLE)
def test_responder_status_table(code: str, values: list[float], status: str, why: str) -> None:
    assert responder_status(code, values).status == status, why


def test_bpi_responder_is_judged_on_interference() -> None:
    assert mcid_measure("bpi") == "interference"
    assert responder_status("bpi", [6.0, 5.0]).measure == "interference"


def test_trajectory_marks_each_point_against_baseline() -> None:
    points = trajectory("nrs", [8, 7, 6, 5, 9, 10])
    assert [p.marker for p in points] == [None, None, "improved", "improved", None, "worse"]
    assert points[0].change is None
    assert points[2].change is not None and points[2].change.change == -2


def test_trajectory_higher_is_better_direction() -> None:
    # EQ-5D-5L index: higher is better; MCID 0.06 (policy, CLINICAL.md section 2).
    points = trajectory("eq5d5l", [0.5, 0.56, 0.44])
    assert [p.marker for p in points] == [None, "improved", "worse"]


def test_no_markers_without_mcid() -> None:
    assert [p.marker for p in trajectory("sqs", [2, 9, 0])] == [None, None, None]


def test_empty_trajectory() -> None:
    assert trajectory("nrs", []) == []


DETERIORATION_TABLE = [
    ("nrs", 4, 6, True),
    ("nrs", 4, 5, False),
    ("nrs", 6, 2, False),
    ("phq9", 5, 10, True),
    ("phq9", 5, 9, False),
    ("odi", 20, 30, True),
    ("eq5d5l", 0.7, 0.64, True),
    ("eq5d5l", 0.7, 0.65, False),
    ("sqs", 9, 0, False),
]


@pytest.mark.parametrize(("code", "baseline", "follow_up", "worse"), DETERIORATION_TABLE)
def test_deterioration_beyond_mcid(
    code: str, baseline: float, follow_up: float, worse: bool
) -> None:
    assert (is_deterioration(code, baseline, follow_up) is not None) is worse
