"""Brief Pain Inventory (short form): 4 severity and 7 interference items, each 0-10.

Source: Cleeland CS. The Brief Pain Inventory User Guide (MD Anderson, 2009); ePPOC; IMMPACT
(Dworkin RH et al. Pain 2005;113:9-19; J Pain 2008;9:105-21).
- Severity = mean of worst, least, average and now; the user guide scores it only when all four
  are answered (here: otherwise refused, naming the missing item). Value = severity.
- Interference = mean of the seven interference items, scored when at least 4 of 7 are answered
  (the user guide's "more than 50%" rule); otherwise subscore None.
- Severity bands (ePPOC / Serlin-style cut-points on the 0-10 scale): mild < 5, moderate 5 to < 7,
  severe >= 7.
- MCID: interference 1 point (IMMPACT).

Licence: MD Anderson (Cleeland); wording not shipped. Item names are neutral labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments.base import (
    NO_FLAGS,
    Band,
    Instrument,
    Item,
    Mcid,
    Score,
    Validator,
    scale,
)

CODE = "bpi"
MIN_INTERFERENCE = 4
OPTIONS_SEVERITY = scale(0, 10, {0: "0 (none)", 10: "10 (most severe)"})
OPTIONS_INTERFERENCE = scale(0, 10, {0: "0 (none)", 10: "10 (complete)"})
SEVERITY = ("worst", "least", "average", "now")
INTERFERENCE = (
    "general_activity",
    "mood",
    "walking",
    "work",
    "relations",
    "sleep",
    "enjoyment",
)
ITEMS: tuple[Item, ...] = (
    Item("bpi_worst", "Severity: worst", OPTIONS_SEVERITY),
    Item("bpi_least", "Severity: least", OPTIONS_SEVERITY),
    Item("bpi_average", "Severity: average", OPTIONS_SEVERITY),
    Item("bpi_now", "Severity: now", OPTIONS_SEVERITY),
    Item("bpi_general_activity", "Interference: general activity", OPTIONS_INTERFERENCE),
    Item("bpi_mood", "Interference: mood", OPTIONS_INTERFERENCE),
    Item("bpi_walking", "Interference: walking", OPTIONS_INTERFERENCE),
    Item("bpi_work", "Interference: work (in and outside the home)", OPTIONS_INTERFERENCE),
    Item("bpi_relations", "Interference: relationships", OPTIONS_INTERFERENCE),
    Item("bpi_sleep", "Interference: sleep", OPTIONS_INTERFERENCE),
    Item("bpi_enjoyment", "Interference: enjoyment", OPTIONS_INTERFERENCE),
)
BANDS = (
    Band("mild", 0, 4.75, "< 5"),
    Band("moderate", 5, 6.75, "5 to < 7"),
    Band("severe", 7, 10, ">= 7"),
)
_V = Validator(CODE, ITEMS)


def bpi_band(severity: float) -> str:
    """mild < 5, moderate 5 to < 7, severe >= 7."""
    if severity < 5:
        return "mild"
    if severity < 7:
        return "moderate"
    return "severe"


def score_bpi(answers: Sequence[object]) -> Score:
    """Severity mean (all 4 needed) and interference mean (>= 4 of 7 needed, else None)."""
    a, answered = _V.partial(answers)
    w, le, av, no = a[0], a[1], a[2], a[3]
    if w is None or le is None or av is None or no is None:
        i = (w, le, av, no).index(None)
        raise InvalidInput(
            f"bpi item {i + 1} ({ITEMS[i].code}) is unanswered; all four severity items are "
            "needed (an integer 0-10)",
            field=ITEMS[i].code,
        )
    severity = (w + le + av + no) / 4
    n_interference = answered - 4
    interference: float | None
    if n_interference == 7:
        interference = sum(a[4:]) / 7  # type: ignore[arg-type]
    elif n_interference >= MIN_INTERFERENCE:
        interference = sum(v for v in a[4:] if v is not None) / n_interference
    else:
        interference = None
    return Score(
        CODE,
        severity,
        bpi_band(severity),
        {"severity": severity, "interference": interference},
        NO_FLAGS,
        answered == 11,
    )


INSTRUMENT = Instrument(
    code=CODE,
    title="Brief Pain Inventory (short form)",
    items=ITEMS,
    min_value=0.0,
    max_value=10.0,
    higher_is_better=False,
    licence="MD Anderson (Cleeland): clinic licence needed for the wording; wording not shipped",
    full_text_allowed=False,
    source="Cleeland CS. BPI User Guide 2009; ePPOC; IMMPACT (Dworkin 2005, 2008)",
    mcid=Mcid(
        points=1,
        percent=None,
        measure="interference",
        source="IMMPACT: Dworkin RH et al. J Pain 2008;9:105-21",
    ),
    bands=BANDS,
    missing_rule="all 4 severity items; interference scored with >= 4 of 7, else None",
    scorer=score_bpi,
)
