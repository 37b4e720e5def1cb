"""Cohort analytics: one reference implementation and engines that must agree with it.

Every engine computes the same *aggregates* (counts, means, SDs of values and of paired changes,
MCID counts) from the extract's three tables; ``stats.finish`` then turns aggregates into the
published tables (t-based 95% CIs, paired t-test p-values, percentages), identically for all
engines. ``reference`` is plain Python on small data and is the specification; ``duckdb`` (the
default) and ``spark`` run the same SQL (``queries``); ``pandas`` is the plain-pandas baseline the
benchmark compares against. Tests prove every engine gives the reference's numbers (ADR 0083).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from painpath.registry.analytics.aggregates import Aggregates

ENGINES = ("duckdb", "spark", "pandas", "reference")


def compute(data_dir: Path, engine: str = "duckdb", *, threads: int | None = None) -> Aggregates:
    """Run ``engine`` over the extract in ``data_dir`` and return normalised aggregates."""
    if engine not in ENGINES:
        raise ValueError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    module = importlib.import_module(f"painpath.registry.analytics.{engine}_engine")
    aggregates: Aggregates = module.run(Path(data_dir), threads=threads)
    return aggregates
