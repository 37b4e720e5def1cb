"""Test-only: let transactional tests end with Django's flush despite append-only triggers.

A transactional test (``django_db(transaction=True)``: live-server browser tests, concurrency
tests) ends with a flush of every table: DELETE on SQLite, TRUNCATE on PostgreSQL. The triggers
of ``painpath.db.append_only`` rightly refuse both for the audit trail and the prescribing log.
For the flush alone, the triggers are lifted and then put back, so every test still runs against
the real triggers and no production code knows about tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from painpath.db.append_only import _backward, _forward


def append_only_tables(connection: Any) -> list[str]:
    """Tables guarded by append-only triggers in this database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE '%\\_no\\_delete' ESCAPE '\\'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE '%\\_append\\_only' ESCAPE '\\'"
            )
        return sorted(row[0] for row in cursor.fetchall())


class _Executor:
    """The two attributes ``painpath.db.append_only`` uses of a schema editor."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


@contextmanager
def triggers_lifted(connection: Any) -> Iterator[list[str]]:
    """Drop the append-only triggers for the duration of the block, then re-create them."""
    editor = _Executor(connection)
    tables = append_only_tables(connection)
    for table in tables:
        _backward(table)(None, editor)
    try:
        yield tables
    finally:
        for table in tables:
            _forward(table)(None, editor)


def flushing_past_triggers(original: Callable[[Any], None]) -> Callable[[Any], None]:
    """Wrap ``TransactionTestCase._fixture_teardown`` (the flush) in ``triggers_lifted``."""
    from django.db import connections

    def teardown(self: Any) -> None:
        with ExitStack() as stack:
            for name in self._databases_names(include_mirrors=False):
                stack.enter_context(triggers_lifted(connections[name]))
            original(self)

    return teardown
