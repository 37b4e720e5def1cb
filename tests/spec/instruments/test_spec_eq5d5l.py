"""EQ-5D-5L index from the UK crosswalk value set (van Hout et al. 2012, Value Health 15:708-15;
values as in the R package eq5d, data-raw/CW.csv, column UK)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import get, score
from painpath.clinical.instruments.valueset import ValueSet, state_index
from painpath.clinical.instruments.valuesets_data import DEFAULT_VALUE_SET, UK_CROSSWALK_2012


@pytest.mark.parametrize(
    ("state", "index"),
    [
        ("11111", 1.0),
        ("11112", 0.879),
        ("21111", 0.877),
        ("12111", 0.846),
        ("11211", 0.906),
        ("11121", 0.837),
        ("33333", 0.516),
        ("12345", 0.063),
        ("54321", 0.071),
        ("55555", -0.594),
        ("11115", 0.414),
        ("11122", 0.768),
        ("22222", 0.592),
        ("44444", 0.036),
        ("15151", 0.05),
        ("51515", 0.006),
        ("32143", 0.357),
        ("25252", -0.092),
        ("55551", -0.358),
    ],
)
def test_uk_crosswalk_values(state: str, index: float) -> None:
    answers = [int(c) for c in state] + [70]
    s = score("eq5d5l", answers)
    assert s.value == index and s.subscores == {"vas": 70}
    assert s.band is None and s.complete
    assert DEFAULT_VALUE_SET.value_of(state) == index


def test_vas_is_optional() -> None:
    s = score("eq5d5l", [1, 1, 1, 1, 2, None])
    assert s.value == 0.879 and s.subscores["vas"] is None and not s.complete


def test_every_dimension_is_needed() -> None:
    with pytest.raises(
        InvalidInput, match=r"eq5d5l item 4 \(eq5d5l_pain_discomfort\) is unanswered"
    ):
        score("eq5d5l", [1, 1, 1, None, 1, 50])


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([0, 1, 1, 1, 1, 50], "eq5d5l_mobility"),
        ([1, 1, 1, 1, 6, 50], "eq5d5l_anxiety_depression"),
        ([1, 1, 1, 1, 1, 101], "eq5d5l_vas"),
    ],
)
def test_out_of_range(answers: list[int], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        score("eq5d5l", answers)
    assert info.value.field == field


def test_value_set_is_versioned_and_complete() -> None:
    assert DEFAULT_VALUE_SET.version == UK_CROSSWALK_2012
    assert len(DEFAULT_VALUE_SET.values) == 3125
    assert (DEFAULT_VALUE_SET.min_value, DEFAULT_VALUE_SET.max_value) == (-0.594, 1.0)
    assert (get("eq5d5l").min_value, get("eq5d5l").max_value) == (-0.594, 1.0)


def _rows(value: float = 0.5) -> list[tuple[str, float]]:
    states = [
        f"{a}{b}{c}{d}{e}"
        for a in "12345"
        for b in "12345"
        for c in "12345"
        for d in "12345"
        for e in "12345"
    ]
    return [(s, value) for s in states]


def test_value_set_from_rows_rejects_missing_and_duplicate_states() -> None:
    rows = _rows()
    ValueSet.from_rows(version="t", title="t", source="t", rows=rows)
    with pytest.raises(InvalidInput, match="1 of 3125 states missing"):
        ValueSet.from_rows(version="t", title="t", source="t", rows=rows[1:])
    with pytest.raises(InvalidInput, match="state 11111 given twice"):
        ValueSet.from_rows(version="t", title="t", source="t", rows=[*rows, ("11111", 0.1)])
    with pytest.raises(InvalidInput, match="expected five digits 1-5"):
        ValueSet.from_rows(version="t", title="t", source="t", rows=[("11116", 0.1)])


def test_another_value_set_plugs_in() -> None:
    """A new value set (e.g. the 2026 UK 5L set) scores through the same function."""
    from painpath.clinical.instruments.eq5d5l import score_with_value_set

    vs = ValueSet.from_rows(version="test-0.25", title="t", source="t", rows=_rows(0.25))
    assert score_with_value_set(vs, [5, 4, 3, 2, 1, None]).value == 0.25
    assert state_index(1, 1, 1, 1, 1) == 0 and state_index(5, 5, 5, 5, 5) == 3124


#: The project's shared copy of the crosswalk (../shared/data/eq5d/), beside the checkout.
SHARED = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "data"
    / "eq5d"
    / "eq5d5l_uk_crosswalk_van_hout_2012.csv"
)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/eq5d not beside the checkout")
def test_every_state_equals_the_shared_crosswalk_to_3_dp() -> None:
    """Each of the 3,125 states scored through score() equals ../shared/data/eq5d, 3 dp."""
    with SHARED.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3125
    for row in rows:
        expected = round(float(row["uk_value"]), 3)
        assert float(row["uk_value"]) == expected, row  # the set is given to 3 dp
        s = score("eq5d5l", [*(int(c) for c in row["state"]), None])
        assert s.value == expected, row
        assert round(s.value, 3) == s.value
