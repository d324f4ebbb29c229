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
back to the ORM for that shape and logs the error once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

log = logging.getLogger("motcua.prepared")


class PreparedMismatch(AssertionError):
    """`params` does not give the parameters of the compiled SQL."""


class _Compiled:
    __slots__ = ("compiler", "converters", "names", "sql")

    def __init__(self, sql: str, names: list[str], compiler: Any, converters: dict[int, Any]) -> None:
        self.sql, self.names, self.compiler, self.converters = sql, names, compiler, converters


_FALLBACK = object()


class PreparedRead:
    """`build(*args)` returns a `values(*fields)` QuerySet; calling the read returns its rows as dicts."""

    def __init__(self, name: str, build: Callable[..., QuerySet[Any, dict[str, Any]]],
                 params: Callable[..., Sequence[Any]]) -> None:
        self.name = name
        self.build = build
        self.params = params

    def __call__(self, *args: Any, shape: Hashable = (), using: str = "default") -> list[dict[str, Any]]:
        connection = connections[using]
        cache: dict[tuple[str, Hashable], Any] = connection.__dict__.setdefault("_motcua_prepared", {})
        key = (self.name, shape)
        compiled = cache.get(key)
        if compiled is None:
            compiled, rows = self._compile(args, using)
            cache[key] = compiled
            return rows
        if compiled is _FALLBACK:
            return list(self.build(*args))
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, list(self.params(*args)))
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _compile(self, args: tuple[Any, ...], using: str) -> tuple[Any, list[dict[str, Any]]]:
        qs = self.build(*args)
        query = qs.query
        if query.annotation_select or query.extra_select or not query.values_select:
            raise PreparedMismatch(f"{self.name}: only values(*fields) queries can be prepared")
        compiler = query.get_compiler(using=using)
        sql, compiled_params = compiler.as_sql()
        expected = list(self.params(*args))
        if list(compiled_params) != expected:
            message = (f"prepared read {self.name}: params() gives {expected!r}, the compiled SQL uses "
                       f"{list(compiled_params)!r}")
            if settings.MOTCUA.get("VALIDATE_RESPONSES"):
                raise PreparedMismatch(message)
            log.error(message + "; falling back to the ORM")
            return _FALLBACK, list(qs)
        fields = [s[0] for s in compiler.select[0:compiler.col_count]]
        names = list(query.values_select)
        if len(names) != len(fields):
            raise PreparedMismatch(f"{self.name}: {len(names)} names for {len(fields)} columns")
        compiled = _Compiled(sql, names, compiler, compiler.get_converters(fields))
        return compiled, list(qs)
