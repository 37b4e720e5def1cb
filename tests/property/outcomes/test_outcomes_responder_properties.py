"""Properties of responder status: the alert rule and the chart markers agree with it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from painpath.clinical.outcomes_responder import (
    RESPONDER,
    WORSE,
    is_deterioration,
    responder_status,
    trajectory,
)

INTEGER_SCORES = {"nrs": (0, 10), "odi": (0, 100), "phq9": (0, 27), "gad7": (0, 21), "ndi": (0, 50)}
code_and_values = st.sampled_from(sorted(INTEGER_SCORES)).flatmap(
    lambda code: st.tuples(
        st.just(code),
        st.lists(st.integers(*INTEGER_SCORES[code]), min_size=2, max_size=8),
    )
)


@given(code_and_values)
def test_deterioration_alert_iff_status_worse(cv: tuple[str, list[int]]) -> None:
    code, values = cv
    worse = is_deterioration(code, values[0], values[-1]) is not None
    assert worse == (responder_status(code, values).status == WORSE)


@given(code_and_values)
def test_latest_marker_matches_status(cv: tuple[str, list[int]]) -> None:
    code, values = cv
    marker = trajectory(code, values)[-1].marker
    status = responder_status(code, values).status
    assert (marker == "improved") == (status == RESPONDER)
    assert (marker == "worse") == (status == WORSE)


@given(code_and_values)
def test_status_depends_only_on_baseline_and_latest(cv: tuple[str, list[int]]) -> None:
    code, values = cv
    assert (
        responder_status(code, values).status
        == responder_status(code, [values[0], values[-1]]).status
    )
