"""Roland-Morris Disability Questionnaire (RMDQ), 24 statements 0/1.

Source: Roland M, Morris R. A study of the natural history of back pain. Part I. Spine
1983;8:141-4. Score = number of statements ticked, 0-24; no bands. MCID 5 points or 30%
(Ostelo RW et al. Spine 2008;33:90-4).

Licence: copyright of the authors (permission for use); wording not shipped. Labels are neutral.
"""

from __future__ import annotations

from painpath.clinical.instruments.base import Instrument, Item, Mcid, Option
from painpath.clinical.instruments.summed import summed_scorer

CODE = "rmdq"
OPTIONS = (Option(0, "Does not apply today"), Option(1, "Applies today"))
ITEMS: tuple[Item, ...] = tuple(
    Item(f"rmdq_{i}", f"Back-pain limitation statement {i}", OPTIONS) for i in range(1, 25)
)

INSTRUMENT = Instrument(
    code=CODE,
    title="Roland-Morris Disability Questionnaire",
    items=ITEMS,
    min_value=0,
    max_value=24,
    higher_is_better=False,
    licence="Authors' copyright; clinic-supplied wording",
    full_text_allowed=False,
    source="Roland M, Morris R. Spine 1983;8:141-4",
    mcid=Mcid(points=5, percent=30, source="Ostelo RW et al. Spine 2008;33:90-4"),
    bands=(),
    scorer=summed_scorer(CODE, ITEMS, (), 0, 24),
)
