"""painDETECT questionnaire (neuropathic pain component), 9 scored answers.

Source: Freynhagen R, Baron R, Gockel U, Tolle TR. painDETECT: a new screening questionnaire to
identify neuropathic components in patients with back pain. Curr Med Res Opin 2006;22:1911-20.
Seven sensory items 0-5 (absent .. most intense); course pattern, answered as a code (the
codes of CLINICAL.md section 2): 0 constant with minor variation (scores 0), 1 constant with
attacks (-1), 2 attacks, pain-free between (+1), 3 attacks with pain between (+1); radiating pain
0 no / 1 yes (+2). Total -1..38: <= 12 neuropathic component unlikely (< 15%),
13-18 ambiguous, >= 19 likely (> 90%).

Licence: Pfizer; wording not shipped. Labels are neutral descriptions by the painpath team.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.instruments.base import (
    NO_FLAGS,
    NO_SUBSCORES,
    NO_YES,
    Band,
    Instrument,
    Item,
    Option,
    Score,
    Validator,
    scale,
)

CODE = "paindetect"

_INTENSITY = scale(0, 5, {0: "0 (absent)", 5: "5 (most intense)"})
_COURSE = (
    Option(0, "Constant, minor variation"),
    Option(1, "Constant, with attacks"),
    Option(2, "Attacks, pain-free between"),
    Option(3, "Attacks, with pain between"),
)

ITEMS: tuple[Item, ...] = (
    Item("paindetect_1", "Burning", _INTENSITY),
    Item("paindetect_2", "Tingling or prickling", _INTENSITY),
    Item("paindetect_3", "Touch-evoked pain (allodynia)", _INTENSITY),
    Item("paindetect_4", "Electric-shock-like attacks", _INTENSITY),
    Item("paindetect_5", "Thermal pain (cold or heat)", _INTENSITY),
    Item("paindetect_6", "Numbness", _INTENSITY),
    Item("paindetect_7", "Pressure-evoked pain", _INTENSITY),
    Item("paindetect_course", "Course pattern", _COURSE),
    Item("paindetect_radiating", "Radiating pain", NO_YES),
)

#: Points for the course-pattern answer codes 0-3 (Freynhagen 2006).
COURSE_POINTS: tuple[int, int, int, int] = (0, -1, 1, 1)
#: Points for radiating pain answered yes.
RADIATING_POINTS = 2

_V = Validator(CODE, ITEMS)


def score_paindetect(answers: Sequence[object]) -> Score:
    """Sum of sensory items plus course-pattern and radiation points (Freynhagen 2006)."""
    a = _V.complete(answers)
    total: int = (
        a[0]
        + a[1]
        + a[2]
        + a[3]
        + a[4]
        + a[5]
        + a[6]
        + COURSE_POINTS[a[7]]
        + (RADIATING_POINTS if a[8] else 0)
    )
    if total <= 12:
        band = "unlikely"
    elif total <= 18:
        band = "ambiguous"
    else:
        band = "likely"
    return Score(CODE, total, band, NO_SUBSCORES, NO_FLAGS, True)


INSTRUMENT = Instrument(
    code=CODE,
    title="painDETECT questionnaire",
    items=ITEMS,
    min_value=-1,
    max_value=38,
    higher_is_better=False,
    licence="Pfizer: clinic licence needed for the wording; wording not shipped",
    full_text_allowed=False,
    source="Freynhagen R et al. Curr Med Res Opin 2006;22:1911-20",
    mcid=None,
    bands=(Band("unlikely", -1, 12), Band("ambiguous", 13, 18), Band("likely", 19, 38)),
    scorer=score_paindetect,
)
