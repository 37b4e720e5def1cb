"""Brief Pain Inventory (short form) per Cleeland's BPI User Guide (2009), ePPOC and IMMPACT.

User guide: severity = mean of items 3-6 (worst, least, average, now); interference = mean of
items 9A-G, scored when more than 50% (here >= 4 of 7) are answered. Severity bands (ePPOC):
mild < 5, moderate 5 to < 7, severe >= 7.
"""

from __future__ import annotations

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import get, score


def test_bpi_user_guide_means() -> None:
    """Worst 8, least 2, average 5, now 5 -> severity 5.0; interference 7 items summing 35 -> 5."""
    s = score("bpi", [8, 2, 5, 5, 5, 6, 4, 5, 5, 5, 5])
    assert s.value == 5.0 and s.band == "moderate"
    assert s.subscores == {"severity": 5.0, "interference": 5.0}
    assert s.complete


@pytest.mark.parametrize(
    ("severity", "band"),
    [
        ([0, 0, 0, 0], "mild"),
        ([5, 5, 5, 4], "mild"),  # 4.75
        ([5, 5, 5, 5], "moderate"),  # 5.0
        ([7, 7, 7, 6], "moderate"),  # 6.75
        ([7, 7, 7, 7], "severe"),  # 7.0
        ([10, 10, 10, 10], "severe"),
    ],
)
def test_bpi_severity_band_boundaries(severity: list[int], band: str) -> None:
    s = score("bpi", [*severity, 0, 0, 0, 0, 0, 0, 0])
    assert s.value == sum(severity) / 4 and s.band == band


def test_bpi_interference_with_four_of_seven() -> None:
    s = score("bpi", [5, 5, 5, 5, 2, None, 4, None, 6, None, 8])
    assert s.subscores["interference"] == 5.0 and not s.complete


def test_bpi_interference_with_three_of_seven_is_not_scored() -> None:
    s = score("bpi", [5, 5, 5, 5, 2, None, 4, None, 6, None, None])
    assert s.subscores["interference"] is None
    assert s.value == 5.0


@pytest.mark.parametrize(("missing", "code"), [(0, "bpi_worst"), (3, "bpi_now")])
def test_bpi_severity_needs_all_four(missing: int, code: str) -> None:
    answers: list[int | None] = [5] * 11
    answers[missing] = None
    with pytest.raises(InvalidInput, match=f"{code}.*all four severity items") as info:
        score("bpi", answers)
    assert info.value.field == code


def test_bpi_rejects_eleven() -> None:
    with pytest.raises(
        InvalidInput, match=r"bpi_sleep\): 11 is not allowed; allowed: an integer 0-10"
    ):
        score("bpi", [5, 5, 5, 5, 5, 5, 5, 5, 5, 11, 5])


def test_bpi_mcid_is_on_interference() -> None:
    mcid = get("bpi").mcid
    assert mcid is not None and (mcid.measure, mcid.points) == ("interference", 1)
