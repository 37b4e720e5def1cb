"""Base types of the questionnaire library: Option, Item, Band, Mcid, Instrument and Score.

Why these shapes: every other part of painpath (triage, records, follow-up, registry) scores with
``score(code, answers)`` and reads the same ``Score``; CLINICAL.md section 1 fixes its fields.
The hot path is designed for bulk scoring (registry back-fills, the benchmark): each instrument
precomputes a tuple of allowed-value sets per item, validation is a single pass over the answers,
and nothing is allocated per call beyond the ``Score`` (and its subscores dict where it has one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, cast

from painpath.clinical.errors import InvalidInput

Number = int | float
#: A subscore may be missing (None) when too few of its items were answered (e.g. BPI interference).
Subscores = Mapping[str, Number | None]


class _ReadOnlyDict(dict[str, Number | None]):
    """A dict that refuses changes: the one empty ``subscores`` shared by every Score without
    subscores. A dict subclass (not MappingProxyType) so ``dataclasses.asdict``, ``copy`` and
    ``json.dumps`` work on a Score as on any dataclass of plain values."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("Score.subscores is read-only")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse  # type: ignore[assignment]
    clear = _refuse
    pop = _refuse
    popitem = _refuse  # type: ignore[assignment]
    setdefault = _refuse
    update = _refuse


NO_SUBSCORES: Final[Subscores] = _ReadOnlyDict()
NO_FLAGS: Final[tuple[str, ...]] = ()


@dataclass(frozen=True, slots=True)
class Option:
    """One allowed response code of an item and the label shown for it."""

    value: int
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    """One question: its code (the FHIR linkId), a label and its response options.

    Labels are neutral descriptions written by the painpath team unless the instrument's licence
    allows its full wording (``Instrument.full_text_allowed``).
    """

    code: str
    label: str
    options: tuple[Option, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True, slots=True)
class Band:
    """A named range of the primary value (inclusive bounds), for documentation and tests."""

    code: str
    low: Number
    high: Number
    note: str = ""


@dataclass(frozen=True, slots=True)
class Mcid:
    """Minimal clinically important difference of an instrument, with its source.

    ``measure`` is ``"value"`` (the primary score) or the subscore the threshold is defined on
    (BPI: ``"interference"``). ``substantial_percent`` marks a substantial improvement (NRS 50%).
    """

    points: Number | None
    percent: Number | None
    source: str
    measure: str = "value"
    substantial_percent: Number | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """The result of scoring one response (CLINICAL.md section 1).

    ``value`` is an int for totals and a float for means, percentages and indices. ``flags`` is a
    tuple of codes (e.g. ``phq9_item9_positive``); ``to_dict()`` gives the JSON shape with a list.
    """

    instrument: str
    value: Number
    band: str | None
    subscores: Subscores
    flags: tuple[str, ...]
    complete: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "instrument": self.instrument,
            "value": self.value,
            "band": self.band,
            "subscores": dict(self.subscores),
            "flags": list(self.flags),
            "complete": self.complete,
        }


Scorer = Callable[[Sequence[object]], Score]


def _no_scorer(answers: Sequence[object]) -> Score:  # pragma: no cover - placeholder default
    raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Instrument:
    """A validated questionnaire: items, scoring, bands, MCID, licence and source."""

    code: str
    title: str
    items: tuple[Item, ...]
    min_value: Number
    max_value: Number
    higher_is_better: bool
    licence: str
    full_text_allowed: bool
    source: str
    mcid: Mcid | None
    bands: tuple[Band, ...] = ()
    #: Every flag code this instrument can raise (documentation and UI; Score.flags holds them).
    flags: tuple[str, ...] = ()
    #: The missing-item rule, in words (the scorer enforces it).
    missing_rule: str = "every item must be answered; otherwise the response is refused"
    scorer: Scorer = field(default=_no_scorer, repr=False, compare=False)

    def score(self, answers: Sequence[object]) -> Score:
        return self.scorer(answers)

    def item(self, code: str) -> Item:
        for it in self.items:
            if it.code == code:
                return it
        raise InvalidInput(f"{self.code}: no item {code!r}", field=code)


# --- option builders -------------------------------------------------------------------------


def scale(low: int, high: int, labels: Mapping[int, str] | None = None) -> tuple[Option, ...]:
    """Options ``low..high``; values without a given label are labelled with their number."""
    given = labels or {}
    return tuple(Option(v, given.get(v, str(v))) for v in range(low, high + 1))


NO_YES: Final[tuple[Option, ...]] = (Option(0, "No"), Option(1, "Yes"))


# --- validation ------------------------------------------------------------------------------


def _allowed_text(item: Item) -> str:
    values = item.values
    contiguous = values == tuple(range(values[0], values[-1] + 1))
    if contiguous and len(values) > 3:
        return f"an integer {values[0]}-{values[-1]}"
    return "one of " + ", ".join(str(v) for v in values)


def _as_sequence(code: str, answers: object) -> Sequence[object]:
    if answers.__class__ is list or answers.__class__ is tuple:
        return cast("Sequence[object]", answers)
    if isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        return tuple(answers)
    raise InvalidInput(
        f"{code}: answers must be a list of response codes, got {type(answers).__name__}",
        field="answers",
    )


class Validator:
    """Checks a response against an instrument's items; precomputed once per instrument.

    Booleans are refused although Python treats ``True == 1``: a form or JSON client sending
    ``true`` has sent the wrong type, and guessing would hide that. Floats are refused likewise.
    """

    __slots__ = ("allowed", "code", "items", "n")

    def __init__(self, code: str, items: tuple[Item, ...]) -> None:
        self.code = code
        self.items = items
        self.n = len(items)
        self.allowed: tuple[frozenset[int], ...] = tuple(frozenset(it.values) for it in items)

    def complete(self, answers: object) -> Sequence[int]:
        """Return the answers if every item holds an allowed code; else raise InvalidInput."""
        seq = _as_sequence(self.code, answers)
        if len(seq) != self.n:
            self._count_error(seq)
        for a, ok in zip(seq, self.allowed, strict=True):
            if a.__class__ is not int or a not in ok:
                self._raise_first_error(seq, missing_allowed=False)
        return cast("Sequence[int]", seq)

    def partial(self, answers: object) -> tuple[Sequence[int | None], int]:
        """Return the answers and how many are answered; None marks an unanswered item."""
        seq = _as_sequence(self.code, answers)
        if len(seq) != self.n:
            self._count_error(seq)
        answered = 0
        for a, ok in zip(seq, self.allowed, strict=True):
            if a is None:
                continue
            if a.__class__ is not int or a not in ok:
                self._raise_first_error(seq, missing_allowed=True)
            answered += 1
        return cast("Sequence[int | None]", seq), answered

    def item_label(self, index: int) -> str:
        return f"{self.code} item {index + 1} ({self.items[index].code})"

    def _count_error(self, seq: Sequence[object]) -> None:
        raise InvalidInput(
            f"{self.code}: expected {self.n} answers (one per item, in order), got {len(seq)}",
            field="answers",
        )

    def _raise_first_error(self, seq: Sequence[object], *, missing_allowed: bool) -> None:
        for i, (a, item) in enumerate(zip(seq, self.items, strict=True)):
            if a is None:
                if missing_allowed:
                    continue
                raise InvalidInput(
                    f"{self.item_label(i)} is unanswered; every item must be answered "
                    f"({_allowed_text(item)})",
                    field=item.code,
                )
            if a.__class__ is not int or a not in self.allowed[i]:
                raise InvalidInput(
                    f"{self.item_label(i)}: {a!r} is not allowed; allowed: {_allowed_text(item)}",
                    field=item.code,
                )
        raise AssertionError("no invalid answer found")  # pragma: no cover


def band_table(bands: Sequence[Band], low: int, high: int) -> tuple[str | None, ...]:
    """Band code for every integer value ``low..high`` (index = value - low), precomputed.

    Why: a tuple index is the cheapest lookup on the scoring hot path, and building the table
    from the same ``Band`` rows the docs show keeps one source of truth.
    """
    table: list[str | None] = []
    for v in range(low, high + 1):
        table.append(next((b.code for b in bands if b.low <= v <= b.high), None))
    return tuple(table)
