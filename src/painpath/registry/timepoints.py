"""Registry time: months since treatment start, follow-up windows and 5-year age bands.

Dates never leave the clinic: every event is expressed as months since the patient's treatment
start (ADR 0082), published as whole months so that no exact day offset between two events (which
could be matched against a known visit or hospital stay) leaves the clinic. A response is assigned
(inside the clinic, on the exact interval) to the scheduled timepoint whose window contains it; the
windows are contiguous and follow the follow-up schedule of DESIGN.md (1, 3, 6, 12 months, then
6-monthly), reported at 1, 3, 6, 12, 18 and 24 months as in the UK Medical Cannabis Registry papers
(e.g. Erridge et al. 2023, Neuropsychopharmacol Rep 43:616).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import numpy.typing as npt

#: Scheduled timepoints in months since treatment start; 0 is the baseline.
TIMEPOINTS: tuple[int, ...] = (0, 1, 3, 6, 12, 18, 24)
FOLLOW_UP_TIMEPOINTS: tuple[int, ...] = TIMEPOINTS[1:]

#: Window (start inclusive, end exclusive, in months) assigned to each timepoint. The baseline
#: accepts responses up to 3 months before treatment start and 2 weeks after it (policy).
TIMEPOINT_WINDOWS: dict[int, tuple[float, float]] = {
    0: (-3.0, 0.5),
    1: (0.5, 2.0),
    3: (2.0, 4.5),
    6: (4.5, 9.0),
    12: (9.0, 15.0),
    18: (15.0, 21.0),
    24: (21.0, 30.0),
}

#: Mean Gregorian month in days (365.2425 / 12).
DAYS_PER_MONTH = 30.436875

#: Width of an age band in years, and the open top band ("90+").
AGE_BAND_WIDTH = 5
AGE_BAND_TOP = 90


def months_between(start: dt.date, day: dt.date) -> float:
    """Exact months from ``start`` to ``day`` (negative before it); used inside the clinic only."""
    return (day - start).days / DAYS_PER_MONTH


def published_months(months: float) -> int:
    """Whole months for publication: nearest whole month, halves away from zero.

    >>> [published_months(m) for m in (-0.6, -0.4, 0.0, 0.49, 0.5, 1.5, 11.4)]
    [-1, 0, 0, 0, 1, 2, 11]
    """
    magnitude = math.floor(abs(months) + 0.5)
    return int(math.copysign(magnitude, months)) if magnitude else 0


def assign_timepoint(months: float) -> int | None:
    """The scheduled timepoint whose window contains ``months``, or None outside every window."""
    for timepoint, (low, high) in TIMEPOINT_WINDOWS.items():
        if low <= months < high:
            return timepoint
    return None


def assign_timepoints(months: npt.NDArray[np.floating]) -> npt.NDArray[np.int8]:
    """Vectorised ``assign_timepoint``: -1 where outside every window."""
    out = np.full(months.shape, -1, dtype=np.int8)
    for timepoint, (low, high) in TIMEPOINT_WINDOWS.items():
        out[(months >= low) & (months < high)] = timepoint
    return out


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in completed years on ``day``."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def age_band(age: int) -> str:
    """5-year band such as ``"45-49"``; ``"90+"`` at the top, ``"0-4"`` at the bottom."""
    if age < 0:
        raise ValueError(f"age must be >= 0, got {age}")
    if age >= AGE_BAND_TOP:
        return f"{AGE_BAND_TOP}+"
    low = (age // AGE_BAND_WIDTH) * AGE_BAND_WIDTH
    return f"{low}-{low + AGE_BAND_WIDTH - 1}"


AGE_BANDS: tuple[str, ...] = tuple(age_band(a) for a in range(0, AGE_BAND_TOP + 1, AGE_BAND_WIDTH))
