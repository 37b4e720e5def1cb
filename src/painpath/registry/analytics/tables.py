"""The small lookup table every engine registers beside the extract: MCID thresholds."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from painpath.registry import mcid


def instruments_in(values: Iterable[object]) -> list[str]:
    return sorted({str(v) for v in values if v is not None})


def mcid_frame(instruments: list[str] | None = None) -> pd.DataFrame:
    """instrument, points, direction for every instrument with an MCID (all known by default)."""
    if instruments is None:
        instruments = mcid.known_instruments()
    rows = [
        {"instrument": t.instrument, "points": float(t.points), "direction": t.direction}
        for t in mcid.thresholds(instruments).values()
    ]
    frame = pd.DataFrame(rows, columns=["instrument", "points", "direction"])
    return frame.astype({"instrument": "object", "points": "float64", "direction": "int64"})
