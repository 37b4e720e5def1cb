"""EQ-5D-5L: five dimensions (levels 1-5) and the EQ VAS (0-100, optional).

Source: EuroQol Group (Herdman M et al. Qual Life Res 2011;20:1727-36); index from a versioned
value set, by default the UK crosswalk (van Hout B et al. Value Health 2012;15:708-15), as NICE's
2019 position statement asks. Value = index (3 dp, as the value set gives it); subscore ``vas``
(None when unanswered; the VAS is not part of the index). All five dimensions are needed.
No bands. MCID 0.06 on the index is a project policy awaiting clinical confirmation.

Licence: EuroQol Group; wording not shipped. Dimension names and level labels are neutral.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments.base import (
    NO_FLAGS,
    Instrument,
    Item,
    Mcid,
    Option,
    Score,
    Validator,
    scale,
)
from painpath.clinical.instruments.valueset import ValueSet
from painpath.clinical.instruments.valuesets_data import DEFAULT_VALUE_SET

CODE = "eq5d5l"
LEVELS = tuple(
    Option(v, f"Level {v}" + (" (no problems)" if v == 1 else " (most severe)" if v == 5 else ""))
    for v in range(1, 6)
)
ITEMS: tuple[Item, ...] = (
    Item("eq5d5l_mobility", "Mobility", LEVELS),
    Item("eq5d5l_self_care", "Self-care", LEVELS),
    Item("eq5d5l_usual_activities", "Usual activities", LEVELS),
    Item("eq5d5l_pain_discomfort", "Pain / discomfort", LEVELS),
    Item("eq5d5l_anxiety_depression", "Anxiety / depression", LEVELS),
    Item("eq5d5l_vas", "Health today (visual analogue scale)", scale(0, 100)),
)
_V = Validator(CODE, ITEMS)


def score_with_value_set(value_set: ValueSet, answers: Sequence[object]) -> Score:
    """Index from ``value_set`` for the five dimension levels; VAS passed through."""
    a, _answered = _V.partial(answers)
    mo, sc, ua, pd, ad, vas = a
    if mo is None or sc is None or ua is None or pd is None or ad is None:
        i = (mo, sc, ua, pd, ad).index(None)
        raise InvalidInput(
            f"eq5d5l item {i + 1} ({ITEMS[i].code}) is unanswered; all five dimensions are "
            "needed (an integer 1-5)",
            field=ITEMS[i].code,
        )
    idx = ((((mo - 1) * 5 + sc - 1) * 5 + ua - 1) * 5 + pd - 1) * 5 + ad - 1
    return Score(CODE, value_set.values[idx], None, {"vas": vas}, NO_FLAGS, vas is not None)


def score_eq5d5l(answers: Sequence[object]) -> Score:
    """EQ-5D-5L index from the default value set (UK crosswalk, van Hout 2012)."""
    return score_with_value_set(DEFAULT_VALUE_SET, answers)


INSTRUMENT = Instrument(
    code=CODE,
    title="EQ-5D-5L",
    items=ITEMS,
    min_value=DEFAULT_VALUE_SET.min_value,
    max_value=DEFAULT_VALUE_SET.max_value,
    higher_is_better=True,
    licence="EuroQol Group: clinic licence needed for the wording; wording not shipped",
    full_text_allowed=False,
    source="EuroQol; van Hout B et al. Value Health 2012;15:708-15 (UK crosswalk)",
    mcid=Mcid(points=0.06, percent=None, source="Project policy (to confirm clinically)"),
    bands=(),
    missing_rule="all 5 dimensions; the VAS may be left unanswered",
    scorer=score_eq5d5l,
)
