"""Django's SQLite backend, remembering each query's "format" to "qmark" conversion.

Django writes SQL with ``%s`` placeholders; Python's sqlite3 wants ``?``. Django's cursor
rewrites every query with a look-behind regular expression on every execute, which was 8% of
the instructions of an API POST (docs/benchmarks.md, API). The rewrite depends on the query
text alone, and an application runs the same few hundred texts again and again, so the result
is kept in a bounded cache. Everything else is Django's backend, unchanged (ADR 0092).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    """Exactly Django's conversion for positional parameters (SQLiteCursorWrapper)."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> Any:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
