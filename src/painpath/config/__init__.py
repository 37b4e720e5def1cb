"""Django configuration. ``django_setup`` lets CLI commands use the ORM."""

from __future__ import annotations

import os


def django_setup() -> None:
    """Configure Django once for a CLI command (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpath.config.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
