"""Loads the packaged EQ-5D-5L value sets (the only module here that reads a file).

The CSV is package data read once at import through importlib.resources; scoring itself stays a
pure lookup (``valueset.ValueSet``). Add a value set by adding its file and one entry below.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

from painpath.clinical.instruments.valueset import ValueSet

UK_CROSSWALK_2012 = "uk-crosswalk-van-hout-2012"


def _load_csv(filename: str) -> list[tuple[str, float]]:
    text = resources.files("painpath.clinical.instruments.data").joinpath(filename).read_text()
    return [(row["state"], float(row["uk_value"])) for row in csv.DictReader(io.StringIO(text))]


def load_uk_crosswalk() -> ValueSet:
    """The UK crosswalk (van Hout 2012 mapping of 5L to the Dolan 1997 UK 3L set)."""
    return ValueSet.from_rows(
        version=UK_CROSSWALK_2012,
        title="EQ-5D-5L UK crosswalk (van Hout 2012 to Dolan 1997 UK 3L value set)",
        source=(
            "van Hout B et al. Value Health 2012;15:708-15; data from R package eq5d "
            "(data-raw/CW.csv, UK column); NICE position statement 2019"
        ),
        rows=_load_csv("eq5d5l_uk_crosswalk_van_hout_2012.csv"),
    )


VALUE_SETS: Mapping[str, ValueSet] = MappingProxyType({UK_CROSSWALK_2012: load_uk_crosswalk()})
DEFAULT_VALUE_SET = VALUE_SETS[UK_CROSSWALK_2012]
