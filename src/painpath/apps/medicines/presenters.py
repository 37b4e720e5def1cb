"""Display and serialisation of core results (templates and JSON stay logic-free)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from painpath.clinical.medicines import Issue, TitrationSchedule
from painpath.clinical.medicines.products import fmt


def schedule_rows(schedule: TitrationSchedule) -> list[dict[str, Any]]:
    """A schedule as JSON-safe rows (decimals as strings, never floats)."""
    return [
        {
            "day": d.day,
            "phase": d.phase,
            "doses": [
                {
                    "product": line.product,
                    "amount_per_dose": fmt(line.amount_per_dose),
                    "doses_per_day": line.doses_per_day,
                    "amount_per_day": fmt(line.amount_per_day),
                    "unit": line.unit.value,
                    "text": line.text(),
                }
                for line in d.doses
            ],
            "thc_mg": fmt(d.thc_mg),
            "cbd_mg": fmt(d.cbd_mg),
            "thc_target_mg": fmt(d.thc_target_mg),
            "cbd_target_mg": fmt(d.cbd_target_mg),
            "step_change": d.step_change,
            "at_maximum": d.at_maximum,
        }
        for d in schedule.days
    ]


def step_rows(rows: list[dict[str, Any]], start: dt.date | None = None) -> list[dict[str, Any]]:
    """Rows grouped into periods of unchanged dose: what a patient's schedule prints. With
    ``start`` (the plan's day 1) each period also gets its calendar dates."""
    periods: list[dict[str, Any]] = []
    for row in rows:
        if row["step_change"] or not periods:
            periods.append({**row, "first_day": row["day"], "last_day": row["day"]})
        else:
            periods[-1]["last_day"] = row["day"]
    for period in periods:
        period["dose_text"] = " + ".join(f"{d['product']}: {d['text']}" for d in period["doses"])
        if start is not None:
            period["first_date"] = start + dt.timedelta(days=period["first_day"] - 1)
            period["last_date"] = start + dt.timedelta(days=period["last_day"] - 1)
    return periods


def day_rows(rows: list[dict[str, Any]], start: dt.date) -> list[dict[str, Any]]:
    """Every day of a plan with its date, dose text, mg delivered and the protocol's target."""
    return [
        {
            **row,
            "date": start + dt.timedelta(days=row["day"] - 1),
            "dose_text": " + ".join(f"{d['product']}: {d['text']}" for d in row["doses"]),
        }
        for row in rows
    ]


def issue_dicts(issues: tuple[Issue, ...] | list[Issue]) -> list[dict[str, object]]:
    return [i.to_dict() for i in issues]


def decimal_text(value: Decimal | None) -> str:
    return "" if value is None else fmt(Decimal(value))


def followup_note(outcome: dict[str, Any] | None, *, has_email: bool) -> dict[str, Any] | None:
    """What the prescription page says about the follow-up plan its signing started (ADR
    0091): the first set's due date, or why no plan started; and, without an email address,
    that links cannot be emailed (the clinic adds one, or the patient uses the portal)."""
    if outcome is None:
        return None
    plan = outcome["plan"]
    if outcome["status"] == "already_active":
        since = f" (started {_day(plan.started_on)})" if plan is not None else ""
        text = (
            "Follow-up plan not started: the patient already has an active follow-up plan"
            f"{since}; it was left as it is."
        )
    else:
        due = outcome["first_due"]
        text = "Follow-up plan started: " + (
            f"first set due {_day(due)}." if due else "no set left to answer."
        )
    started = outcome["status"] == "started"
    return {
        "text": text,
        "style": "message-warning" if not has_email else ("message-success" if started else ""),
        "no_email": (
            "The patient has no email address: the follow-up sets are created but their links "
            "cannot be emailed. Add an email address to the record, or the patient can answer "
            "in the portal."
            if not has_email
            else ""
        ),
    }


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"
