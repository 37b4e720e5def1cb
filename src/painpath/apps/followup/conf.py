"""Follow-up settings with their defaults (override any of them in Django settings).

* ``PAINPATH_FOLLOWUP_SCHEDULE``: the clinic's schedule (``painpath.clinical.followup.schedule``
  JSON: fixed timepoints, repeat, horizon, window, instruments per timepoint); a plan may override.
* ``PAINPATH_FOLLOWUP_REMINDER_DAYS`` (3, 7) and ``PAINPATH_FOLLOWUP_FINAL_REMINDER_DAY`` (14):
  days after the invitation (ADR 0077).
* ``PAINPATH_FOLLOWUP_SEND_TIME`` ("09:00"): local time of day (``TIME_ZONE``) for emails.
* ``PAINPATH_FOLLOWUP_LEASE_SECONDS`` (300): how long a scheduler's claim on a message holds
  before another worker may retry it (ADR 0079).
* ``PAINPATH_FOLLOWUP_START_WINDOW_DAYS`` ((28, 90)): how far in the past / future a plan may
  start.
* ``PAINPATH_CLINIC_NAME``: the clinic's name in emails; ``PAINPATH_BASE_URL`` for links.
* ``PAINPATH_QUESTIONNAIRE_WORDING``: {instrument code: path to the clinic's licensed FHIR R4
  Questionnaire} (CLINICAL.md section 2, Licences).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from painpath.clinical.followup.reminders import ReminderPolicy, parse_policy
from painpath.clinical.followup.schedule import ScheduleConfig, parse_schedule


def clinic_schedule(overrides: Mapping[str, Any] | None = None) -> ScheduleConfig:
    """The clinic's schedule with a plan's ``overrides`` on top (InvalidInput when invalid)."""
    base = dict(getattr(settings, "PAINPATH_FOLLOWUP_SCHEDULE", {}) or {})
    base.update(overrides or {})
    return parse_schedule(base)


def reminder_policy() -> ReminderPolicy:
    return parse_policy(
        tuple(getattr(settings, "PAINPATH_FOLLOWUP_REMINDER_DAYS", (3, 7))),
        getattr(settings, "PAINPATH_FOLLOWUP_FINAL_REMINDER_DAY", 14),
    )


def send_time() -> dt.time:
    return dt.time.fromisoformat(str(getattr(settings, "PAINPATH_FOLLOWUP_SEND_TIME", "09:00")))


def local_zone() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "PAINPATH_FOLLOWUP_LEASE_SECONDS", 300)))


def start_window() -> tuple[int, int]:
    past, future = getattr(settings, "PAINPATH_FOLLOWUP_START_WINDOW_DAYS", (28, 90))
    return int(past), int(future)


def clinic_name() -> str:
    return str(getattr(settings, "PAINPATH_CLINIC_NAME", "your pain clinic"))


def base_url() -> str:
    return str(getattr(settings, "PAINPATH_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def wording_files() -> dict[str, str]:
    return dict(getattr(settings, "PAINPATH_QUESTIONNAIRE_WORDING", {}) or {})
