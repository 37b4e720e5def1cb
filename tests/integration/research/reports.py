"""Real cohort reports for the researcher web area's tests, built once from `registry synth`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Reports:
    controlled: Path
    uncontrolled: Path


def build(root: Path, patients: int = 200) -> Reports:
    """A small synthetic registry and two reports of it: with and without disclosure control."""
    from painpath.registry.report import build_report
    from painpath.registry.synth import synthesise

    data = root / "data"
    synthesise(data, patients, seed=11, progress=False)
    build_report(data, root / "controlled")
    build_report(data, root / "uncontrolled", disclosure=False)
    return Reports(root / "controlled", root / "uncontrolled")
