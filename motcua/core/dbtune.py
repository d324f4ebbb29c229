"""Database connection tuning that changes no result.

PostgreSQL: Django reads every `timestamptz` through a loader of its own (a pure-Python subclass of
psycopg's), so that the value carries the connection's time zone. It parses the text in Python, at
about 4 µs a value: a page of twenty dossiers has two hundred of them. `FastTzLoader` gives the
same values (the same instant, the same `tzinfo` object) from psycopg's C parser. Installed on each
new connection when psycopg's binary package is there; otherwise Django's loader stays.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created


def fast_tz_loader(timezone: Any) -> type | None:
    """A timestamptz loader class for `timezone` (Django's connection.timezone), or None."""
    try:
        from django.db.backends.postgresql.psycopg_any import BaseTzLoader
        from psycopg_binary._psycopg import TimestamptzLoader as CLoader
    except ImportError:  # psycopg 2, or psycopg 3 without its C package
        return None

    class FastTzLoader(BaseTzLoader):  # type: ignore[misc, valid-type]
        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._parse = CLoader(oid, context).load

        def load(self, data: Any) -> Any:
            return self._parse(data).replace(tzinfo=self.timezone)

    FastTzLoader.timezone = timezone
    return FastTzLoader


def _on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql" or not hasattr(connection.connection, "adapters"):
        return
    loader = fast_tz_loader(connection.timezone)
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)


def install() -> None:
    connection_created.connect(_on_connection, dispatch_uid="motcua-fast-tz-loader")
