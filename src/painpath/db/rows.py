"""One-row reads and inserts on the API's hot path, with the SQL compiled by the ORM once.

Compiling a query cost more CPU than running it: ``Patient.objects.get(pk=...)`` or a ``save()``
of one row spent most of its time building SQL the ORM had built the request before. Here the
ORM still writes the SQL (per database vendor and model, then cached), and every value goes
through the same field and backend conversions a normal query applies, so results are the
instances ``get()`` and ``save()`` would give (tests/integration/records/
test_records_fast_paths.py). The default database only. Only plain single-table models: a model
with parents, or with ``pre_save``/``post_save`` receivers, or a value that is an expression,
falls back to the ORM.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite writers use its busy handler alone
    fcntl = None  # type: ignore[assignment]
from django.db.models import Model, signals
from django.db.models.sql import InsertQuery

#: (vendor, model) -> compiled SQL. Per vendor because quoting and RETURNING differ.
_SELECT_BY_PK: dict[tuple[str, type[Model]], str] = {}
_INSERT: dict[tuple[str, type[Model]], tuple[str, list[Any], list[Any]] | None] = {}
_WRITERS = threading.local()
_ROW_PLAN: dict[tuple[str, type[Model]], tuple[list[str], list[tuple[int, Any, list[Any]]]]] = {}


def _db() -> Any:
    """The default connection itself (``django.db.connection`` is a proxy that looks it up on
    every attribute access, which the loops below would repeat per field)."""
    return connections[DEFAULT_DB_ALIAS]


def cursor() -> Any:
    """A cursor for the hot-path statements (those in this module, the token lookup, the
    timeline). On PostgreSQL with ``prepare_threshold`` in the database OPTIONS (settings) it
    binds parameters on the server, so psycopg prepares each statement once it has run that many
    times on the connection and the server skips parsing and planning it (ADR 0052). Django's own
    cursors bind on the client and are never prepared. Elsewhere: the usual cursor."""
    db = _db()
    if db.vendor != "postgresql" or db.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return db.cursor()
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    # As BaseDatabaseWrapper.cursor() does, with a server-binding cursor in place of the default.
    db.close_if_health_check_failed()
    db.ensure_connection()
    with db.wrap_database_errors:
        raw = ServerBindingCursor(db.connection)
        if db.timezone != db.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone:
            register_tzloader(db.timezone, raw)
        db.validate_thread_sharing()
        return db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)


def _converters(db: Any, field: Any) -> tuple[Any, list[Any]]:
    """The column expression and the converters the ORM applies to ``field``'s values."""
    col = field.get_col(field.model._meta.db_table)
    return col, [*db.ops.get_db_converters(col), *col.get_db_converters(db)]


def convert(field: Any, value: Any) -> Any:
    """A raw database value of ``field`` as the ORM would return it (e.g. aware datetimes)."""
    db = _db()
    col, convs = _converters(db, field)
    for converter in convs:
        value = converter(value, col, db)
    return value


def _row_plan(db: Any, model: type[Model]) -> tuple[list[str], list[tuple[int, Any, list[Any]]]]:
    key = (db.vendor, model)
    plan = _ROW_PLAN.get(key)
    if plan is None:
        fields = model._meta.concrete_fields
        converting = [(i, *_converters(db, f)) for i, f in enumerate(fields)]
        plan = _ROW_PLAN[key] = ([f.attname for f in fields], [c for c in converting if c[2]])
    return plan


def from_row(model: type[Model], row: Any) -> Any:
    """An instance of ``model`` from the first ``len(concrete_fields)`` values of ``row`` (in
    ``_meta.concrete_fields`` order), converted as the ORM converts query results."""
    db = _db()
    attnames, converting = _row_plan(db, model)
    values = list(row[: len(attnames)])
    for i, col, convs in converting:
        value = values[i]
        for converter in convs:
            value = converter(value, col, db)
        values[i] = value
    return model.from_db(db.alias, attnames, values)


def select_columns(model: type[Model], alias: str) -> str:
    """``alias."col", ...`` for every concrete field of ``model``, in ``from_row`` order."""
    q = _db().ops.quote_name
    return ", ".join(f"{alias}.{q(f.column)}" for f in model._meta.concrete_fields)


def get_by_pk(model: type[Model], pk: object) -> Any:
    """``model._base_manager.filter(pk=pk).first()`` without compiling the query each call."""
    db = _db()
    key = (db.vendor, model)
    sql = _SELECT_BY_PK.get(key)
    if sql is None:
        query = model._base_manager.filter(pk=0).order_by().query
        sql, params = query.get_compiler(connection=db).as_sql()
        if list(params) != [0]:  # pragma: no cover - a guard if Django changes its SQL
            raise RuntimeError(f"unexpected parameters in the compiled {model.__name__} query")
        _SELECT_BY_PK[key] = sql
    pk_field = model._meta.pk
    value = pk_field.get_prep_value(pk)
    if isinstance(value, int):  # as the ORM does: an id out of the column's range matches nothing
        low, high = db.ops.integer_field_range(pk_field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            return None
    with cursor() as c:
        c.execute(sql, [value])
        row = c.fetchone()
    return None if row is None else from_row(model, row)


def _insert_plan(db: Any, obj: Model) -> tuple[str, list[Any], list[Any]] | None:
    """The compiled INSERT for ``obj``'s model, its fields and RETURNING fields; None when the
    model needs what a fixed statement cannot give (parents, placeholders that vary by value)."""
    model, meta = type(obj), obj._meta
    key = (db.vendor, model)
    if key not in _INSERT:
        fields = [
            f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field
        ]
        returning = list(meta.db_returning_fields)
        query = InsertQuery(model)
        query.insert_values(fields, [model()], raw=False)
        compiler = query.get_compiler(connection=db)
        compiler.returning_fields = returning
        statements = compiler.as_sql()
        plain = (
            not meta.parents
            and meta.auto_field is not None
            and db.features.can_return_columns_from_insert
            and not any(hasattr(f, "get_placeholder") for f in fields)
            and len(statements) == 1
            and len(statements[0][1]) == len(fields)
        )
        _INSERT[key] = (statements[0][0], fields, returning) if plain else None
    return _INSERT[key]


def insert(obj: Model) -> Any:
    """``obj.save(force_insert=True)`` for a new row, with the INSERT compiled once.

    Values are prepared exactly as the ORM's insert prepares them (``pre_save`` fills
    ``auto_now_add``; ``get_db_prep_save`` adapts JSON, dates, ...); the primary key comes back
    through ``RETURNING``. Anything this does not cover goes through ``save()``.
    """
    db = _db()
    model = type(obj)
    plan = None
    if obj.pk is None and not (
        signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)
    ):
        plan = _insert_plan(db, obj)
    if plan is None:
        obj.save(force_insert=True)
        return obj
    sql, fields, returning = plan
    obj._prepare_related_fields_for_save(operation_name="save")
    values = [f.pre_save(obj, True) for f in fields]
    if any(hasattr(v, "resolve_expression") for v in values):
        obj.save(force_insert=True)
        return obj
    params = [f.get_db_prep_save(v, db) for f, v in zip(fields, values, strict=True)]
    with transaction.mark_for_rollback_on_error(db.alias), cursor() as c:
        c.execute(sql, params)
        row = c.fetchone()
    for field, value in zip(returning, row, strict=True):
        col, convs = _converters(db, field)
        for converter in convs:
            value = converter(value, col, db)
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = db.alias
    return obj


def _writers_lock(db: Any) -> int | None:
    """This thread's descriptor of ``<database file>-writers``, or None when no lock is needed:
    not SQLite, an in-memory database, or already inside a transaction (which, on SQLite, holds
    the write lock already; waiting for the file lock then could deadlock with its holder)."""
    if fcntl is None or db.vendor != "sqlite" or db.in_atomic_block or db.is_in_memory_db():
        return None
    path = f"{db.settings_dict['NAME']}-writers"
    held = getattr(_WRITERS, "held", None)
    # One descriptor per thread and process: flock excludes other open descriptors, including
    # other threads' (a descriptor inherited through fork would be shared, hence the pid).
    if held is None or held[:2] != (os.getpid(), path):
        if held is not None and held[0] == os.getpid():
            os.close(held[2])
        _WRITERS.held = held = (os.getpid(), path, os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    fd: int = held[2]
    return fd


@contextmanager
def write_transaction() -> Iterator[None]:
    """``transaction.atomic()``; on a SQLite database file, writers from every process and thread
    first queue on an exclusive ``flock`` of ``<database>-writers`` (ADR 0053).

    SQLite has one writer at a time, and a writer that finds the database locked polls it,
    sleeping 1, 2, 5, 10, 15 ... ms between tries while others may take the lock first: the
    tail of the POST latencies. The kernel wakes a ``flock`` waiter as soon as the lock is
    released, so writers take turns instead. Writers that do not use this still take SQLite's
    lock as before and never wait for the file lock, so there is no lock-order deadlock; nested
    inside a transaction it is plain ``atomic()``.
    """
    db = _db()
    fd = _writers_lock(db)
    if fd is None:
        with transaction.atomic(using=db.alias):
            yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with transaction.atomic(using=db.alias):
            yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
