"""Reads whose SQL the ORM builds once per database connection and shape.

Building a QuerySet and compiling it to SQL costs more CPU than PostgreSQL spends answering a small
indexed read (0.5–1 ms of Python for a `values()` query of a few dozen columns). The busiest reads
(a dossier's pauses, fees and attachments, its events, the public lookup) have a fixed shape: the
same SQL text every time, only the parameters change. A `PreparedRead` lets the ORM build and
compile the query the first time a shape is seen on a connection, keeps the SQL and the ORM's
converters, and afterwards only runs the SQL with the new parameters. The SQL is always the ORM's:
nothing here is written by hand.

`params(*args)` must list the parameters in the order the compiled SQL uses them; it is checked
against the ORM's own parameters every time a shape is compiled, and a mismatch is a programming
error: with MOTCUA["VALIDATE_RESPONSES"] (tests, DEBUG) it raises, in production the read falls
back to the ORM for that shape and logs the error once. A read may instead let its `shape` fix the
parameters too (`params=None`); the tests then check every reuse against a fresh compilation.

On PostgreSQL the statements also run with server-side parameters, so that the server prepares
them (`_cursor`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

log = logging.getLogger("motcua.prepared")


class PreparedMismatch(AssertionError):
    """`params` does not give the parameters of the compiled SQL."""


class _Compiled:
    __slots__ = ("compiler", "converters", "names", "params", "sql")

    def __init__(self, sql: str, params: list[Any], names: list[str], compiler: Any,
                 converters: dict[int, Any]) -> None:
        self.sql, self.params, self.names, self.compiler, self.converters = sql, params, names, compiler, converters


_FALLBACK = object()


def _cursor(connection: Any) -> Any:
    """On PostgreSQL (psycopg 3) with MOTCUA["DB_PREPARED_STATEMENTS"], a cursor with server-side
    parameters, so that psycopg prepares the statement on the server from its second execution on
    the connection: PostgreSQL then neither parses nor plans it again. Django's own cursors bind
    parameters on the client and never prepare, so nothing else changes. Elsewhere, Django's cursor."""
    if connection.vendor != "postgresql" or not settings.MOTCUA.get("DB_PREPARED_STATEMENTS", True):
        return connection.cursor()
    try:
        import psycopg
    except ImportError:  # psycopg 2
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = 1  # prepare from the second execution (Django leaves it off)
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = psycopg.Cursor(raw)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


class PreparedRead:
    """`build(*args)` returns a `values()`/`values_list()` QuerySet; calling the read returns its rows
    as dicts (keyed by the selected names, annotations included).

    `params(*args)` gives the parameters of the SQL for new arguments. With `params=None` the
    `shape` must determine the whole query, parameters included (e.g. the user and the roles a
    worklist is built from): the parameters are kept with the SQL. With MOTCUA["VALIDATE_RESPONSES"]
    every such reuse is checked by building and compiling the query again."""

    MAX_SHAPES = 2000  # per connection, across all reads: the oldest shape is forgotten first

    def __init__(self, name: str, build: Callable[..., QuerySet[Any, Any]],
                 params: Callable[..., Sequence[Any]] | None) -> None:
        self.name = name
        self.build = build
        self.params = params

    def __call__(self, *args: Any, shape: Hashable = (), using: str = "default") -> list[dict[str, Any]]:
        connection = connections[using]
        cache: dict[tuple[str, Hashable], Any] = connection.__dict__.setdefault("_motcua_prepared", {})
        key = (self.name, shape)
        compiled = cache.get(key)
        if compiled is None:
            try:
                compiled = self._compile(args, using)
            except EmptyResultSet:  # a filter that can match nothing (e.g. `__in=[]`): no query at all
                return []
            if len(cache) >= self.MAX_SHAPES:
                cache.pop(next(iter(cache)))
            cache[key] = compiled
        elif compiled is not _FALLBACK and self.params is None and settings.MOTCUA.get("VALIDATE_RESPONSES"):
            again = self.build(*args).query.get_compiler(using=using).as_sql()
            if again != (compiled.sql, tuple(compiled.params)):
                raise PreparedMismatch(f"prepared read {self.name}: the shape {shape!r} does not determine the query")
        if compiled is _FALLBACK:
            return _as_dicts(self.build(*args))
        params = compiled.params if self.params is None else list(self.params(*args))
        with _cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _compile(self, args: tuple[Any, ...], using: str) -> Any:
        qs = self.build(*args)
        query = qs.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if not query.values_select:
            raise PreparedMismatch(f"{self.name}: only values() and values_list() queries can be prepared")
        compiler = query.get_compiler(using=using)
        sql, compiled_params = compiler.as_sql()
        if self.params is not None:
            expected = list(self.params(*args))
            if list(compiled_params) != expected:
                message = (f"prepared read {self.name}: params() gives {expected!r}, the compiled SQL uses "
                           f"{list(compiled_params)!r}")
                if settings.MOTCUA.get("VALIDATE_RESPONSES"):
                    raise PreparedMismatch(message)
                log.error(message + "; falling back to the ORM")
                return _FALLBACK
        fields = [s[0] for s in compiler.select[0:compiler.col_count]]
        if len(names) != len(fields):
            raise PreparedMismatch(f"{self.name}: {len(names)} names for {len(fields)} columns")
        return _Compiled(sql, list(compiled_params), names, compiler, compiler.get_converters(fields))


def _as_dicts(qs: QuerySet[Any, Any]) -> list[dict[str, Any]]:
    query = qs.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    return [row if isinstance(row, dict) else dict(zip(names, row, strict=True)) for row in qs]
