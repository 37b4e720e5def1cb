"""PHQ-9 depression scale, 9 items 0-3.

Source: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity
measure. J Gen Intern Med 2001;16:606-13. Total 0-27; 5, 10, 15 and 20 are the cut-points for
mild, moderate, moderately severe and severe depression. Any answer above 0 on item 9 (thoughts of
being better off dead or of self-harm) raises ``phq9_item9_positive``: the clinic must make a
same-day risk assessment, whatever the total. MCID 5 points (Lowe B et al. Med Care 2004;42:1194).

Licence: free to use, no permission required (Pfizer); full wording shipped.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.instruments.base import (
    NO_FLAGS,
    NO_SUBSCORES,
    Band,
    Instrument,
    Item,
    Mcid,
    Option,
    Score,
    Validator,
    band_table,
)

CODE = "phq9"
ITEM9_FLAG = "phq9_item9_positive"
STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
OPTIONS = (
    Option(0, "Not at all"),
    Option(1, "Several days"),
    Option(2, "More than half the days"),
    Option(3, "Nearly every day"),
)
ITEMS: tuple[Item, ...] = tuple(
    Item(f"phq9_{i}", text, OPTIONS)
    for i, text in enumerate(
        (
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself - or that you are a failure or have let yourself or "
            "your family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed? Or the opposite "
            "- being so fidgety or restless that you have been moving around a lot more than "
            "usual",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        ),
        start=1,
    )
)
BANDS = (
    Band("minimal", 0, 4),
    Band("mild", 5, 9),
    Band("moderate", 10, 14),
    Band("moderately_severe", 15, 19),
    Band("severe", 20, 27),
)
_TABLE = band_table(BANDS, 0, 27)
_ITEM9 = (ITEM9_FLAG,)
_V = Validator(CODE, ITEMS)


def score_phq9(answers: Sequence[object]) -> Score:
    """Total, Kroenke 2001 band, and the item-9 flag (any answer above 0)."""
    a = _V.complete(answers)
    total = sum(a)
    return Score(CODE, total, _TABLE[total], NO_SUBSCORES, _ITEM9 if a[8] else NO_FLAGS, True)


INSTRUMENT = Instrument(
    code=CODE,
    title="Patient Health Questionnaire 9 (PHQ-9)",
    items=ITEMS,
    min_value=0,
    max_value=27,
    higher_is_better=False,
    licence="Free to use without permission (Pfizer); full wording shipped",
    full_text_allowed=True,
    source="Kroenke K et al. J Gen Intern Med 2001;16:606-13",
    mcid=Mcid(points=5, percent=None, source="Lowe B et al. Med Care 2004;42:1194-201"),
    bands=BANDS,
    flags=(ITEM9_FLAG,),
    scorer=score_phq9,
)
