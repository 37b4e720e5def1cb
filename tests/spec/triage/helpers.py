"""Small helpers for the triage spec tests."""

from __future__ import annotations

from typing import Any

from painpath.clinical.triage import Triage, assess


def data(
    findings: list[Any] | None = None,
    *,
    region: str = "low_back",
    age: int = 40,
    sex: str = "female",
    duration_weeks: int = 8,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "region": region,
        "age": age,
        "sex": sex,
        "duration_weeks": duration_weeks,
        "findings": list(findings or []),
        **extra,
    }


def run(findings: list[Any] | None = None, **kwargs: Any) -> Triage:
    return assess(data(findings, **kwargs))


def flags(t: Triage) -> dict[str, str]:
    """red flag code -> urgency."""
    return {f.code: f.urgency for f in t.red_flags}


def f(code: str, days: int | None = None, course: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"code": code}
    if days is not None:
        out["days"] = days
    if course is not None:
        out["course"] = course
    return out
