"""Registry time: timepoint windows, months since treatment start and 5-year age bands.

Source: the follow-up schedule of DESIGN.md (1, 3, 6, 12 months, then 6-monthly) as reported by
the UK Medical Cannabis Registry (1, 3, 6, 12, 18, 24 months); windows are project policy
(ADR 0082), contiguous so every response between 3 months before and 30 months after start has
exactly one timepoint. Timepoints are assigned on the exact interval; the extract publishes whole
months only.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from painpath.registry.timepoints import (
    TIMEPOINT_WINDOWS,
    TIMEPOINTS,
    age_band,
    age_on,
    assign_timepoint,
    assign_timepoints,
    months_between,
    published_months,
)

WINDOW_CASES = [
    (-3.1, None),
    (-3.0, 0),
    (-0.2, 0),
    (0.0, 0),
    (0.4, 0),
    (0.5, 1),
    (1.9, 1),
    (2.0, 3),
    (4.4, 3),
    (4.5, 6),
    (8.9, 6),
    (9.0, 12),
    (14.9, 12),
    (15.0, 18),
    (20.9, 18),
    (21.0, 24),
    (29.9, 24),
    (30.0, None),
    (40.0, None),
]


@pytest.mark.parametrize(("months", "timepoint"), WINDOW_CASES)
def test_assign_timepoint(months: float, timepoint: int | None) -> None:
    assert assign_timepoint(months) == timepoint
    vectorised = assign_timepoints(np.array([months]))[0]
    assert vectorised == (-1 if timepoint is None else timepoint)


def test_windows_are_contiguous_and_cover_every_timepoint() -> None:
    assert tuple(TIMEPOINT_WINDOWS) == TIMEPOINTS == (0, 1, 3, 6, 12, 18, 24)
    bounds = list(TIMEPOINT_WINDOWS.values())
    for (_, high), (low, _) in itertools.pairwise(bounds):
        assert high == low
    for t, (low, high) in TIMEPOINT_WINDOWS.items():
        assert low <= t < high


@pytest.mark.parametrize(
    ("start", "day", "exact", "published"),
    [
        ("2025-01-10", "2025-01-10", 0.0, 0),
        ("2025-01-10", "2025-01-05", -5 / 30.436875, 0),
        ("2025-01-10", "2024-12-20", -21 / 30.436875, -1),
        ("2025-01-10", "2025-01-24", 14 / 30.436875, 0),  # 2 weeks: baseline window, month 0
        ("2025-01-10", "2025-01-26", 16 / 30.436875, 1),
        ("2025-01-10", "2025-02-09", 30 / 30.436875, 1),
        ("2025-01-10", "2026-01-10", 365 / 30.436875, 12),
        ("2024-02-29", "2026-02-28", 730 / 30.436875, 24),
    ],
)
def test_months_between_and_published_whole_months(
    start: str, day: str, exact: float, published: int
) -> None:
    months = months_between(dt.date.fromisoformat(start), dt.date.fromisoformat(day))
    assert months == pytest.approx(exact, rel=1e-12)
    assert published_months(months) == published


def test_days_a_few_apart_publish_the_same_month() -> None:
    """No exact day offset leaves the clinic: 30 consecutive days publish as one month."""
    start = dt.date(2025, 1, 10)
    published = {
        published_months(months_between(start, start + dt.timedelta(days=d))) for d in range(46, 76)
    }
    assert published == {2}


@pytest.mark.parametrize(
    ("months", "published"),
    [(-0.6, -1), (-0.5, -1), (-0.4, 0), (0.0, 0), (0.49, 0), (0.5, 1), (1.5, 2), (11.4, 11)],
)
def test_published_months_rounds_halves_away_from_zero(months: float, published: int) -> None:
    assert published_months(months) == published


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-4"),
        (4, "0-4"),
        (18, "15-19"),
        (45, "45-49"),
        (49, "45-49"),
        (50, "50-54"),
        (89, "85-89"),
        (90, "90+"),
        (104, "90+"),
    ],
)
def test_age_band(age: int, band: str) -> None:
    assert age_band(age) == band


def test_age_on_counts_completed_years() -> None:
    dob = dt.date(1961, 3, 15)
    assert age_on(dob, dt.date(2025, 3, 14)) == 63
    assert age_on(dob, dt.date(2025, 3, 15)) == 64


def test_negative_age_is_refused() -> None:
    with pytest.raises(ValueError, match="age must be >= 0"):
        age_band(-1)
