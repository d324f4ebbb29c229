"""The C-parsed timestamptz loader gives exactly what Django's own loader gives (PostgreSQL); other
databases are left alone."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from motcua.core.dbtune import _on_connection, fast_tz_loader

VALUES = ("2026-01-01 00:00:00.123456+07", "0001-01-01 00:00:00+00", "1900-06-01 12:00:00+07:07",
          "2026-02-17 23:59:59.999999-11", "9999-12-31 23:59:59+00", "2026-11-22 10:00:00+00")


@pytest.mark.django_db
def test_timestamps_read_through_the_fast_loader_are_djangos() -> None:
    connection.ensure_connection()
    if connection.vendor != "postgresql":
        # SQLite stores text and Django converts it: the hook must not touch such a connection.
        before = connection.connection
        _on_connection(sender=None, connection=connection)
        assert connection.connection is before and not hasattr(before, "adapters")
        return
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text
    assert loader.__name__ == "FastTzLoader" and loader.timezone == connection.timezone
    sql = "SELECT " + ", ".join(f"'{v}'::timestamptz" for v in VALUES) + ", NULL::timestamptz"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        fast = cursor.fetchone()
    register_tzloader(connection.timezone, connection.connection)  # Django's loader, for comparison
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            django = cursor.fetchone()
    finally:
        connection.connection.adapters.register_loader("timestamptz", fast_tz_loader(connection.timezone))
    assert fast == django
    assert [v.tzinfo for v in fast if v] == [v.tzinfo for v in django if v]
    assert fast[0] == datetime.datetime(2025, 12, 31, 17, 0, 0, 123456, tzinfo=datetime.UTC)
    assert fast[-1] is None
