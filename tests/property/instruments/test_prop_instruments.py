"""Properties of every instrument: value within range, band a declared code, monotone in each
item where the instrument is, and bad codes always refused (never a half score)."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import Instrument, all_instruments, get, score

INSTRUMENTS = all_instruments()
CODES = [i.code for i in INSTRUMENTS]

#: Items in which the instrument is NOT non-decreasing: painDETECT's course pattern (codes 0-3
#: score 0, -1, +1, +1) and EQ-5D-5L's dimensions (index falls as the level rises) and VAS
#: (not part of the index).
NOT_INCREASING = {
    ("paindetect", 7),
    *(("eq5d5l", d) for d in range(6)),
}


def complete_answers(inst: Instrument) -> st.SearchStrategy[list[int]]:
    return st.tuples(*(st.sampled_from(it.values) for it in inst.items)).map(list)


@pytest.mark.parametrize("code", CODES)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_value_in_range_and_band_declared(code: str, data: st.DataObject) -> None:
    inst = get(code)
    s = score(code, data.draw(complete_answers(inst)))
    assert inst.min_value <= s.value <= inst.max_value
    assert s.instrument == code and s.complete
    codes = {b.code for b in inst.bands}
    assert (s.band in codes) if codes else s.band is None


@pytest.mark.parametrize("code", CODES)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_monotone_in_each_item(code: str, data: st.DataObject) -> None:
    """Raising any one item's code never lowers the value (where the instrument is monotone)."""
    inst = get(code)
    answers = data.draw(complete_answers(inst))
    i = data.draw(st.integers(0, len(inst.items) - 1))
    if (code, i) in NOT_INCREASING:
        return
    values = inst.items[i].values
    higher = data.draw(st.sampled_from([v for v in values if v >= answers[i]]))
    before = score(code, answers).value
    answers[i] = higher
    assert score(code, answers).value >= before


def _crosswalk() -> dict[str, float]:
    text = (
        resources.files("painpath.clinical.instruments.data")
        .joinpath("eq5d5l_uk_crosswalk_van_hout_2012.csv")
        .read_text()
    )
    return {r["state"]: float(r["uk_value"]) for r in csv.DictReader(io.StringIO(text))}


def test_eq5d5l_index_decreases_with_each_dimension_level_in_the_crosswalk() -> None:
    """Exhaustive over the 3,125 states: a worse level in any one dimension never raises the
    index, both in the packaged crosswalk file and through score()."""
    table = _crosswalk()
    assert len(table) == 3125
    for state, value in table.items():
        levels = [int(c) for c in state]
        assert score("eq5d5l", [*levels, None]).value == value
        for d in range(5):
            if levels[d] < 5:
                worse = state[:d] + str(levels[d] + 1) + state[d + 1 :]
                assert table[worse] <= value, (state, worse)


@settings(max_examples=300, deadline=None)
@given(
    course=st.integers(0, 3),
    sensory=st.lists(st.integers(0, 5), min_size=7, max_size=7),
    radiating=st.integers(0, 1),
)
def test_paindetect_course_points(course: int, sensory: list[int], radiating: int) -> None:
    s = score("paindetect", [*sensory, course, radiating])
    assert s.value == sum(sensory) + (0, -1, 1, 1)[course] + 2 * radiating


@pytest.mark.parametrize("code", ["odi", "ndi", "bpi"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_partial_responses_stay_in_range_or_are_refused(code: str, data: st.DataObject) -> None:
    inst = get(code)
    answers: list[int | None] = list(data.draw(complete_answers(inst)))
    for i in data.draw(st.sets(st.integers(0, len(answers) - 1), max_size=len(answers))):
        answers[i] = None
    try:
        s = score(code, answers)
    except InvalidInput as exc:
        assert exc.field is not None and exc.field.startswith(code)
        return
    assert inst.min_value <= s.value <= inst.max_value
    assert s.complete is (None not in answers)


@pytest.mark.parametrize("code", CODES)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_bad_code_is_refused_naming_the_item(code: str, data: st.DataObject) -> None:
    inst = get(code)
    answers: list[object] = list(data.draw(complete_answers(inst)))
    i = data.draw(st.integers(0, len(answers) - 1))
    allowed = set(inst.items[i].values)
    bad = data.draw(
        st.one_of(
            st.integers().filter(lambda v: v not in allowed),
            st.booleans(),
            st.floats(allow_nan=False),
            st.text(max_size=3),
        )
    )
    answers[i] = bad
    with pytest.raises(InvalidInput) as info:
        score(code, answers)
    assert info.value.field == inst.items[i].code
    assert inst.items[i].code in str(info.value) and "\n" not in str(info.value)
