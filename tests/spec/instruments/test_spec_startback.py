"""STarT Back Screening Tool against the Keele scoring guide (Hill et al. 2008).

Keele's guide: overall score = sum of all 9 items (item 9 scores 1 only for "very much" or
"extremely"); sub-scale = items 5-9. Overall <= 3 -> low risk; sub-scale <= 3 -> medium risk;
sub-scale >= 4 -> high risk.
"""

from __future__ import annotations

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import get, score

# (answers, total, psychosocial, band, why)
CASES = [
    ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 0, "low", "nothing agreed"),
    ([1, 1, 1, 0, 0, 0, 0, 0, 2], 3, 0, "low", "total 3 is low; 'moderately' = 0"),
    ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 0, "medium", "total 4, sub-scale 0 -> medium"),
    ([0, 0, 0, 0, 1, 1, 1, 0, 3], 4, 4, "high", "sub-scale 4 (item 9 'very much' = 1) -> high"),
    ([0, 0, 0, 0, 1, 1, 1, 0, 2], 3, 3, "low", "total 3 is low even with sub-scale 3"),
    ([1, 0, 0, 0, 1, 1, 1, 0, 2], 4, 3, "medium", "sub-scale 3 is the top of medium"),
    ([0, 0, 0, 0, 1, 1, 1, 1, 4], 5, 5, "high", "item 9 'extremely' = 1; sub-scale max 5"),
    ([1, 1, 1, 1, 1, 1, 1, 1, 4], 9, 5, "high", "maximum"),
    ([1, 1, 1, 1, 1, 0, 0, 0, 1], 5, 1, "medium", "'slightly' scores 0"),
]


@pytest.mark.parametrize(("answers", "total", "psychosocial", "band", "why"), CASES)
def test_startback_keele_scoring(
    answers: list[int], total: int, psychosocial: int, band: str, why: str
) -> None:
    s = score("startback", answers)
    assert (s.value, s.subscores["psychosocial"], s.band) == (total, psychosocial, band), why
    assert s.complete and s.flags == ()
    assert isinstance(s.value, int)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 8 + [None], "startback item 9 (startback_9) is unanswered"),
        ([0] * 8 + [5], "item 9 (startback_9): 5 is not allowed; allowed: an integer 0-4"),
        ([2] + [0] * 8, "startback item 1 (startback_1): 2 is not allowed; allowed: one of 0, 1"),
        ([True] + [0] * 8, "startback item 1 (startback_1): True is not allowed"),
        ([0.0] + [0] * 8, "startback item 1 (startback_1): 0.0 is not allowed"),
        ([0] * 8, "startback: expected 9 answers"),
        ("000000000", "answers must be a list"),
    ],
)
def test_startback_rejects_bad_answers(answers: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        score("startback", answers)  # type: ignore[arg-type]


def test_startback_metadata() -> None:
    inst = get("startback")
    assert len(inst.items) == 9 and not inst.full_text_allowed
    assert inst.items[8].values == (0, 1, 2, 3, 4)
