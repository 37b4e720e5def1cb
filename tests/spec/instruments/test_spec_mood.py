"""GAD-7 (Spitzer et al. 2006) and PHQ-9 (Kroenke et al. 2001) bands and flags."""

from __future__ import annotations

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import get, score


def _spread(total: int, n: int, top: int = 3) -> list[int]:
    out = []
    for _ in range(n):
        v = min(top, total)
        out.append(v)
        total -= v
    assert total == 0
    return out


@pytest.mark.parametrize(
    ("total", "band", "positive"),
    [
        (0, "minimal", False),
        (4, "minimal", False),
        (5, "mild", False),
        (9, "mild", False),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "severe", True),
        (21, "severe", True),
    ],
)
def test_gad7_spitzer_cut_points(total: int, band: str, positive: bool) -> None:
    """Spitzer 2006: 5, 10, 15 = mild, moderate, severe; >= 10 warrants further evaluation."""
    s = score("gad7", _spread(total, 7))
    assert (s.value, s.band) == (total, band)
    assert ("gad7_positive_screen" in s.flags) is positive


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_kroenke_2001_bands(total: int, band: str) -> None:
    """Kroenke 2001: 5, 10, 15, 20 = mild, moderate, moderately severe, severe."""
    answers = [*_spread(total, 8), 0] if total <= 24 else _spread(total, 9)
    s = score("phq9", answers)
    assert (s.value, s.band) == (total, band)


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_positive_whatever_the_total(item9: int) -> None:
    """Any answer above 'not at all' on item 9 needs a same-day risk assessment."""
    s = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, item9])
    assert s.flags == ("phq9_item9_positive",)
    assert s.band == "minimal"


def test_phq9_item9_zero_raises_no_flag() -> None:
    assert score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).flags == ()


def test_phq9_missing_item9_is_refused() -> None:
    """Never score a PHQ-9 without item 9: an unasked risk question must not look negative."""
    with pytest.raises(InvalidInput, match=r"phq9 item 9 \(phq9_9\) is unanswered"):
        score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, None])


def test_full_wording_shipped_for_phq9_and_gad7() -> None:
    phq9, gad7 = get("phq9"), get("gad7")
    assert phq9.full_text_allowed and gad7.full_text_allowed
    assert phq9.items[8].label.startswith("Thoughts that you would be better off dead")
    assert [o.label for o in gad7.items[0].options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
