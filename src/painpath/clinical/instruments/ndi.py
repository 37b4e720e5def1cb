"""Neck Disability Index (NDI), 10 items 0-5.

Source: Vernon H, Mior S. The Neck Disability Index: a study of reliability and validity.
J Manipulative Physiol Ther 1991;14:409-15; Vernon H. The Neck Disability Index: state-of-the-art,
1991-2008. JMPT 2008;31:491-502. Raw score 0-50 (subscore ``percent`` = raw x 2). Bands (raw):
0-4 no disability, 5-14 mild, 15-24 moderate, 25-34 severe, >= 35 complete. MCID 5 points.

Missing items (Vernon 2008): the raw score is prorated, sum + mean of answered items x number
missing (= sum x 10 / answered). Policy: at least 8 of 10 answered; a prorated, non-integer raw
score between two bands takes the higher (worse) band; a complete response's value is an int,
a prorated one a float.

Licence: Vernon (Mapi); wording not shipped. Item names are neutral labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.instruments.base import (
    NO_FLAGS,
    Band,
    Instrument,
    Item,
    Mcid,
    Number,
    Score,
    Validator,
    scale,
)
from painpath.clinical.instruments.odi import too_few_answered

CODE = "ndi"
MIN_ANSWERED = 8
OPTIONS = scale(0, 5, {0: "0 (least limitation)", 5: "5 (greatest limitation)"})
ITEMS: tuple[Item, ...] = tuple(
    Item(f"ndi_{i}", name, OPTIONS)
    for i, name in enumerate(
        (
            "Pain intensity",
            "Personal care",
            "Lifting",
            "Reading",
            "Headaches",
            "Concentration",
            "Work",
            "Driving",
            "Sleeping",
            "Recreation",
        ),
        start=1,
    )
)
BANDS = (
    Band("none", 0, 4),
    Band("mild", 5, 14),
    Band("moderate", 15, 24),
    Band("severe", 25, 34),
    Band("complete", 35, 50),
)
_V = Validator(CODE, ITEMS)


def ndi_band(raw: Number) -> str:
    """Vernon & Mior band on the raw score; a prorated value between bands takes the worse."""
    if raw <= 4:
        return "none"
    if raw <= 14:
        return "mild"
    if raw <= 24:
        return "moderate"
    if raw <= 34:
        return "severe"
    return "complete"


def score_ndi(answers: Sequence[object]) -> Score:
    """NDI raw score (prorated when 1-2 items are missing) and percentage."""
    a, answered = _V.partial(answers)
    raw: Number
    if answered == 10:
        raw = sum(a)  # type: ignore[arg-type]
    else:
        if answered < MIN_ANSWERED:
            too_few_answered(CODE, ITEMS, a, MIN_ANSWERED)
        raw = sum(v for v in a if v is not None) * 10 / answered
    return Score(CODE, raw, ndi_band(raw), {"percent": raw * 2.0}, NO_FLAGS, answered == 10)


INSTRUMENT = Instrument(
    code=CODE,
    title="Neck Disability Index",
    items=ITEMS,
    min_value=0,
    max_value=50,
    higher_is_better=False,
    licence="Vernon / Mapi: clinic licence needed for the wording; wording not shipped",
    full_text_allowed=False,
    source="Vernon H, Mior S. JMPT 1991;14:409-15; Vernon H. JMPT 2008;31:491-502",
    mcid=Mcid(points=5, percent=None, source="Vernon H. JMPT 2008;31:491-502"),
    bands=BANDS,
    missing_rule="at least 8 of 10 items; raw score prorated (sum x 10 / answered)",
    scorer=score_ndi,
)
