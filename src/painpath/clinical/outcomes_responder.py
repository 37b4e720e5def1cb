"""Responder status and MCID-marked trajectories for one patient's scores of one instrument.

Pure: plain values in, plain values out. Every judgement of change is made by
``painpath.clinical.outcomes.change`` (CLINICAL.md section 2 MCIDs: Farrar 2001 and IMMPACT for
NRS, Ostelo 2008 for ODI/RMDQ, Vernon for NDI, IMMPACT for BPI interference, Toussaint 2020 for
GAD-7, Lowe 2004 for PHQ-9); this module only decides which two points to compare:

* a trajectory marks each follow-up point against the BASELINE (the first point), as IMMPACT
  recommends for individual responder analysis (Dworkin 2008): change from baseline, not from the
  previous visit, so small steps cannot add up unseen;
* responder status compares the baseline with the LATEST point: ``responder`` when the change
  meets the MCID (category ``moderate`` or ``substantial``), ``worse`` when it is worse by at least
  the MCID, ``non_responder`` otherwise;
* PGIC has no baseline: a patient is a responder when their latest PGIC is 1-2 ("very much" or
  "much improved"; NINDS CDE, Farrar 2001; CLINICAL.md section 2);
* an instrument without an MCID (SQS, PSEQ, STarT Back ...) is ``not_applicable``; fewer than two
  points is ``insufficient_data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from painpath.clinical.instruments import get
from painpath.clinical.instruments.base import Number
from painpath.clinical.outcomes import Change, change

RESPONDER = "responder"
NON_RESPONDER = "non_responder"
WORSE = "worse"
INSUFFICIENT_DATA = "insufficient_data"
NOT_APPLICABLE = "not_applicable"

#: PGIC codes counted as response: 1 very much improved, 2 much improved (Farrar 2001).
PGIC_RESPONDER_VALUES = frozenset({1, 2})
#: Change categories that meet the MCID (see painpath.clinical.outcomes).
_MEETS_MCID = frozenset({"moderate", "substantial"})


@dataclass(frozen=True, slots=True)
class Point:
    """One marked point of a trajectory: its value and its change from baseline (None at it)."""

    value: Number
    change: Change | None

    @property
    def marker(self) -> str | None:
        """``improved`` or ``worse`` when the change from baseline is beyond the MCID, else None."""
        if self.change is None or self.change.category is None:
            return None
        if self.change.category in _MEETS_MCID:
            return "improved"
        if self.change.category == "worse":
            return "worse"
        return None


@dataclass(frozen=True, slots=True)
class Responder:
    """Responder status of one instrument: status code, the change it rests on, and why."""

    instrument: str
    measure: str
    status: str
    change: Change | None
    reason: str


def mcid_measure(code: str) -> str | None:
    """The quantity the instrument's MCID is defined on (``value``; BPI ``interference``)."""
    mcid = get(code).mcid
    return None if mcid is None else mcid.measure


def trajectory(code: str, values: Sequence[Number], measure: str | None = None) -> list[Point]:
    """Each value (in time order) with its change from the first value, judged on the MCID.

    ``measure`` names what the values are (default: the MCID measure, else ``value``); changes are
    only judged when the values are the MCID measure.
    """
    default = mcid_measure(code) or "value"
    measure = default if measure is None else measure
    if not values:
        return []
    base = values[0]
    points = [Point(base, None)]
    for v in values[1:]:
        points.append(Point(v, change(code, base, v, measure=measure)))
    return points


def responder_status(code: str, values: Sequence[Number]) -> Responder:
    """Responder status from values of the instrument's MCID measure, in time order."""
    if code == "pgic":
        if not values:
            return Responder(code, "value", INSUFFICIENT_DATA, None, "no PGIC answered yet")
        latest = values[-1]
        ok = latest in PGIC_RESPONDER_VALUES
        return Responder(
            code,
            "value",
            RESPONDER if ok else NON_RESPONDER,
            None,
            f"latest PGIC {latest}: responder when 1-2 (much or very much improved)",
        )
    measure = mcid_measure(code)
    if measure is None:
        return Responder(code, "value", NOT_APPLICABLE, None, f"{code} has no MCID")
    if len(values) < 2:
        return Responder(
            code, measure, INSUFFICIENT_DATA, None, "needs a baseline and a follow-up score"
        )
    ch = change(code, values[0], values[-1], measure=measure)
    if ch.category in _MEETS_MCID:
        status, why = RESPONDER, "improvement from baseline meets the MCID"
    elif ch.category == WORSE:
        status, why = WORSE, "worse than baseline by at least the MCID"
    else:
        status, why = NON_RESPONDER, "change from baseline is below the MCID"
    return Responder(code, measure, status, ch, f"{values[0]:g} -> {values[-1]:g}: {why}")


def is_deterioration(code: str, baseline: Number, follow_up: Number) -> Change | None:
    """The Change when ``follow_up`` is worse than ``baseline`` by at least the MCID, else None.

    ``baseline``/``follow_up`` are values of the MCID measure. Instruments without an MCID never
    deteriorate by this rule (there is no threshold to cross).
    """
    measure = mcid_measure(code)
    if measure is None:
        return None
    ch = change(code, baseline, follow_up, measure=measure)
    return ch if ch.category == WORSE else None
