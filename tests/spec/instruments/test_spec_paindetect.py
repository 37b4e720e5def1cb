"""painDETECT against Freynhagen et al. 2006 (Curr Med Res Opin 22:1911-20).

Score = sum of the seven sensory items (0-5 each) + course pattern (persistent with slight
fluctuations 0; persistent with attacks -1; attacks without pain between +1; attacks with pain
between +1) + radiating pain (+2). <= 12 unlikely, 13-18 ambiguous (uncertain), >= 19 likely.
"""

from __future__ import annotations

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import get, score

CASES = [
    ([0, 0, 0, 0, 0, 0, 0, 1, 0], -1, "unlikely", "minimum: attacks with persistent pain = -1"),
    ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "unlikely", "persistent with slight fluctuations = 0"),
    ([2, 2, 2, 2, 2, 2, 0, 0, 0], 12, "unlikely", "12 is the top of unlikely"),
    ([2, 2, 2, 2, 2, 2, 0, 2, 0], 13, "ambiguous", "attacks without pain between = +1"),
    ([2, 2, 2, 2, 2, 2, 0, 3, 0], 13, "ambiguous", "attacks with pain between = +1"),
    ([3, 3, 3, 3, 3, 0, 0, 2, 1], 18, "ambiguous", "18 is the top of ambiguous; radiating +2"),
    ([3, 3, 3, 3, 3, 1, 0, 2, 1], 19, "likely", "19 is the bottom of likely"),
    ([3, 3, 3, 3, 3, 3, 1, 1, 1], 20, "likely", "course code 1 subtracts 1"),
    ([5, 5, 5, 5, 5, 5, 5, 2, 1], 38, "likely", "maximum 35 + 1 + 2"),
]


@pytest.mark.parametrize(("answers", "total", "band", "why"), CASES)
def test_paindetect_freynhagen_scoring(answers: list[int], total: int, band: str, why: str) -> None:
    s = score("paindetect", answers)
    assert (s.value, s.band) == (total, band), why
    assert s.complete


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 4, 0], "paindetect_course"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 2], "paindetect_radiating"),
        ([0, 0, 0, 0, 0, 0, 6, 0, 0], "paindetect_7"),
        ([0, 0, 0, 0, 0, 0, None, 0, 0], "paindetect_7"),
        ([0, 0, 0, 0, 0, 0, 0, 0, False], "paindetect_radiating"),
    ],
)
def test_paindetect_rejects_bad_answers(answers: list[object], field: str) -> None:
    with pytest.raises(InvalidInput, match=field) as info:
        score("paindetect", answers)
    assert info.value.field == field


def test_paindetect_range() -> None:
    inst = get("paindetect")
    assert (inst.min_value, inst.max_value) == (-1, 38)
