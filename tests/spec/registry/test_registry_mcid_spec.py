"""MCID thresholds the registry uses, from CLINICAL.md section 2 via the clinical core.

NRS 2 points (Farrar 2001; IMMPACT); ODI 10 (Ostelo 2008); NDI 5 (Vernon); RMDQ 5 (Ostelo 2008);
GAD-7 4 (Toussaint 2020); PHQ-9 5 (Lowe 2004); EQ-5D-5L index 0.06 (policy). Improvement is a
decrease except for SQS, PSEQ and EQ-5D-5L. The BPI MCID (1 point) is on the interference
subscore, not the primary score, so the registry reports no % MCID for BPI's primary score.
"""

from __future__ import annotations

import pytest

from painpath.registry import mcid

CASES = [
    # (instrument, baseline, follow-up, meets)
    ("nrs", 8, 6, True),
    ("nrs", 8, 7, False),
    ("nrs", 5, 8, False),
    ("nrs", 10, 0, True),
    ("odi", 50, 40, True),
    ("odi", 50, 42, False),
    ("gad7", 12, 8, True),
    ("gad7", 12, 9, False),
    ("phq9", 15, 10, True),
    ("phq9", 15, 11, False),
    ("eq5d5l", 0.40, 0.46, True),
    ("eq5d5l", 0.20, 0.259, False),
    ("eq5d5l", -0.1, -0.04, True),
    ("eq5d5l", 0.5, 0.44, False),
]


@pytest.mark.parametrize(("code", "baseline", "follow_up", "meets"), CASES)
def test_meets_mcid(code: str, baseline: float, follow_up: float, meets: bool) -> None:
    t = mcid.threshold(code)
    assert t is not None
    assert mcid.meets(t, baseline, follow_up) is meets


@pytest.mark.parametrize(
    ("code", "points", "higher_is_better"),
    [
        ("nrs", 2, False),
        ("odi", 10, False),
        ("ndi", 5, False),
        ("rmdq", 5, False),
        ("gad7", 4, False),
        ("phq9", 5, False),
        ("eq5d5l", 0.06, True),
    ],
)
def test_thresholds(code: str, points: float, higher_is_better: bool) -> None:
    t = mcid.threshold(code)
    assert t is not None
    assert (t.points, t.higher_is_better) == (pytest.approx(points), higher_is_better)


@pytest.mark.parametrize("code", ["sqs", "pgic", "bpi"])
def test_no_mcid_on_the_primary_score(code: str) -> None:
    assert mcid.threshold(code) is None


GRID = {
    "nrs": [float(v) for v in range(11)],
    "gad7": [float(v) for v in range(0, 22, 3)],
    "phq9": [float(v) for v in range(0, 28, 3)],
    "odi": [float(v) for v in range(0, 101, 6)],
    "eq5d5l": [-0.2, 0.0, 0.2, 0.259, 0.26, 0.4, 0.44, 0.46, 0.52, 0.7, 1.0],
}


@pytest.mark.parametrize("code", sorted(GRID))
def test_registry_agrees_with_the_clinical_core_on_every_pair(code: str) -> None:
    """The registry's SQL rule and the clinic's ``outcomes.change`` give the same answer."""
    outcomes = pytest.importorskip("painpath.clinical.outcomes")
    t = mcid.threshold(code)
    assert t is not None
    for baseline in GRID[code]:
        for follow_up in GRID[code]:
            core = outcomes.change(code, baseline, follow_up).meets_mcid_points
            assert mcid.meets(t, baseline, follow_up) is bool(core), (baseline, follow_up)
