"""Follow-up schedule, windows and instruments, table-driven (DESIGN.md journey step 4; ADR 0077).

Timepoints: baseline, 2 weeks (14 days), 1, 3, 6, 12 months, then every 6 months to the horizon.
Calendar months from the START date, clamped at month ends (31 Jan + 1 month = 28/29 Feb).
"""

from __future__ import annotations

import datetime as dt

import pytest

from painpath.clinical.errors import InvalidInput
from painpath.clinical.followup import (
    add_months,
    instruments_for,
    parse_schedule,
    schedule_sets,
    timepoints,
)

D = dt.date

ADD_MONTHS = [
    # (start, months, expected, why)
    (D(2026, 1, 31), 1, D(2026, 2, 28), "clamped to the end of February"),
    (D(2028, 1, 31), 1, D(2028, 2, 29), "leap year"),
    (D(2026, 1, 31), 3, D(2026, 4, 30), "clamped to 30 April, counted from the start"),
    (D(2026, 3, 31), 6, D(2026, 9, 30), "September has 30 days"),
    (D(2026, 8, 31), 6, D(2027, 2, 28), "across the year end"),
    (D(2026, 12, 15), 1, D(2027, 1, 15), "December to January"),
    (D(2026, 5, 17), 12, D(2027, 5, 17), "a year"),
    (D(2028, 2, 29), 12, D(2029, 2, 28), "29 Feb + 1 year"),
    (D(2026, 1, 30), 1, D(2026, 2, 28), "30 Jan + 1 month"),
    (D(2026, 6, 10), 0, D(2026, 6, 10), "zero months"),
]


@pytest.mark.parametrize(("start", "months", "expected", "why"), ADD_MONTHS)
def test_add_months_clamps_at_month_ends(
    start: dt.date, months: int, expected: dt.date, why: str
) -> None:
    assert add_months(start, months) == expected, why


DEFAULT_FROM_31_JAN = [
    # (timepoint, due, window closes (exclusive))
    ("baseline", D(2026, 1, 31), D(2026, 2, 14)),  # next set's due date comes first
    ("2w", D(2026, 2, 14), D(2026, 2, 28)),  # 14 days, not half a month
    ("1m", D(2026, 2, 28), D(2026, 3, 28)),  # 28-day window
    ("3m", D(2026, 4, 30), D(2026, 5, 28)),
    ("6m", D(2026, 7, 31), D(2026, 8, 28)),
    ("12m", D(2027, 1, 31), D(2027, 2, 28)),
    ("18m", D(2027, 7, 31), D(2027, 8, 28)),
    ("24m", D(2028, 1, 31), D(2028, 2, 28)),
]


def test_default_schedule_from_31_january() -> None:
    sets = schedule_sets(D(2026, 1, 31))
    got = [(s.timepoint, s.due_on, s.closes_on) for s in sets[: len(DEFAULT_FROM_31_JAN)]]
    assert got == DEFAULT_FROM_31_JAN
    assert [s.timepoint for s in sets][-1] == "60m"  # default horizon 5 years
    assert len(sets) == 6 + 8  # 6 fixed, then 18..60 every 6 months


def test_repeat_and_horizon_are_configurable() -> None:
    config = parse_schedule({"repeat_every_months": 12, "horizon_months": 36})
    assert [t.label for t in timepoints(config)] == [
        "baseline",
        "2w",
        "1m",
        "3m",
        "6m",
        "12m",
        "24m",
        "36m",
    ]
    no_repeat = parse_schedule({"repeat_every_months": 0})
    assert [t.label for t in timepoints(no_repeat)][-1] == "12m"


def test_custom_fixed_timepoints_and_window() -> None:
    config = parse_schedule(
        {
            "fixed": [
                {"label": "baseline", "amount": 0, "unit": "days"},
                {"label": "4w", "amount": 4, "unit": "weeks"},
                {"label": "6m", "amount": 6, "unit": "months"},
            ],
            "repeat_every_months": 6,
            "horizon_months": 12,
            "window_days": 10,
        }
    )
    sets = schedule_sets(D(2026, 3, 1), config)
    assert [(s.timepoint, s.due_on, s.closes_on) for s in sets] == [
        ("baseline", D(2026, 3, 1), D(2026, 3, 11)),
        ("4w", D(2026, 3, 29), D(2026, 4, 8)),
        ("6m", D(2026, 9, 1), D(2026, 9, 11)),
        ("12m", D(2027, 3, 1), D(2027, 3, 11)),
    ]


BAD_SCHEDULES = [
    ({"horizon_months": -1}, "schedule.horizon_months"),
    ({"horizon_months": 241}, "schedule.horizon_months"),
    ({"repeat_every_months": True}, "schedule.repeat_every_months"),
    ({"window_days": 0}, "schedule.window_days"),
    ({"every": 6}, "schedule.every"),
    ({"fixed": []}, "schedule.fixed"),
    ({"fixed": [{"label": "a", "amount": 1, "unit": "years"}]}, "schedule.fixed[0]"),
    (
        {
            "fixed": [
                {"label": "3m", "amount": 3, "unit": "months"},
                {"label": "1m", "amount": 1, "unit": "months"},
            ]
        },
        "schedule.fixed[1]",
    ),
    ({"instruments": {"2w": ["nrs", "painometer"]}}, "schedule.instruments.2w"),
    ({"instruments": {"7w": ["nrs"]}}, "schedule.instruments.7w"),
    ({"horizon_months": 6}, "schedule.horizon_months"),  # before the 12-month set
]


@pytest.mark.parametrize(("data", "field"), BAD_SCHEDULES)
def test_bad_schedules_name_the_setting(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_schedule(data)
    assert exc.value.field == field
    assert field.split("[")[0] in str(exc.value)


def test_sets_whose_window_closed_before_the_plan_started_are_left_out() -> None:
    sets = schedule_sets(D(2026, 1, 1), today=D(2026, 1, 20))
    assert [s.timepoint for s in sets][:2] == ["2w", "1m"]  # baseline closed on 15 Jan


INSTRUMENTS = [
    # (timepoint, region, pain measure, expected)
    ("baseline", "low_back", "nrs", ("nrs", "sqs", "gad7", "phq9", "odi", "eq5d5l")),
    ("3m", "low_back", "nrs", ("nrs", "sqs", "gad7", "phq9", "odi", "eq5d5l", "pgic")),
    ("baseline", "neck", "bpi", ("bpi", "sqs", "gad7", "phq9", "ndi", "eq5d5l")),
    ("6m", "neck", "nrs", ("nrs", "sqs", "gad7", "phq9", "ndi", "eq5d5l", "pgic")),
    ("2w", "thoracic", "bpi", ("bpi", "sqs", "gad7", "phq9", "odi", "eq5d5l", "pgic")),
]


@pytest.mark.parametrize(("timepoint", "region", "pain", "expected"), INSTRUMENTS)
def test_default_instruments_by_region(
    timepoint: str, region: str, pain: str, expected: tuple[str, ...]
) -> None:
    assert instruments_for(timepoint, region=region, pain_measure=pain) == expected


def test_side_effects_asked_at_every_set_after_baseline() -> None:
    sets = schedule_sets(D(2026, 1, 1))
    assert [s.ask_side_effects for s in sets] == [False] + [True] * (len(sets) - 1)
    assert all(s.ask_red_flags for s in sets)


def test_instrument_override_per_timepoint() -> None:
    config = parse_schedule({"instruments": {"2w": ["nrs", "pgic"]}})
    by = {s.timepoint: s.instruments for s in schedule_sets(D(2026, 1, 1), config)}
    assert by["2w"] == ("nrs", "pgic")
    assert by["1m"][0] == "nrs" and len(by["1m"]) == 7


@pytest.mark.parametrize(
    ("kw", "field"), [({"region": "knee"}, "region"), ({"pain_measure": "vas"}, "pain_measure")]
)
def test_unknown_region_or_pain_measure_refused(kw: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        instruments_for("baseline", **kw)
    assert exc.value.field == field
