"""Pain intensity numeric rating scale (NRS), one item 0-10.

Source: common convention for 0-10 pain NRS bands (none 0, mild 1-3, moderate 4-6, severe 7-10).
MCID 2 points or 30%, substantial >= 50% (Farrar JT et al. Pain 2001;94:149-58; Dworkin RH et al.
IMMPACT, J Pain 2008;9:105-21).

Licence: public domain; full wording shipped.
"""

from __future__ import annotations

from painpath.clinical.instruments.base import Band, Instrument, Item, Mcid, scale
from painpath.clinical.instruments.summed import summed_scorer

CODE = "nrs"
ITEMS: tuple[Item, ...] = (
    Item(
        "nrs_1",
        "On a scale of 0 to 10, where 0 is no pain and 10 is the worst pain imaginable, how "
        "would you rate your pain on average over the last week?",
        scale(0, 10, {0: "0 (no pain)", 10: "10 (worst pain imaginable)"}),
    ),
)
BANDS = (
    Band("none", 0, 0),
    Band("mild", 1, 3),
    Band("moderate", 4, 6),
    Band("severe", 7, 10),
)

INSTRUMENT = Instrument(
    code=CODE,
    title="Pain intensity numeric rating scale (0-10)",
    items=ITEMS,
    min_value=0,
    max_value=10,
    higher_is_better=False,
    licence="Public domain; full wording shipped",
    full_text_allowed=True,
    source="Common convention; Farrar JT et al. Pain 2001;94:149-58; IMMPACT (Dworkin 2008)",
    mcid=Mcid(
        points=2,
        percent=30,
        substantial_percent=50,
        source="Farrar JT et al. Pain 2001;94:149-58; Dworkin RH et al. J Pain 2008;9:105-21",
    ),
    bands=BANDS,
    scorer=summed_scorer(CODE, ITEMS, BANDS, 0, 10),
)
