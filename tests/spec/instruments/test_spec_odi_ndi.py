"""ODI (Fairbank & Pynsent 2000) and NDI (Vernon & Mior 1991; Vernon 2008) from their sources."""

from __future__ import annotations

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import score
from painpath.clinical.instruments.ndi import ndi_band
from painpath.clinical.instruments.odi import odi_band


def _odi(total: int, answered: int = 10) -> list[int | None]:
    """A response with ``answered`` sections summing to ``total`` (rest unanswered)."""
    out: list[int | None] = []
    left = total
    for _ in range(answered):
        v = min(5, left)
        out.append(v)
        left -= v
    assert left == 0
    return out + [None] * (10 - answered)


def test_odi_fairbank_worked_example_all_sections() -> None:
    """Fairbank & Pynsent 2000: 16 (total scored) / 50 (total possible) x 100 = 32%."""
    s = score("odi", _odi(16))
    assert s.value == 32.0 and isinstance(s.value, float)
    assert s.band == "moderate" and s.complete


def test_odi_fairbank_worked_example_one_section_missing() -> None:
    """Fairbank & Pynsent 2000: one section missed -> 16 / 45 x 100 = 35.5% (35.56 unrounded)."""
    s = score("odi", _odi(16, answered=9))
    assert s.value == pytest.approx(35.5556, abs=1e-4)
    assert s.band == "moderate" and not s.complete


@pytest.mark.parametrize(
    ("total", "percent", "band"),
    [
        (0, 0.0, "minimal"),
        (10, 20.0, "minimal"),
        (11, 22.0, "moderate"),
        (20, 40.0, "moderate"),
        (21, 42.0, "severe"),
        (30, 60.0, "severe"),
        (31, 62.0, "crippled"),
        (40, 80.0, "crippled"),
        (41, 82.0, "bed_bound"),
        (50, 100.0, "bed_bound"),
    ],
)
def test_odi_band_boundaries(total: int, percent: float, band: str) -> None:
    s = score("odi", _odi(total))
    assert (s.value, s.band) == (percent, band)


@pytest.mark.parametrize(
    ("percent", "band"),
    [(20.0, "minimal"), (20.5, "moderate"), (40.01, "severe"), (80.5, "bed_bound")],
)
def test_odi_value_between_bands_takes_the_worse_band(percent: float, band: str) -> None:
    """Policy: the published bands are integer ranges; a value in a gap takes the worse band."""
    assert odi_band(percent) == band


def test_odi_eight_sections_are_enough() -> None:
    s = score("odi", [5, 5, 5, 5, 5, 5, 5, 5, None, None])
    assert s.value == 100.0 and not s.complete


def test_odi_seven_sections_are_refused_naming_the_missing() -> None:
    with pytest.raises(
        InvalidInput,
        match=r"odi: 7 of 10 items answered, at least 8 needed; "
        r"unanswered: odi_8, odi_9, odi_10",
    ):
        score("odi", [1, 1, 1, 1, 1, 1, 1, None, None, None])


def test_odi_rejects_six() -> None:
    with pytest.raises(
        InvalidInput, match=r"odi item 4 \(odi_4\): 6 is not allowed; allowed: an integer 0-5"
    ):
        score("odi", [0, 0, 0, 6, 0, 0, 0, 0, 0, 0])


@pytest.mark.parametrize(
    ("answers", "raw", "band"),
    [
        ([0] * 10, 0, "none"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], 4, "none"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], 5, "mild"),
        ([2, 2, 2, 2, 2, 2, 2, 0, 0, 0], 14, "mild"),
        ([2, 2, 2, 2, 2, 2, 2, 1, 0, 0], 15, "moderate"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 0, 0], 24, "moderate"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 1, 0], 25, "severe"),
        ([4, 4, 4, 4, 4, 4, 4, 4, 2, 0], 34, "severe"),
        ([4, 4, 4, 4, 4, 4, 4, 4, 3, 0], 35, "complete"),
        ([5] * 10, 50, "complete"),
    ],
)
def test_ndi_vernon_mior_bands(answers: list[int], raw: int, band: str) -> None:
    """Vernon & Mior 1991 (Vernon 2008): 0-4 none, 5-14 mild, 15-24 moderate, 25-34 severe,
    35+ complete; percent = raw x 2."""
    s = score("ndi", answers)
    assert (s.value, s.band, s.subscores["percent"]) == (raw, band, raw * 2.0)
    assert isinstance(s.value, int) and s.complete


def test_ndi_prorates_one_missing_item() -> None:
    """Vernon 2008: sum + mean of answered items x number missing: 18 + 2 x 1 = 20."""
    s = score("ndi", [2, 2, 2, 2, 2, 2, 2, 2, 2, None])
    assert s.value == 20.0 and s.subscores["percent"] == 40.0
    assert s.band == "moderate" and not s.complete


def test_ndi_prorates_two_missing_items() -> None:
    """13 over 8 answered: 13 + (13 / 8) x 2 = 16.25."""
    s = score("ndi", [2, 2, 2, 2, 2, 2, 1, None, None, 0])
    assert s.value == pytest.approx(16.25)


def test_ndi_prorated_value_between_bands_takes_the_worse_band() -> None:
    """4 over 9 answered -> 4.44: between 'none' (0-4) and 'mild' (5-14): policy -> mild."""
    s = score("ndi", [1, 1, 1, 1, 0, 0, 0, 0, 0, None])
    assert s.value == pytest.approx(40 / 9)
    assert s.band == "mild"
    assert ndi_band(4) == "none" and ndi_band(34.5) == "complete"


def test_ndi_needs_eight_answered() -> None:
    with pytest.raises(InvalidInput, match=r"ndi: 7 of 10 items answered, at least 8 needed"):
        score("ndi", [1, None, 1, None, 1, 1, None, 1, 1, 1])


@pytest.mark.parametrize("code", ["odi", "ndi"])
def test_too_many_missing_names_the_items_and_the_allowed_values(code: str) -> None:
    """CLINICAL.md section 1: InvalidInput naming the item and the allowed values."""
    with pytest.raises(InvalidInput) as err:
        score(code, [1, 1, 1, 1, 1, 1, 1, None, None, None])
    assert str(err.value) == (
        f"{code}: 7 of 10 items answered, at least 8 needed; unanswered: "
        f"{code}_8, {code}_9, {code}_10 (each an integer 0-5)"
    )
    assert err.value.field == f"{code}_8"
