"""Keele STarT Back Screening Tool (SBST), 9 items.

Source: Hill JC et al. A primary care back pain screening tool: identifying patient subgroups for
initial treatment. Arthritis Rheum 2008;59(5):632-641; Keele University "STarT Back Tool scoring
guide". Items 1-8 are agree (1) / disagree (0). Item 9 (bothersomeness) is answered 0 not at all,
1 slightly, 2 moderately, 3 very much, 4 extremely; only "very much" and "extremely" score 1.
Total 0-9; psychosocial subscale = items 5-9 (0-5). Total <= 3: low risk; otherwise psychosocial
>= 4: high risk; otherwise medium risk.

Licence: Keele University (free for clinical use with registration; wording not shipped). Labels
below are the domain names of Hill 2008, not the item wording.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.instruments.base import (
    NO_FLAGS,
    Band,
    Instrument,
    Item,
    Option,
    Score,
    Validator,
)

CODE = "startback"

_AGREE = (Option(0, "Disagree"), Option(1, "Agree"))
_BOTHER = (
    Option(0, "Not at all"),
    Option(1, "Slightly"),
    Option(2, "Moderately"),
    Option(3, "Very much"),
    Option(4, "Extremely"),
)

ITEMS: tuple[Item, ...] = (
    Item("startback_1", "Referred leg pain", _AGREE),
    Item("startback_2", "Shoulder or neck pain", _AGREE),
    Item("startback_3", "Walking limitation", _AGREE),
    Item("startback_4", "Dressing limitation", _AGREE),
    Item("startback_5", "Fear avoidance (physical activity)", _AGREE),
    Item("startback_6", "Anxiety", _AGREE),
    Item("startback_7", "Catastrophising", _AGREE),
    Item("startback_8", "Low mood (loss of enjoyment)", _AGREE),
    Item("startback_9", "Bothersomeness", _BOTHER),
)

_V = Validator(CODE, ITEMS)


def score_startback(answers: Sequence[object]) -> Score:
    """Total, psychosocial subscale and risk group exactly as the Keele scoring guide."""
    a = _V.complete(answers)
    item9 = 1 if a[8] >= 3 else 0
    psychosocial: int = a[4] + a[5] + a[6] + a[7] + item9
    total: int = a[0] + a[1] + a[2] + a[3] + psychosocial
    if total <= 3:
        band = "low"
    elif psychosocial >= 4:
        band = "high"
    else:
        band = "medium"
    return Score(CODE, total, band, {"psychosocial": psychosocial}, NO_FLAGS, True)


INSTRUMENT = Instrument(
    code=CODE,
    title="Keele STarT Back Screening Tool",
    items=ITEMS,
    min_value=0,
    max_value=9,
    higher_is_better=False,
    licence="Keele University: free for clinical use with permission; wording not shipped",
    full_text_allowed=False,
    source="Hill JC et al. Arthritis Rheum 2008;59:632-41; Keele SBST scoring guide",
    mcid=None,
    bands=(
        Band("low", 0, 3),
        Band("medium", 4, 9, "psychosocial subscale <= 3"),
        Band("high", 4, 9, "psychosocial subscale >= 4"),
    ),
    scorer=score_startback,
)
