"""Shared scoring for instruments whose score is the plain sum of complete items.

Used by RMDQ, GAD-7, PHQ-9, DN4 and PSEQ (and the single-item NRS, SQS, PGIC): each module keeps
its own items, bands, flags and source; this only avoids repeating the same three lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.instruments.base import (
    NO_FLAGS,
    NO_SUBSCORES,
    Band,
    Item,
    Score,
    Scorer,
    Validator,
    band_table,
)


def summed_scorer(
    code: str,
    items: tuple[Item, ...],
    bands: Sequence[Band],
    low: int,
    high: int,
    flag_ranges: Sequence[tuple[int, int, str]] = (),
) -> Scorer:
    """A scorer: every item required; value = sum; band by table; a flag for each
    ``(low, high, flag)`` range (inclusive) the total falls in."""
    validator = Validator(code, items)
    table = band_table(bands, low, high)
    flag_table: tuple[tuple[str, ...], ...] = tuple(
        tuple(flag for lo, hi, flag in flag_ranges if lo <= v <= hi) or NO_FLAGS
        for v in range(low, high + 1)
    )
    complete = validator.complete

    def scorer(answers: Sequence[object]) -> Score:
        total = sum(complete(answers))
        return Score(code, total, table[total - low], NO_SUBSCORES, flag_table[total - low], True)

    scorer.__doc__ = f"Sum of the {len(items)} {code} items ({low}-{high}); band and flags."
    return scorer
