"""Oswestry Disability Index (ODI) v2.1a, 10 sections 0-5.

Source: Fairbank JCT, Pynsent PB. The Oswestry Disability Index. Spine 2000;25:2940-53.
Score % = total / (5 x number of sections answered) x 100, so a missed section is left out of
the denominator (Fairbank & Pynsent's own worked example: 16 points with one section missing =
16 / 45 x 100 = 35.6%). Bands: 0-20 minimal disability, 21-40 moderate, 41-60 severe,
61-80 crippled, 81-100 bed-bound.

Policies (CLINICAL.md; hazard log): at least 8 of the 10 sections must be answered, otherwise
the response is refused rather than scored; a non-integer percentage between two bands (e.g.
20.5%) takes the higher (worse) band, so upper bounds are 20, 40, 60 and 80 inclusive.
MCID 10 points or 30% (Ostelo RW et al. Spine 2008;33:90-4).

Licence: Mapi Research Trust; wording not shipped. Section names are neutral labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments.base import (
    NO_FLAGS,
    NO_SUBSCORES,
    Band,
    Instrument,
    Item,
    Mcid,
    Score,
    Validator,
    scale,
)

CODE = "odi"
MIN_ANSWERED = 8
OPTIONS = scale(0, 5, {0: "0 (least limitation)", 5: "5 (greatest limitation)"})
ITEMS: tuple[Item, ...] = tuple(
    Item(f"odi_{i}", name, OPTIONS)
    for i, name in enumerate(
        (
            "Pain intensity",
            "Personal care",
            "Lifting",
            "Walking",
            "Sitting",
            "Standing",
            "Sleeping",
            "Sex life",
            "Social life",
            "Travelling",
        ),
        start=1,
    )
)
BANDS = (
    Band("minimal", 0, 20),
    Band("moderate", 21, 40),
    Band("severe", 41, 60),
    Band("crippled", 61, 80),
    Band("bed_bound", 81, 100),
)
_V = Validator(CODE, ITEMS)


def odi_band(percent: float) -> str:
    """Fairbank & Pynsent band; a value between two integer bands takes the worse one."""
    if percent <= 20:
        return "minimal"
    if percent <= 40:
        return "moderate"
    if percent <= 60:
        return "severe"
    if percent <= 80:
        return "crippled"
    return "bed_bound"


def too_few_answered(code: str, items: tuple[Item, ...], a: Sequence[object], need: int) -> None:
    """Refuse a response with fewer than ``need`` answered items, naming the unanswered ones."""
    missing = [it.code for it, v in zip(items, a, strict=True) if v is None]
    values = items[0].values
    raise InvalidInput(
        f"{code}: {len(items) - len(missing)} of {len(items)} items answered, at least {need} "
        f"needed; unanswered: {', '.join(missing)} (each an integer {values[0]}-{values[-1]})",
        field=missing[0],
    )


def score_odi(answers: Sequence[object]) -> Score:
    """ODI percentage over the answered sections (Fairbank & Pynsent 2000)."""
    a, answered = _V.partial(answers)
    if answered == 10:
        total = sum(a)  # type: ignore[arg-type]
    else:
        if answered < MIN_ANSWERED:
            too_few_answered(CODE, ITEMS, a, MIN_ANSWERED)
        total = sum(v for v in a if v is not None)
    percent = total * 20 / answered  # = total / (5 x answered) x 100, exact for whole results
    return Score(CODE, percent, odi_band(percent), NO_SUBSCORES, NO_FLAGS, answered == 10)


INSTRUMENT = Instrument(
    code=CODE,
    title="Oswestry Disability Index v2.1a",
    items=ITEMS,
    min_value=0.0,
    max_value=100.0,
    higher_is_better=False,
    licence="Mapi Research Trust: clinic licence needed for the wording; wording not shipped",
    full_text_allowed=False,
    source="Fairbank JCT, Pynsent PB. Spine 2000;25:2940-53",
    mcid=Mcid(points=10, percent=30, source="Ostelo RW et al. Spine 2008;33:90-4"),
    bands=BANDS,
    missing_rule="at least 8 of 10 sections; % over the answered sections",
    scorer=score_odi,
)
