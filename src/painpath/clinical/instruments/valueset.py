"""EQ-5D-5L value sets: a versioned, pure lookup from a health state to an index value.

Why an interface: NICE's 2019 position statement asks for the van Hout 2012 crosswalk to the UK
3L set; NICE's 2022 manual prefers the DSU mapping (Hernandez Alava et al.), which also depends
on age and sex; a new UK 5L value set (Rowen et al., 2026) is under consultation. Each is a
``ValueSet`` with its own ``version`` so stored indices say which set produced them, and a new
set is added without touching the scoring code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from painpath.clinical.errors import InvalidInput

DIMENSIONS = ("mobility", "self_care", "usual_activities", "pain_discomfort", "anxiety_depression")
N_STATES = 5**5


def state_index(mo: int, sc: int, ua: int, pd: int, ad: int) -> int:
    """Position of a health state (levels 1-5) in the 3,125-state table (11111 = 0)."""
    return ((((mo - 1) * 5 + sc - 1) * 5 + ua - 1) * 5 + pd - 1) * 5 + ad - 1


@dataclass(frozen=True, slots=True)
class ValueSet:
    """An index value for every one of the 3,125 EQ-5D-5L health states."""

    version: str
    title: str
    source: str
    values: tuple[float, ...]

    def index(self, mo: int, sc: int, ua: int, pd: int, ad: int) -> float:
        """Index value of the state with these dimension levels (each 1-5)."""
        return self.values[state_index(mo, sc, ua, pd, ad)]

    def value_of(self, state: str) -> float:
        """Index value of a state written as five digits, e.g. ``"11112"``."""
        levels = _parse_state(state)
        return self.values[state_index(*levels)]

    @property
    def min_value(self) -> float:
        return min(self.values)

    @property
    def max_value(self) -> float:
        return max(self.values)

    @classmethod
    def from_rows(
        cls, *, version: str, title: str, source: str, rows: Iterable[tuple[str, float]]
    ) -> ValueSet:
        """Build from ``(state, value)`` rows; every state exactly once, values within -1.5..1."""
        table: list[float | None] = [None] * N_STATES
        for state, value in rows:
            i = state_index(*_parse_state(state))
            if table[i] is not None:
                raise InvalidInput(f"value set {version}: state {state} given twice")
            if not -1.5 <= value <= 1.0:
                raise InvalidInput(f"value set {version}: state {state} value {value} out of range")
            table[i] = float(value)
        missing = [i for i, v in enumerate(table) if v is None]
        if missing:
            raise InvalidInput(f"value set {version}: {len(missing)} of {N_STATES} states missing")
        return cls(version, title, source, tuple(v for v in table if v is not None))


def _parse_state(state: str) -> tuple[int, int, int, int, int]:
    if len(state) != 5 or any(c not in "12345" for c in state):
        raise InvalidInput(f"EQ-5D-5L state {state!r}: expected five digits 1-5", field="state")
    d = [int(c) for c in state]
    return d[0], d[1], d[2], d[3], d[4]
