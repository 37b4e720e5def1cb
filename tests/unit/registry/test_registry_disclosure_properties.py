"""Disclosure-control invariants on any table (Hypothesis), not just the worked examples."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from painpath.registry import disclosure_control as dc

counts = st.integers(min_value=0, max_value=400)


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8))
def test_whatever_subtraction_recovers_is_more_than_the_threshold(parts: list[int]) -> None:
    """Total minus every published part = the sum of the hidden parts: never 1..7 of them."""
    hidden = dc.secondary(parts)
    primary = {i for i, v in enumerate(parts) if v <= dc.SUPPRESSION_THRESHOLD}
    assert primary <= hidden
    if hidden and len(hidden) < len(parts):
        assert sum(parts[i] for i in hidden) > dc.SUPPRESSION_THRESHOLD
    # Nothing is hidden that need not be: dropping the largest secondary cell would break it.
    extra = hidden - primary
    if extra:
        largest = max(extra, key=lambda i: (parts[i], i))
        assert sum(parts[i] for i in hidden - {largest}) <= dc.SUPPRESSION_THRESHOLD


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdef"), counts, min_size=1, max_size=6))
def test_published_characteristics_are_rounded_and_hide_small_levels(levels: dict) -> None:
    total = sum(levels.values())
    rows = [("patients", "all", total)] + [("sex", k, v) for k, v in levels.items()]
    table = pd.DataFrame(
        {
            "variable": [r[0] for r in rows],
            "level": [r[1] for r in rows],
            "n": [r[2] for r in rows],
            "denominator": [total] * len(rows),
            "percent": [100.0 * r[2] / total if total else None for r in rows],
        }
    )
    published = dc.publish({"baseline_characteristics": table})
    out = published.tables["baseline_characteristics"]
    hidden = published.suppressed["baseline_characteristics"]
    for true, shown, was_hidden in zip(table["n"], out["n"], hidden["n"], strict=True):
        if true <= dc.SUPPRESSION_THRESHOLD:
            assert was_hidden and pd.isna(shown)
        if not pd.isna(shown):
            assert shown % dc.ROUNDING_BASE == 0 and shown > dc.SUPPRESSION_THRESHOLD
            assert abs(shown - true) <= dc.ROUNDING_BASE // 2
    parts_hidden = [i for i in range(1, len(rows)) if hidden["n"].iloc[i]]
    if parts_hidden and len(parts_hidden) < len(rows) - 1 and not hidden["n"].iloc[0]:
        assert sum(rows[i][2] for i in parts_hidden) > dc.SUPPRESSION_THRESHOLD
    for pct, n in zip(out["percent"], out["n"], strict=True):
        assert pd.isna(pct) == (pd.isna(n) or pd.isna(out["n"].iloc[0]) or out["n"].iloc[0] == 0)
