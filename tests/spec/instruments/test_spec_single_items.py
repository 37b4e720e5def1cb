"""Single-item scales: NRS (common convention), SQS (Snyder 2018), PGIC (NINDS CDE, Farrar
2001); summed scales RMDQ (Roland & Morris 1983), DN4 (Bouhassira 2005), PSEQ (Nicholas 2007)."""

from __future__ import annotations

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import get, score

NRS = [
    (0, "none"),
    (1, "mild"),
    (3, "mild"),
    (4, "moderate"),
    (6, "moderate"),
    (7, "severe"),
    (10, "severe"),
]
SQS = [
    (0, "terrible"),
    (1, "poor"),
    (3, "poor"),
    (4, "fair"),
    (6, "fair"),
    (7, "good"),
    (9, "good"),
    (10, "excellent"),
]
PGIC = [
    (1, "very_much_improved", True),
    (2, "much_improved", True),
    (3, "minimally_improved", False),
    (4, "no_change", False),
    (5, "minimally_worse", False),
    (6, "much_worse", False),
    (7, "very_much_worse", False),
]


@pytest.mark.parametrize(("value", "band"), NRS)
def test_nrs_bands(value: int, band: str) -> None:
    assert (score("nrs", [value]).value, score("nrs", [value]).band) == (value, band)


@pytest.mark.parametrize(("value", "band"), SQS)
def test_sqs_snyder_2018_categories(value: int, band: str) -> None:
    assert score("sqs", [value]).band == band
    assert get("sqs").higher_is_better


@pytest.mark.parametrize(("value", "band", "responder"), PGIC)
def test_pgic_bands_and_responder(value: int, band: str, responder: bool) -> None:
    """Farrar 2001: 'much' or 'very much improved' is the clinically important response."""
    s = score("pgic", [value])
    assert (s.value, s.band) == (value, band)
    assert (s.flags == ("pgic_responder",)) is responder


@pytest.mark.parametrize(("code", "bad"), [("nrs", 11), ("sqs", -1), ("pgic", 0), ("pgic", 8)])
def test_single_items_out_of_range(code: str, bad: int) -> None:
    with pytest.raises(InvalidInput, match=f"{code}_1"):
        score(code, [bad])


def test_rmdq_counts_statements() -> None:
    """Roland & Morris 1983: the score is the number of statements ticked (0-24)."""
    assert score("rmdq", [1] * 7 + [0] * 17).value == 7
    assert score("rmdq", [1] * 24).value == 24
    assert score("rmdq", [0] * 24).band is None


@pytest.mark.parametrize(
    ("yes", "band"), [(0, "negative"), (3, "negative"), (4, "positive"), (10, "positive")]
)
def test_dn4_cut_off_4(yes: int, band: str) -> None:
    """Bouhassira 2005: a score >= 4/10 is positive for neuropathic pain."""
    s = score("dn4", [1] * yes + [0] * (10 - yes))
    assert (s.value, s.band) == (yes, band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "severe"),
        (19, "severe"),
        (20, "moderate"),
        (30, "moderate"),
        (31, "mild"),
        (40, "mild"),
        (41, "minimal"),
        (60, "minimal"),
    ],
)
def test_pseq_eppoc_bands(total: int, band: str) -> None:
    answers = []
    left = total
    for _ in range(10):
        answers.append(min(6, left))
        left -= answers[-1]
    s = score("pseq", answers)
    assert (s.value, s.band) == (total, band)
    assert get("pseq").higher_is_better


def test_other_instruments_refuse_any_missing_item() -> None:
    for code, n in [("rmdq", 24), ("dn4", 10), ("pseq", 10), ("gad7", 7)]:
        answers: list[int | None] = [0] * n
        answers[n - 1] = None
        with pytest.raises(InvalidInput, match=f"{code}_{n}"):
            score(code, answers)
