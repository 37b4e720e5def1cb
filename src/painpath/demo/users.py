"""Demo users, one per role (usernames = role names), for trying painpath out.

The password is ``PAINPATH_DEMO_PASSWORD`` or a fixed demo default printed by ``painpath serve``;
demo users are only created on an empty database (``painpath serve``) or by ``painpath
demo-data``. Never seed them into a production database (``painpath serve --no-seed``).
"""

from __future__ import annotations

import os
from typing import Any

from painpath.apps.accounts.models import Role, User

DEFAULT_PASSWORD = "painpath-demo-2026"

_DETAILS: dict[str, dict[str, Any]] = {
    Role.PRESCRIBER: {
        "first_name": "Morgan",
        "last_name": "Reeve (demo consultant)",
        "on_specialist_register": True,
        "gmc_number": "9999991",
        "work_address": "Demo Pain Clinic, 1 Larkspur Lane, Ashcombe AB1 0AA",
    },
    Role.NURSE: {"first_name": "Priya", "last_name": "Shah (demo nurse)"},
    Role.ADMIN: {"first_name": "Jordan", "last_name": "Lee (demo admin)"},
    Role.RESEARCHER: {"first_name": "Robin", "last_name": "Hale (demo researcher)"},
    Role.CHARITY: {"first_name": "Sam", "last_name": "Okafor (demo charity)"},
    Role.PATIENT: {"first_name": "Alex", "last_name": "Demo (patient)"},
}


def demo_password() -> str:
    return os.environ.get("PAINPATH_DEMO_PASSWORD") or DEFAULT_PASSWORD


def ensure_demo_users(password: str | None = None) -> dict[str, User]:
    """One user per role; existing users keep their password. Returns users by role."""
    password = password or demo_password()
    users: dict[str, User] = {}
    for role in Role:
        user, created = User.objects.get_or_create(
            username=role.value, defaults={"role": role.value, **_DETAILS[role.value]}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        users[role.value] = user
    return users
