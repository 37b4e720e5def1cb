"""Follow-up schedule: timepoints, due dates, windows and the instruments of each set.

Pure: dates in, dates out (no clock: callers pass ``today``).

Sources and policy (ADR 0077):

* Timepoints follow DESIGN.md journey step 4: baseline at the start of the treatment, then
  2 weeks, 1, 3, 6 and 12 months, then every 6 months. The UK Medical Cannabis Registry collects
  its PROMs at baseline, 1, 3, 6, 12 and 18 months (Erridge et al. 2023, Neuropsychopharmacol Rep
  43:616), the same grid ``painpath.registry.timepoints`` reports on; the 2-week set is the early
  side-effect check of titration (Bhaskar et al. 2021, J Cannabis Res 3:22: review within the
  first weeks). Repeats run to a horizon (default 60 months, policy), each clinic and plan may
  change every number.
* Months are calendar months counted from the START date every time (never chained), clamped
  at the end of a shorter month: 31 January + 1 month = 28 February (29 in a leap year), + 3
  months = 30 April. This is the semantics of ``dateutil.relativedelta`` written with the
  standard library's ``calendar`` so the core stays typed and dependency-free. 2 weeks = 14 days.
* Windows (policy): a set can be answered from its due date until the earlier of
  ``window_days`` (default 28) after it and the next set's due date, so every response belongs to
  exactly one timepoint, as the registry assigns responses to one window each.
* Instruments (issue 5 defaults): a pain measure (NRS, or BPI), SQS, GAD-7, PHQ-9, a disability
  measure by region (ODI for low back and thoracic, NDI for neck; Fairbank & Pynsent 2000,
  Vernon & Mior 1991), EQ-5D-5L, and PGIC after baseline (change since the start has no meaning
  at the start). Side-effect questions are asked at every set after baseline; home red-flag
  questions at every set.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from painpath.clinical.errors import InvalidInput

Unit = Literal["days", "weeks", "months"]
UNITS: Final[tuple[str, ...]] = ("days", "weeks", "months")
REGIONS: Final[tuple[str, ...]] = ("low_back", "neck", "thoracic")
PAIN_MEASURES: Final[tuple[str, ...]] = ("nrs", "bpi")
#: Longest plan a configuration may ask for (20 years; policy, a guard against typing errors).
MAX_HORIZON_MONTHS: Final = 240
#: Mean Gregorian month in days, for ordering offsets of different units only.
_DAYS_PER_MONTH: Final = 30.436875


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus ``months`` calendar months, clamped to the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Offset:
    """One timepoint: its label (``baseline``, ``2w``, ``3m``) and its distance from the start."""

    label: str
    amount: int
    unit: Unit

    def due_on(self, start: dt.date) -> dt.date:
        if self.unit == "months":
            return add_months(start, self.amount)
        days = self.amount * (7 if self.unit == "weeks" else 1)
        return start + dt.timedelta(days=days)

    @property
    def nominal_days(self) -> float:
        """Approximate days from the start, to order offsets and sort timepoint labels."""
        if self.unit == "months":
            return self.amount * _DAYS_PER_MONTH
        return float(self.amount * (7 if self.unit == "weeks" else 1))

    def to_dict(self) -> dict[str, object]:
        return {"label": self.label, "amount": self.amount, "unit": self.unit}


DEFAULT_FIXED: Final[tuple[Offset, ...]] = (
    Offset("baseline", 0, "days"),
    Offset("2w", 2, "weeks"),
    Offset("1m", 1, "months"),
    Offset("3m", 3, "months"),
    Offset("6m", 6, "months"),
    Offset("12m", 12, "months"),
)
DEFAULT_REPEAT_MONTHS: Final = 6
DEFAULT_HORIZON_MONTHS: Final = 60
DEFAULT_WINDOW_DAYS: Final = 28


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """A plan's schedule: fixed timepoints, then a repeat every N months up to a horizon.

    ``instruments`` optionally replaces the default instrument list of named timepoints
    (e.g. ``{"2w": ("nrs", "pgic")}`` for a short early check).
    """

    fixed: tuple[Offset, ...] = DEFAULT_FIXED
    repeat_every_months: int = DEFAULT_REPEAT_MONTHS
    horizon_months: int = DEFAULT_HORIZON_MONTHS
    window_days: int = DEFAULT_WINDOW_DAYS
    instruments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "fixed": [o.to_dict() for o in self.fixed],
            "repeat_every_months": self.repeat_every_months,
            "horizon_months": self.horizon_months,
            "window_days": self.window_days,
            "instruments": {k: list(v) for k, v in self.instruments.items()},
        }


DEFAULT_SCHEDULE: Final = ScheduleConfig()


def _int(value: object, where: str, low: int, high: int) -> int:
    """A whole number low..high (booleans refused although ``True == 1``)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            f"{where} must be a whole number {low}-{high}, got {value!r}", field=where
        )
    return value


def _offset(raw: object, where: str) -> Offset:
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where} must be an object with label, amount and unit", field=where)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip() or len(label) > 30:
        raise InvalidInput(f"{where}.label must be a text of 1-30 characters", field=where)
    unit = raw.get("unit")
    if unit not in UNITS:
        raise InvalidInput(f"{where}.unit must be one of: {', '.join(UNITS)}", field=where)
    amount = _int(raw.get("amount"), f"{where}.amount", 0, MAX_HORIZON_MONTHS * 31)
    return Offset(label.strip(), amount, unit)


def parse_schedule(data: Mapping[str, Any] | None) -> ScheduleConfig:
    """A ScheduleConfig from a clinic's or plan's JSON; missing keys take the defaults.

    Raises InvalidInput naming the field: offsets must be in increasing order with unique labels,
    the horizon at least the last fixed timepoint and at most ``MAX_HORIZON_MONTHS``.
    """
    data = data or {}
    if not isinstance(data, Mapping):
        raise InvalidInput("schedule must be an object", field="schedule")
    known = {"fixed", "repeat_every_months", "horizon_months", "window_days", "instruments"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(
            f"schedule.{unknown[0]} is not a schedule setting; allowed: {', '.join(sorted(known))}",
            field=f"schedule.{unknown[0]}",
        )
    fixed = DEFAULT_FIXED
    if "fixed" in data:
        raw = data["fixed"]
        if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
            raise InvalidInput("schedule.fixed must be a non-empty list", field="schedule.fixed")
        fixed = tuple(_offset(o, f"schedule.fixed[{i}]") for i, o in enumerate(raw))
    repeat = _int(
        data.get("repeat_every_months", DEFAULT_REPEAT_MONTHS),
        "schedule.repeat_every_months",
        0,
        MAX_HORIZON_MONTHS,
    )
    horizon = _int(
        data.get("horizon_months", DEFAULT_HORIZON_MONTHS),
        "schedule.horizon_months",
        0,
        MAX_HORIZON_MONTHS,
    )
    window = _int(data.get("window_days", DEFAULT_WINDOW_DAYS), "schedule.window_days", 1, 365)
    instruments: dict[str, tuple[str, ...]] = {}
    raw_inst = data.get("instruments") or {}
    if not isinstance(raw_inst, Mapping):
        raise InvalidInput("schedule.instruments must be an object", field="schedule.instruments")
    for label, codes in raw_inst.items():
        where = f"schedule.instruments.{label}"
        if not isinstance(codes, Sequence) or isinstance(codes, str):
            raise InvalidInput(f"{where} must be a list of instrument codes", field=where)
        from painpath.clinical.instruments import registry

        unknown_codes = [str(c) for c in codes if str(c) not in registry.BY_CODE]
        if unknown_codes:
            raise InvalidInput(
                f"{where}: unknown instrument {unknown_codes[0]!r}; allowed: "
                f"{', '.join(sorted(registry.BY_CODE))}",
                field=where,
            )
        instruments[str(label)] = tuple(str(c) for c in codes)
    config = ScheduleConfig(fixed, repeat, horizon, window, instruments)
    validate_schedule(config)
    return config


def validate_schedule(config: ScheduleConfig) -> None:
    """Raise InvalidInput unless offsets increase, labels are unique and the horizon fits."""
    labels = [o.label for o in config.fixed]
    for i in range(1, len(config.fixed)):
        if config.fixed[i].nominal_days <= config.fixed[i - 1].nominal_days:
            raise InvalidInput(
                f"schedule.fixed[{i}] ({config.fixed[i].label}) must come after "
                f"{config.fixed[i - 1].label}",
                field=f"schedule.fixed[{i}]",
            )
    if len(set(labels)) != len(labels):
        raise InvalidInput("schedule.fixed labels must be unique", field="schedule.fixed")
    last_months = config.fixed[-1].nominal_days / _DAYS_PER_MONTH
    if config.repeat_every_months and config.horizon_months < last_months - 1e-9:
        raise InvalidInput(
            "schedule.horizon_months must be at least the last fixed timepoint",
            field="schedule.horizon_months",
        )
    all_labels = {t.label for t in timepoints(config)}
    for label in config.instruments:
        if label not in all_labels:
            raise InvalidInput(
                f"schedule.instruments.{label}: no such timepoint in this schedule",
                field=f"schedule.instruments.{label}",
            )


def timepoints(config: ScheduleConfig = DEFAULT_SCHEDULE) -> tuple[Offset, ...]:
    """Every timepoint of the plan: the fixed ones, then every ``repeat_every_months`` months
    after the last fixed one up to ``horizon_months`` (labels ``18m``, ``24m``, ...)."""
    out = list(config.fixed)
    last = config.fixed[-1]
    if config.repeat_every_months > 0:
        if last.unit == "months":
            m = last.amount + config.repeat_every_months
        else:
            m = int(last.nominal_days // _DAYS_PER_MONTH) + config.repeat_every_months
        while m <= config.horizon_months:
            out.append(Offset(f"{m}m", m, "months"))
            m += config.repeat_every_months
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ScheduledSet:
    """One set of a plan: timepoint label, position (nominal days), due date, window end
    (exclusive: the first day it can no longer be answered), and what it asks."""

    timepoint: str
    position: int
    due_on: dt.date
    closes_on: dt.date
    instruments: tuple[str, ...]
    ask_side_effects: bool
    ask_red_flags: bool = True


def instruments_for(
    timepoint: str, *, region: str = "low_back", pain_measure: str = "nrs"
) -> tuple[str, ...]:
    """The default instruments of a timepoint (issue 5), in the order the patient sees them."""
    if region not in REGIONS:
        raise InvalidInput(f"region must be one of: {', '.join(REGIONS)}", field="region")
    if pain_measure not in PAIN_MEASURES:
        raise InvalidInput(
            f"pain_measure must be one of: {', '.join(PAIN_MEASURES)}", field="pain_measure"
        )
    disability = "ndi" if region == "neck" else "odi"
    codes = [pain_measure, "sqs", "gad7", "phq9", disability, "eq5d5l"]
    if timepoint != "baseline":
        codes.append("pgic")
    return tuple(codes)


def schedule_sets(
    start: dt.date,
    config: ScheduleConfig = DEFAULT_SCHEDULE,
    *,
    region: str = "low_back",
    pain_measure: str = "nrs",
    today: dt.date | None = None,
) -> tuple[ScheduledSet, ...]:
    """The sets of a plan starting on ``start``.

    Each window closes at the earlier of ``window_days`` after its due date and the next set's
    due date. With ``today``, sets whose window had already closed are left out: they could never
    have been answered, so they are not counted as missed (policy, ADR 0077).
    """
    points = timepoints(config)
    dues = [p.due_on(start) for p in points]
    out: list[ScheduledSet] = []
    for i, (p, due) in enumerate(zip(points, dues, strict=True)):
        closes = due + dt.timedelta(days=config.window_days)
        if i + 1 < len(points):
            closes = min(closes, dues[i + 1])
        if closes <= due:
            closes = due + dt.timedelta(days=1)
        if today is not None and closes <= today:
            continue
        default = instruments_for(p.label, region=region, pain_measure=pain_measure)
        out.append(
            ScheduledSet(
                timepoint=p.label,
                position=round(p.nominal_days),
                due_on=due,
                closes_on=closes,
                instruments=tuple(config.instruments.get(p.label, default)),
                ask_side_effects=p.label != "baseline",
            )
        )
    return tuple(out)
