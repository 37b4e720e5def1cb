"""Outcome charts: band shading from the instrument definitions, MCID markers, inline SVG."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

from painpath.apps.outcomes.charts import ChartPoint, band_spans, outcome_chart_svg
from painpath.clinical.outcomes_responder import trajectory


def test_band_spans_cover_the_range_without_gaps() -> None:
    # NRS bands (CLINICAL.md section 2): none 0, mild 1-3, moderate 4-6, severe 7-10.
    assert band_spans("nrs") == [
        ("none", 0.0, 1.0),
        ("mild", 1.0, 4.0),
        ("moderate", 4.0, 7.0),
        ("severe", 7.0, 10.0),
    ]
    spans = band_spans("phq9")
    assert spans[0][1] == 0 and spans[-1][2] == 27
    assert all(a[2] == b[1] for a, b in itertools.pairwise(spans))


def test_instrument_without_bands_has_no_spans() -> None:
    assert band_spans("eq5d5l") == []


def _points(values: list[float]) -> list[ChartPoint]:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return [
        ChartPoint(start + dt.timedelta(days=30 * i), p)
        for i, p in enumerate(trajectory("nrs", values))
    ]


def test_chart_is_inline_svg_labelled_for_assistive_technology() -> None:
    svg = outcome_chart_svg("nrs", _points([8, 5, 9, 10]))
    assert svg.startswith("<svg ") and "<?xml" not in svg
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and "NRS" in (root.get("aria-label") or "")
    # Improvement and worsening beyond the MCID are labelled in words, not only by colour.
    assert "MCID improved" in svg and "MCID worse" in svg
    # Bands are labelled by name.
    for band in ("mild", "moderate", "severe"):
        assert band in svg


def test_chart_without_mcid_changes_has_no_markers() -> None:
    svg = outcome_chart_svg("nrs", _points([5, 6, 5]))
    assert "MCID" not in svg


def test_chart_is_deterministic() -> None:
    pts = _points([8, 5])
    assert outcome_chart_svg("nrs", pts) == outcome_chart_svg("nrs", pts)
