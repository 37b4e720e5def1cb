"""Sleep Quality Scale (SQS), one item 0-10, higher is better.

Source: Snyder E, Cai B, DeMuro C, Morrison MF, Ball W. A new single-item sleep quality scale:
results of psychometric evaluation in patients with chronic primary insomnia and depression.
J Clin Sleep Med 2018;14(11):1849-57. Categories: 0 terrible, 1-3 poor, 4-6 fair, 7-9 good,
10 excellent.

Licence: free to use; full wording shipped.
"""

from __future__ import annotations

from painpath.clinical.instruments.base import Band, Instrument, Item, scale
from painpath.clinical.instruments.summed import summed_scorer

CODE = "sqs"
ITEMS: tuple[Item, ...] = (
    Item(
        "sqs_1",
        "During the past 7 nights, how would you rate your sleep quality overall?",
        scale(0, 10, {0: "0 (terrible)", 10: "10 (excellent)"}),
    ),
)
BANDS = (
    Band("terrible", 0, 0),
    Band("poor", 1, 3),
    Band("fair", 4, 6),
    Band("good", 7, 9),
    Band("excellent", 10, 10),
)

INSTRUMENT = Instrument(
    code=CODE,
    title="Sleep Quality Scale (single item)",
    items=ITEMS,
    min_value=0,
    max_value=10,
    higher_is_better=True,
    licence="Free to use; full wording shipped",
    full_text_allowed=True,
    source="Snyder E et al. J Clin Sleep Med 2018;14:1849-57",
    mcid=None,
    bands=BANDS,
    scorer=summed_scorer(CODE, ITEMS, BANDS, 0, 10),
)
