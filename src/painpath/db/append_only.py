"""Append-only tables: triggers that refuse UPDATE and DELETE at the database.

Used for the audit trail and the prescribing log. Enforcing it in the database (not only in
Python) means no code path, bug or console session can rewrite history. Works on SQLite and
PostgreSQL; the same migration operation serves both.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _forward(table: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
                )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{table} is append-only: % refused', TG_OP; END; "
                f"$$ LANGUAGE plpgsql;",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change();"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change();"
            )
        else:  # pragma: no cover - only the two supported databases
            raise RuntimeError(f"append-only triggers not implemented for {vendor}")

    return run


def _backward(table: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_change()")

    return run


def append_only(table: str) -> migrations.RunPython:
    """A migration operation making ``table`` append-only on SQLite and PostgreSQL."""
    return migrations.RunPython(_forward(table), _backward(table))
