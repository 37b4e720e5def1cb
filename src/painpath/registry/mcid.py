"""Minimal clinically important differences (MCIDs) for the registry's "% reaching the MCID".

The thresholds come from the clinical core (``painpath.clinical.instruments``: each Instrument's
``mcid`` and ``higher_is_better``) so the registry and the clinic agree on what counts as a
meaningful change. Where the core does not (yet) define an instrument, the values of CLINICAL.md
section 2 are used: NRS 2 points (Farrar 2001; IMMPACT), ODI 10 (Ostelo 2008), NDI 5 (Vernon),
RMDQ 5 (Ostelo 2008), GAD-7 4 (Toussaint 2020), PHQ-9 5 (Lowe 2004), EQ-5D-5L index 0.06
(policy). Improvement is a decrease except for SQS, PSEQ and EQ-5D-5L.

A change meets the MCID when the improvement, in points, is at least the MCID; comparisons allow
``TOLERANCE`` for floating-point noise (0.46 - 0.40 must count as 0.06).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Threshold:
    instrument: str
    points: float
    higher_is_better: bool

    @property
    def direction(self) -> int:
        """+1 when a rise is an improvement, -1 when a fall is."""
        return 1 if self.higher_is_better else -1


CLINICAL_MD: dict[str, Threshold] = {
    t.instrument: t
    for t in (
        Threshold("nrs", 2.0, False),
        Threshold("odi", 10.0, False),
        Threshold("ndi", 5.0, False),
        Threshold("rmdq", 5.0, False),
        Threshold("gad7", 4.0, False),
        Threshold("phq9", 5.0, False),
        Threshold("eq5d5l", 0.06, True),
    )
}
HIGHER_IS_BETTER = frozenset({"sqs", "pseq", "eq5d5l"})


def _core_instrument(code: str) -> Any | None:
    try:
        instruments = importlib.import_module("painpath.clinical.instruments")
        return instruments.get(code)
    except (ImportError, AttributeError, LookupError, ValueError):
        return None


def _points(mcid: Any) -> float | None:
    """Points threshold on the primary score; None when the MCID is on a subscore (BPI)."""
    if mcid is None or getattr(mcid, "measure", "value") != "value":
        return None
    if isinstance(mcid, int | float):
        return float(mcid)
    for name in ("points", "mcid_points", "value"):
        value = getattr(mcid, name, None)
        if isinstance(value, int | float):
            return float(value)
    return None


def threshold(code: str) -> Threshold | None:
    """The MCID threshold for ``code``, or None when undefined on its primary score.

    The clinical core decides for every instrument it defines; CLINICAL.md's table is used only
    for an instrument the core does not (yet) define.
    """
    instrument = _core_instrument(code)
    if instrument is None:
        return CLINICAL_MD.get(code)
    points = _points(getattr(instrument, "mcid", None))
    if points is None:
        return None
    return Threshold(code, points, bool(instrument.higher_is_better))


def known_instruments() -> list[str]:
    """Every instrument code the clinical core defines, plus CLINICAL.md's MCID table."""
    codes = set(CLINICAL_MD)
    try:
        instruments = importlib.import_module("painpath.clinical.instruments")
        codes |= {i.code for i in instruments.all_instruments()}
    except (ImportError, AttributeError):
        pass
    return sorted(codes)


def thresholds(codes: list[str]) -> dict[str, Threshold]:
    found = {code: threshold(code) for code in codes}
    return {code: t for code, t in found.items() if t is not None}


def meets(t: Threshold, baseline: float, follow_up: float) -> bool:
    """True when the change from ``baseline`` is an improvement of at least the MCID."""
    return t.direction * (follow_up - baseline) >= t.points - TOLERANCE
