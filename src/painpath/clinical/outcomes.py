"""Change between two scores of one instrument, judged against its MCID (CLINICAL.md section 2).

Thresholds (each instrument's ``mcid``): NRS 2 points or 30%, substantial >= 50% (Farrar 2001;
IMMPACT, Dworkin 2008); ODI 10 points or 30% and RMDQ 5 points or 30% (Ostelo 2008); NDI 5 points
(Vernon 2008); BPI interference 1 point (IMMPACT); GAD-7 4 points (Toussaint 2020); PHQ-9 5 points
(Lowe 2004); EQ-5D-5L index 0.06 (policy, to confirm). Improvement is a decrease except where the
instrument's ``higher_is_better`` (SQS, PSEQ, EQ-5D-5L).

Category policy (ADR 0012), only for instruments with an MCID:
``substantial`` improvement >= the substantial percentage (NRS 50%); ``moderate`` improvement
meets the MCID in points or percent; ``minimal`` improved but below the MCID; ``worse`` worsened
by at least the MCID points; ``none`` otherwise (no change, or a worsening below the MCID).
Percentages are relative to the baseline and are None when the baseline is 0 or below (a
relative change from 0, or from a negative EQ-5D index, means nothing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments import Instrument, Score, get
from painpath.clinical.instruments.base import Number

#: Tolerance for comparing float differences with thresholds (EQ-5D: 0.700 - 0.640 = 0.0599...).
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Change:
    """Follow-up minus baseline, direction-aware, with the MCID judgement."""

    instrument: str
    measure: str
    baseline: Number
    follow_up: Number
    change: Number
    percent_change: float | None
    improved: bool
    meets_mcid_points: bool | None
    meets_mcid_percent: bool | None
    category: str | None

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


def _value(inst: Instrument, measure: str, which: str, x: object) -> Number:
    if isinstance(x, Score):
        if x.instrument != inst.code:
            raise InvalidInput(
                f"{which}: a {x.instrument} score cannot be compared on {inst.code}", field=which
            )
        got = x.value if measure == "value" else x.subscores.get(measure)
        if got is None:
            raise InvalidInput(f"{which}: {inst.code} {measure} was not scored", field=which)
        return got
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        raise InvalidInput(
            f"{which}: expected a number {inst.min_value} to {inst.max_value}, got {x!r}",
            field=which,
        )
    v: Number = float(x) if isinstance(x, float) else int(x)
    if not inst.min_value <= v <= inst.max_value:
        raise InvalidInput(
            f"{which}: {v!r} is outside the {inst.code} range {inst.min_value} to {inst.max_value}",
            field=which,
        )
    return v


def change(
    code: str, baseline: Number | Score, follow_up: Number | Score, measure: str | None = None
) -> Change:
    """Change from ``baseline`` to ``follow_up`` (numbers or Scores of instrument ``code``).

    ``measure`` defaults to the quantity the instrument's MCID is defined on: the primary value,
    except BPI (``interference``). For BPI, numbers are therefore interference means; pass
    Scores, or ``measure="value"`` for severity (which has no MCID here).
    """
    inst = get(code)
    mcid = inst.mcid
    default = mcid.measure if mcid is not None else "value"
    measure = default if measure is None else measure
    measures = ("value",) if default == "value" else ("value", default)
    if measure not in measures:
        raise InvalidInput(
            f"measure: {measure!r} is not a {code} change measure; allowed: {', '.join(measures)}",
            field="measure",
        )
    b = _value(inst, measure, "baseline", baseline)
    f = _value(inst, measure, "follow_up", follow_up)
    diff: Number = f - b
    if isinstance(diff, float):
        diff = round(diff, 9)
    improvement = diff if inst.higher_is_better else -diff
    percent = round(diff / b * 100, 9) if b > 0 else None
    improvement_percent = (
        None if percent is None else (percent if inst.higher_is_better else -percent)
    )

    applies = mcid is not None and measure == mcid.measure
    points_ok: bool | None = None
    percent_ok: bool | None = None
    category: str | None = None
    if applies and mcid is not None:
        if mcid.points is not None:
            points_ok = improvement >= mcid.points - _EPS
        if mcid.percent is not None and improvement_percent is not None:
            percent_ok = improvement_percent >= mcid.percent - _EPS
        if (
            mcid.substantial_percent is not None
            and improvement_percent is not None
            and improvement_percent >= mcid.substantial_percent - _EPS
        ):
            category = "substantial"
        elif points_ok or percent_ok:
            category = "moderate"
        elif improvement > 0:
            category = "minimal"
        elif mcid.points is not None and -improvement >= mcid.points - _EPS:
            category = "worse"
        else:
            category = "none"
    return Change(
        instrument=code,
        measure=measure,
        baseline=b,
        follow_up=f,
        change=diff,
        percent_change=percent,
        improved=improvement > 0,
        meets_mcid_points=points_ok,
        meets_mcid_percent=percent_ok,
        category=category,
    )
