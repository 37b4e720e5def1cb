"""Minimal clinically important differences (MCIDs) for the registry's "% reaching the MCID".

The thresholds come from the clinical core (``painpath.clinical.instruments``: each Instrument's
``mcid`` and ``higher_is_better``) so the registry and the clinic agree on what counts as a
meaningful change. CLINICAL.md section 2: NRS 2 points (Farrar 2001; IMMPACT), ODI 10 (Ostelo
2008), NDI 5 (Vernon), RMDQ 5 (Ostelo 2008), GAD-7 4 (Toussaint 2020), PHQ-9 5 (Lowe 2004),
EQ-5D-5L index 0.06 (policy). Improvement is a decrease except for SQS, PSEQ and EQ-5D-5L. The
registry uses the points threshold on the primary score; an instrument whose MCID is on a
subscore (BPI: interference) or that has none reports no % reaching the MCID.

A change meets the MCID when the improvement, in points, is at least the MCID; comparisons allow
``TOLERANCE`` for floating-point noise (0.46 - 0.40 must count as 0.06).
"""

from __future__ import annotations

from dataclasses import dataclass

from painpath.clinical import InvalidInput
from painpath.clinical import instruments as core

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


def threshold(code: str) -> Threshold | None:
    """The MCID threshold for ``code``, or None when undefined on its primary score (or unknown)."""
    try:
        instrument = core.get(code)
    except InvalidInput:
        return None
    mcid = instrument.mcid
    if mcid is None or mcid.measure != "value" or mcid.points is None:
        return None
    return Threshold(code, float(mcid.points), bool(instrument.higher_is_better))


def known_instruments() -> list[str]:
    """Every instrument code the clinical core defines."""
    return sorted(i.code for i in core.all_instruments())


def thresholds(codes: list[str]) -> dict[str, Threshold]:
    found = {code: threshold(code) for code in codes}
    return {code: t for code, t in found.items() if t is not None}


def meets(t: Threshold, baseline: float, follow_up: float) -> bool:
    """True when the change from ``baseline`` is an improvement of at least the MCID."""
    return t.direction * (follow_up - baseline) >= t.points - TOLERANCE
