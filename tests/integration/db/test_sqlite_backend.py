"""painpath's SQLite backend: Django's, with the placeholder rewrite cached (ADR 0092)."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3 import base as django_sqlite

from painpath.apps.patients.models import Patient
from painpath.db.backends.sqlite3.base import SQLiteCursorWrapper, _qmark

QUERIES = [
    "SELECT 1",
    "SELECT * FROM t WHERE a = %s AND b = %s",
    "SELECT '%%s' || %s",  # an escaped percent before an s is not a placeholder
    "SELECT * FROM t WHERE name LIKE %s ESCAPE '\\' AND x = '100%%'",
    "INSERT INTO t (a, b, c) VALUES (%s, %s, %s) RETURNING id",
    "",
]


@pytest.mark.parametrize("query", QUERIES)
def test_cached_rewrite_is_djangos_rewrite(query: str) -> None:
    theirs = django_sqlite.SQLiteCursorWrapper.convert_query(None, query)  # type: ignore[arg-type]
    assert _qmark(query) == theirs
    assert _qmark(query) == theirs  # and the same again from the cache


def test_named_parameters_are_left_to_django() -> None:
    cursor = sqlite3.connect(":memory:").cursor(factory=SQLiteCursorWrapper)
    assert cursor.convert_query("SELECT %(a)s, %(b)s", param_names=["a", "b"]) == "SELECT :a, :b"
    cursor.execute("SELECT %(a)s || '%%', %(b)s", {"a": "50", "b": 2})
    assert cursor.fetchone() == ("50%", 2)


@pytest.mark.django_db
def test_the_sqlite_database_uses_the_cached_backend() -> None:
    expected = {
        "sqlite": "painpath.db.backends.sqlite3.base",
        "postgresql": "django.db.backends.postgresql.base",  # Django's own, unchanged
    }
    assert type(connections["default"]).__module__ == expected[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s || '%%', %s", ["50", 2])
        assert cursor.fetchone() == ("50%", 2)
    # The ORM works through it, literal percent signs included.
    assert not Patient.objects.filter(family_name__contains="100%").exists()
