"""The validated questionnaire library (CLINICAL.md section 2).

``score(code, answers) -> Score``, ``get(code) -> Instrument`` and ``all_instruments()``. One
module per instrument holds its items, scoring, bands, flags, MCID, licence and source.
"""

from painpath.clinical.instruments.base import Band, Instrument, Item, Mcid, Option, Score
from painpath.clinical.instruments.registry import all_instruments, get, score

__all__ = [
    "Band",
    "Instrument",
    "Item",
    "Mcid",
    "Option",
    "Score",
    "all_instruments",
    "get",
    "score",
]
