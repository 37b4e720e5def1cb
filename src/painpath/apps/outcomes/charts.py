"""Per-patient outcome charts: each score over time, its bands shaded, MCID changes marked.

matplotlib with the object-oriented API on an Agg/SVG canvas (no pyplot global state, so charts
are safe to draw in a multi-threaded server; ADR 0074). Bands come from the instrument definitions
(``painpath.clinical.instruments``), change judgements from ``painpath.clinical.outcomes_responder``
so the chart, the table beside it and the alerts can never disagree.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from painpath.clinical.instruments import get
from painpath.clinical.outcomes_responder import Point

#: Band fills from best to worst; colour-blind-safe greys/blues, and bands are also labelled.
_BAND_FILLS = ("#e8f1fa", "#d3e4f3", "#bcd5ec", "#a3c4e3", "#89b2d9")
_IMPROVED = "#1a7f37"
_WORSE = "#b3261e"


@dataclass(frozen=True, slots=True)
class ChartPoint:
    at: dt.datetime
    point: Point


def band_spans(code: str) -> list[tuple[str, float, float]]:
    """(band code, low, high) spans covering the instrument's range for shading.

    Band bounds are inclusive integers for most instruments (NRS mild 1-3, moderate 4-6), so each
    band is drawn from its own low to the next band's low: no gaps between shaded areas.
    """
    inst = get(code)
    bands = sorted(inst.bands, key=lambda b: b.low)
    spans: list[tuple[str, float, float]] = []
    for i, b in enumerate(bands):
        low = float(inst.min_value) if i == 0 else float(b.low)
        high = float(bands[i + 1].low) if i + 1 < len(bands) else float(inst.max_value)
        spans.append((b.code, low, high))
    return spans


def outcome_chart_svg(
    code: str, points: Sequence[ChartPoint], *, measure: str = "value", title: str = ""
) -> str:
    """An SVG chart (a string, ready to inline) of one instrument's scores over time.

    Bands are shaded only for the primary value (bands are defined on it). Points whose change
    from baseline meets the MCID are drawn as a green triangle down/up for improvement and a red
    cross for deterioration, and labelled, so colour is never the only cue (WCAG 1.4.1).
    """
    inst = get(code)
    fig = Figure(figsize=(6.4, 2.8), dpi=100)
    FigureCanvasSVG(fig)
    ax = fig.add_subplot(1, 1, 1)
    if measure == "value":
        for i, (band, low, high) in enumerate(band_spans(code)):
            ax.axhspan(low, high, color=_BAND_FILLS[i % len(_BAND_FILLS)], zorder=0, lw=0)
            ax.text(
                1.01,
                (low + high) / 2,
                band.replace("_", " "),
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=7,
                color="#333333",
            )
        ax.set_ylim(float(inst.min_value), float(inst.max_value))
    xs = [p.at for p in points]
    ys = [float(p.point.value) for p in points]
    ax.plot(xs, ys, color="#1f3b57", marker="o", ms=4, lw=1.5, zorder=3)
    for p in points:
        marker = p.point.marker
        if marker is None:
            continue
        up = inst.higher_is_better
        shape = ("^" if up else "v") if marker == "improved" else "X"
        colour = _IMPROVED if marker == "improved" else _WORSE
        ax.plot([p.at], [float(p.point.value)], marker=shape, ms=10, color=colour, zorder=4)
        ax.annotate(
            "MCID improved" if marker == "improved" else "MCID worse",
            (p.at, float(p.point.value)),
            textcoords="offset points",
            xytext=(0, 9),
            ha="center",
            fontsize=7,
            color=colour,
        )
    label = inst.code.upper() if measure == "value" else f"{inst.code.upper()} {measure}"
    ax.set_title(title or label, fontsize=10, loc="left")
    ax.set_ylabel(label, fontsize=8)
    ax.tick_params(labelsize=7)
    fig.autofmt_xdate()
    fig.subplots_adjust(left=0.1, right=0.85, top=0.88, bottom=0.22)
    buf = io.StringIO()
    # A fixed salt makes element ids (clip paths) deterministic; they still differ between
    # charts of different content, so several charts inlined on one page do not clash.
    with matplotlib.rc_context({"svg.hashsalt": f"painpath-{code}-{measure}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return _inline(buf.getvalue(), label)


_HEAD = re.compile(r"^.*?(?=<svg)", re.S)


def _inline(svg: str, label: str) -> str:
    """Strip the XML prolog and make the SVG a labelled image for assistive technology."""
    body = _HEAD.sub("", svg, count=1)
    safe = label.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return body.replace(
        "<svg ", f'<svg role="img" aria-label="Chart of {safe} over time" focusable="false" ', 1
    )
