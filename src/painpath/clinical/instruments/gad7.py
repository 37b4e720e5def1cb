"""GAD-7 generalised anxiety disorder scale, 7 items 0-3.

Source: Spitzer RL, Kroenke K, Williams JBW, Lowe B. A brief measure for assessing generalized
anxiety disorder: the GAD-7. Arch Intern Med 2006;166:1092-7. Total 0-21; cut-points 5, 10 and 15
for mild, moderate and severe anxiety; >= 10 is the recommended cut-point for further evaluation
(flag ``gad7_positive_screen``). MCID 4 points (Toussaint A et al. J Affect Disord
2020;265:395-401).

Licence: free to use, no permission required (Pfizer); full wording shipped.
"""

from __future__ import annotations

from painpath.clinical.instruments.base import Band, Instrument, Item, Mcid, Option
from painpath.clinical.instruments.summed import summed_scorer

CODE = "gad7"
STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"
OPTIONS = (
    Option(0, "Not at all"),
    Option(1, "Several days"),
    Option(2, "More than half the days"),
    Option(3, "Nearly every day"),
)
ITEMS: tuple[Item, ...] = tuple(
    Item(f"gad7_{i}", text, OPTIONS)
    for i, text in enumerate(
        (
            "Feeling nervous, anxious or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid as if something awful might happen",
        ),
        start=1,
    )
)
BANDS = (
    Band("minimal", 0, 4),
    Band("mild", 5, 9),
    Band("moderate", 10, 14),
    Band("severe", 15, 21),
)
POSITIVE_SCREEN = 10
POSITIVE_FLAG = "gad7_positive_screen"

INSTRUMENT = Instrument(
    code=CODE,
    title="Generalised Anxiety Disorder 7-item scale (GAD-7)",
    items=ITEMS,
    min_value=0,
    max_value=21,
    higher_is_better=False,
    licence="Free to use without permission (Pfizer); full wording shipped",
    full_text_allowed=True,
    source="Spitzer RL et al. Arch Intern Med 2006;166:1092-7",
    mcid=Mcid(points=4, percent=None, source="Toussaint A et al. J Affect Disord 2020"),
    bands=BANDS,
    flags=(POSITIVE_FLAG,),
    scorer=summed_scorer(CODE, ITEMS, BANDS, 0, 21, ((POSITIVE_SCREEN, 21, POSITIVE_FLAG),)),
)
