"""DN4 (Douleur Neuropathique en 4 questions), 10 items 0/1.

Source: Bouhassira D et al. Comparison of pain syndromes associated with nervous or somatic
lesions and development of a new neuropathic pain diagnostic questionnaire (DN4). Pain
2005;114:29-36. Seven interview items and three examination items, yes = 1; total 0-10;
>= 4 is positive for neuropathic pain.

Licence: copyright of the authors / Mapi; wording not shipped. Labels are neutral.
"""

from __future__ import annotations

from painpath.clinical.instruments.base import NO_YES, Band, Instrument, Item
from painpath.clinical.instruments.summed import summed_scorer

CODE = "dn4"
ITEMS: tuple[Item, ...] = tuple(
    Item(f"dn4_{i}", text, NO_YES)
    for i, text in enumerate(
        (
            "Burning quality",
            "Painful cold quality",
            "Electric-shock quality",
            "Tingling in the painful area",
            "Pins and needles in the painful area",
            "Numbness in the painful area",
            "Itching in the painful area",
            "Examination: touch hypoaesthesia",
            "Examination: pinprick hypoaesthesia",
            "Examination: brush-evoked pain (allodynia)",
        ),
        start=1,
    )
)
BANDS = (Band("negative", 0, 3), Band("positive", 4, 10))

INSTRUMENT = Instrument(
    code=CODE,
    title="DN4 neuropathic pain questionnaire",
    items=ITEMS,
    min_value=0,
    max_value=10,
    higher_is_better=False,
    licence="Authors' copyright; clinic-supplied wording",
    full_text_allowed=False,
    source="Bouhassira D et al. Pain 2005;114:29-36",
    mcid=None,
    bands=BANDS,
    scorer=summed_scorer(CODE, ITEMS, BANDS, 0, 10),
)
