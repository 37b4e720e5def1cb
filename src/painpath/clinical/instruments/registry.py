"""The registry of instruments: every questionnaire painpath scores, by code.

Why a static tuple rather than discovery: the list is a clinical decision (each instrument is
validated against its source before it is added), so adding one is an explicit, reviewed edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments import (
    bpi,
    dn4,
    eq5d5l,
    gad7,
    ndi,
    nrs,
    odi,
    paindetect,
    pgic,
    phq9,
    pseq,
    rmdq,
    sqs,
    startback,
)
from painpath.clinical.instruments.base import Instrument, Score, Scorer

INSTRUMENTS: tuple[Instrument, ...] = (
    startback.INSTRUMENT,
    odi.INSTRUMENT,
    ndi.INSTRUMENT,
    rmdq.INSTRUMENT,
    bpi.INSTRUMENT,
    gad7.INSTRUMENT,
    phq9.INSTRUMENT,
    sqs.INSTRUMENT,
    pgic.INSTRUMENT,
    nrs.INSTRUMENT,
    eq5d5l.INSTRUMENT,
    paindetect.INSTRUMENT,
    dn4.INSTRUMENT,
    pseq.INSTRUMENT,
)

BY_CODE: Mapping[str, Instrument] = MappingProxyType({i.code: i for i in INSTRUMENTS})
_SCORERS: dict[str, Scorer] = {i.code: i.scorer for i in INSTRUMENTS}


def _unknown(code: object) -> InvalidInput:
    known = ", ".join(sorted(BY_CODE))
    return InvalidInput(f"unknown instrument {code!r}; known: {known}", field="instrument")


def get(code: str) -> Instrument:
    """The instrument with this code; InvalidInput naming the known codes otherwise."""
    if code.__class__ is str:
        inst = BY_CODE.get(code)
        if inst is not None:
            return inst
    raise _unknown(code)


def all_instruments() -> tuple[Instrument, ...]:
    """Every instrument, in a stable order."""
    return INSTRUMENTS


def score(code: str, answers: Sequence[object]) -> Score:
    """Score one response: ``answers`` in published item order, ``None`` where unanswered.

    Raises InvalidInput (naming the item and the allowed values) for an unknown code, a wrong
    number of answers, a code outside an item's options or too many unanswered items. Never
    returns a partial score.
    """
    if code.__class__ is str:
        scorer = _SCORERS.get(code)
        if scorer is not None:
            return scorer(answers)
    raise _unknown(code)
