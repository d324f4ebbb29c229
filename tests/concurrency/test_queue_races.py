"""Kiosks and counters at once (threads on their own connections; SQLite and PostgreSQL): fifty
tickets taken together get fifty consecutive numbers, and two counters calling together never call
the same ticket."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.accounts.models import User
from motcua.accounts.selectors import actor_for
from motcua.core.errors import DomainError
from motcua.queueing.models import Counter, Ticket
from motcua.queueing.services import counter_call_next, ticket_take

from .test_concurrent_writes import UNIT, run_at_once


@pytest.fixture
def queue_setup(province: None) -> None:
    from motcua.demo.queue import seed_queue_setup

    seed_queue_setup()


@pytest.mark.django_db(transaction=True)
def test_fifty_kiosks_get_fifty_consecutive_numbers(queue_setup: None) -> None:
    def take(i: int, _: Any) -> str:
        return ticket_take(centre=UNIT, service="ho-tich").number

    numbers, errors = run_at_once(50, take)
    assert errors == []
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 51)]
    assert Ticket.objects.filter(centre__code=UNIT).count() == 50


@pytest.mark.django_db(transaction=True)
def test_two_counters_never_call_the_same_ticket(queue_setup: None) -> None:
    for _ in range(6):
        ticket_take(centre=UNIT, service="kinh-doanh")  # served by both counters of Việt Trì
    official = actor_for(User.objects.get(username="tiepnhan.viettri"))
    counters = list(Counter.objects.filter(centre__code=UNIT).order_by("name").values_list("pk", flat=True))

    def call(i: int, _: Any) -> str:
        try:
            return counter_call_next(actor=official, counter_id=counters[i % 2]).number
        except DomainError as exc:
            return exc.code

    for _round in range(3):
        called, errors = run_at_once(2, call)
        assert errors == []
        assert len(set(called)) == 2, called
    assert Ticket.objects.filter(state="called").count() == 2
    assert Ticket.objects.filter(state="done").count() == 4
    assert sorted(Ticket.objects.values_list("calls", flat=True)) == [1] * 6
