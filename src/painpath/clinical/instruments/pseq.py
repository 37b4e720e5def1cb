"""Pain Self-Efficacy Questionnaire (PSEQ), 10 items 0-6, higher is better.

Source: Nicholas MK. The pain self-efficacy questionnaire: taking pain into account. Eur J Pain
2007;11:153-63. Total 0-60. Bands as used by ePPOC (Australasian electronic Persistent Pain
Outcomes Collaboration): severe 0-19, moderate 20-30, mild 31-40, minimal 41-60 (impairment of
self-efficacy).

Licence: author's copyright; wording not shipped. Labels are neutral.
"""

from __future__ import annotations

from painpath.clinical.instruments.base import Band, Instrument, Item, scale
from painpath.clinical.instruments.summed import summed_scorer

CODE = "pseq"
OPTIONS = scale(0, 6, {0: "0 (lowest)", 6: "6 (highest)"})
ITEMS: tuple[Item, ...] = tuple(
    Item(f"pseq_{i}", f"Self-efficacy statement {i}", OPTIONS) for i in range(1, 11)
)
BANDS = (
    Band("severe", 0, 19),
    Band("moderate", 20, 30),
    Band("mild", 31, 40),
    Band("minimal", 41, 60),
)

INSTRUMENT = Instrument(
    code=CODE,
    title="Pain Self-Efficacy Questionnaire",
    items=ITEMS,
    min_value=0,
    max_value=60,
    higher_is_better=True,
    licence="Author's copyright; clinic-supplied wording",
    full_text_allowed=False,
    source="Nicholas MK. Eur J Pain 2007;11:153-63; ePPOC bands",
    mcid=None,
    bands=BANDS,
    scorer=summed_scorer(CODE, ITEMS, BANDS, 0, 60),
)
