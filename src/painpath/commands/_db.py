"""Shared start-up for commands that use the database: settings, the var/ folder, migrations."""

from __future__ import annotations


def prepare_database(*, migrate: bool = True) -> None:
    """Configure Django, create the data folder for the embedded database, apply migrations.

    A database that cannot be reached is a one-line CommandError, not a traceback.
    """
    from painpath.cli import CommandError
    from painpath.config import django_setup

    django_setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import OperationalError

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not migrate:
        return
    try:
        call_command("migrate", verbosity=0, interactive=False)
    except OperationalError as exc:
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        raise CommandError(f"cannot use the {engine} database: {exc}") from exc
