"""Patient Global Impression of Change (PGIC), one item 1-7.

Source: NINDS Common Data Elements (7-point PGIC); Farrar JT et al. Clinical importance of
changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain
2001;94:149-58 ("much improved" or "very much improved" is the clinically important response).
1 very much improved ... 4 no change ... 7 very much worse. Answers 1-2 raise ``pgic_responder``.

Licence: public domain (NINDS CDE); full wording shipped.
"""

from __future__ import annotations

from painpath.clinical.instruments.base import Band, Instrument, Item, Option
from painpath.clinical.instruments.summed import summed_scorer

CODE = "pgic"
RESPONDER_FLAG = "pgic_responder"
OPTIONS = (
    Option(1, "Very much improved"),
    Option(2, "Much improved"),
    Option(3, "Minimally improved"),
    Option(4, "No change"),
    Option(5, "Minimally worse"),
    Option(6, "Much worse"),
    Option(7, "Very much worse"),
)
ITEMS: tuple[Item, ...] = (
    Item(
        "pgic_1",
        "Since the start of your treatment, how would you describe the change (if any) in "
        "your overall status?",
        OPTIONS,
    ),
)
BANDS = tuple(
    Band(code, v, v)
    for v, code in enumerate(
        (
            "very_much_improved",
            "much_improved",
            "minimally_improved",
            "no_change",
            "minimally_worse",
            "much_worse",
            "very_much_worse",
        ),
        start=1,
    )
)


INSTRUMENT = Instrument(
    code=CODE,
    title="Patient Global Impression of Change (7-point)",
    items=ITEMS,
    min_value=1,
    max_value=7,
    higher_is_better=False,
    licence="Public domain (NINDS CDE); full wording shipped",
    full_text_allowed=True,
    source="NINDS Common Data Elements; Farrar JT et al. Pain 2001;94:149-58",
    mcid=None,
    bands=BANDS,
    flags=(RESPONDER_FLAG,),
    scorer=summed_scorer(CODE, ITEMS, BANDS, 1, 7, ((1, 2, RESPONDER_FLAG),)),
)
