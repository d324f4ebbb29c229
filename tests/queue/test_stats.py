"""Waiting and serving statistics: the pure summary, and the supervisor's page per centre, area,
counter and hour."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client

from motcua.core.clock import VN_TZ
from motcua.queueing.domain import Times, spoken_number, summarise, ticket_number

from .conftest import CENTRE

T0 = datetime(2026, 3, 10, 8, 0, tzinfo=VN_TZ)


def test_numbers_and_the_spoken_call() -> None:
    assert ticket_number("A", 15) == "A015" and ticket_number("B", 1234) == "B1234"
    assert spoken_number("A015") == "A, không, một, năm"


def test_summary_of_waiting_and_serving() -> None:
    m = timedelta(minutes=1)
    s = summarise([
        Times(T0, T0 + 10 * m, T0 + 10 * m, T0 + 16 * m, "done"),
        Times(T0, T0 + 20 * m, T0 + 22 * m, T0 + 26 * m, "done"),  # recalled at +22
        Times(T0, T0 + 30 * m, T0 + 30 * m, T0 + 31 * m, "skipped"),
        Times(T0, None, None, None, "waiting"),
    ])
    assert (s.tickets, s.served, s.skipped, s.waiting) == (4, 2, 1, 1)
    assert s.average_wait_minutes == 20.0 and s.max_wait_minutes == 30.0
    assert s.average_serve_minutes == 5.0  # (6 + 4) / 2, from the last call
    assert summarise([]).average_wait_minutes is None


@pytest.mark.django_db
def test_the_supervisor_sees_times_per_centre_area_counter_and_hour(queue_setup: None) -> None:
    from motcua.demo.queue import seed_queue_tickets

    assert seed_queue_tickets(now=datetime(2026, 3, 10, 10, 30, tzinfo=VN_TZ)) == 8
    client = Client()
    assert client.login(username="giamsat.viettri", password="motcua-demo")
    r = client.get("/bao-cao/hang-cho/", {"unit": "000.00.31.H45", "date_from": "2026-03-01",
                                          "date_to": "2026-03-31"})
    html = r.content.decode()
    assert r.status_code == 200, html
    for kind in ("centre", "area", "counter", "hour"):
        assert f'data-testid="queue-{kind}"' in html
    assert "Trung tâm Phục vụ hành chính công phường Việt Trì" in html and "A — Hộ tịch, chứng thực" in html
    assert "Quầy 1" in html and "7:00–7:59" in html
    from motcua.queueing.selectors import queue_stats
    from motcua.units.models import Unit

    stats = queue_stats({Unit.objects.get(code=CENTRE).pk}, T0.date(), T0.date())
    (centre,) = stats["centre"]
    assert (centre["tickets"], centre["served"], centre["skipped"], centre["waiting"]) == (8, 4, 1, 2)
    # The dashboard has the times per centre, with a link to the rest.
    dash = client.get("/bao-cao/", {"unit": "000.00.31.H45", "date_from": "2026-03-01", "date_to": "2026-03-31"})
    html = dash.content.decode()
    assert dash.status_code == 200 and 'data-testid="queue-section"' in html and 'data-testid="queue-centre"' in html
    assert "/bao-cao/hang-cho/?unit=000.00.31.H45" in html
    # The Việt Trì supervisor may not pick another commune (it is not among the choices).
    r = client.get("/bao-cao/hang-cho/", {"unit": "000.00.32.H45"})
    assert r.status_code == 400 and "Quầy 1" not in r.content.decode()
