"""Many desks at once: codes stay distinct and consecutive; two officials acting on one dossier,
one wins and the other gets a clear conflict. Runs on SQLite and on PostgreSQL (CI runs both)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from motcua.accounts.models import User
from motcua.accounts.selectors import actor_for
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import ApplicantData, dossier_create, dossier_forward

UNIT = "000.01.31.H45"


def run_at_once(count: int, work: Callable[[int, Any], Any],
                prepare: Callable[[int], Any] = lambda i: None) -> tuple[list[Any], list[BaseException]]:
    """Run `work(i, prepared)` in `count` threads released together after each ran `prepare(i)`."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        try:
            prepared = prepare(i)
            barrier.wait(timeout=30)
            value = work(i, prepared)
            with lock:
                results.append(value)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_fifty_desks_get_fifty_consecutive_codes(catalogue):
    desk_user = User.objects.get(username="tiepnhan.viettri")
    citizen = User.objects.get(username="025090000123")
    online_actor = actor_for(citizen)

    def create(i: int, _: Any) -> str:
        if i % 2:
            actor = online_actor
            channel = "online"
            applicant = None
        else:
            actor = actor_for(desk_user)
            channel = "direct"
            applicant = ApplicantData(name=f"Người nộp số {i}", phone="0912345678")
        return dossier_create(actor=actor, procedure_code="1.001193", channel=channel, receiving_unit_code=UNIT,
                              applicant=applicant).code

    codes, errors = run_at_once(50, create)
    assert errors == []
    day = clock.today().strftime("%y%m%d")
    assert sorted(codes) == [f"{UNIT}-{day}-{n:04d}" for n in range(1, 51)]
    assert Dossier.objects.filter(receiving_unit__code=UNIT).count() == 50
    assert DossierEvent.objects.filter(action="create").count() == 50


@pytest.mark.django_db(transaction=True)
def test_two_desks_one_dossier_one_wins(catalogue):
    desk_a = actor_for(User.objects.get(username="tiepnhan.viettri"))
    other = User.objects.create_user(username="tiepnhan2.viettri", password="x-motcua-demo", full_name="Lò Văn Hai")
    other.memberships.create(unit_id=desk_a.unit_ids().pop(), role="reception")
    desk_b = actor_for(other)
    dossier = dossier_create(actor=desk_a, procedure_code="1.001193", channel="direct", receiving_unit_code=UNIT,
                             applicant=ApplicantData(name="Nguyễn Văn An"))

    def read(i: int) -> int:
        # Each desk has the dossier open at the same version (what the API does before acting).
        return Dossier.objects.get(pk=dossier.pk).row_version

    def forward(i: int, seen_version: int) -> str:
        actor = desk_a if i == 0 else desk_b
        return dossier_forward(actor=actor, code=dossier.code, note=f"bàn {i}", expected_version=seen_version).code

    results, errors = run_at_once(2, forward, prepare=read)
    assert len(results) == 1
    assert len(errors) == 1
    err = errors[0]
    assert isinstance(err, DomainError)
    assert (err.status, err.code) == (409, "stale_dossier")
    dossier.refresh_from_db()
    assert dossier.current_step_index == 1
    assert dossier.events.filter(action="forward").count() == 1


@pytest.mark.django_db(transaction=True)
def test_stale_version_is_a_conflict(catalogue):
    desk = actor_for(User.objects.get(username="tiepnhan.viettri"))
    dossier = dossier_create(actor=desk, procedure_code="1.001193", channel="direct", receiving_unit_code=UNIT,
                             applicant=ApplicantData(name="Nguyễn Văn An"))
    with pytest.raises(DomainError) as exc:
        dossier_forward(actor=desk, code=dossier.code, expected_version=dossier.row_version + 5)
    assert (exc.value.status, exc.value.code) == (409, "stale_dossier")
    assert dossier_forward(actor=desk, code=dossier.code, expected_version=dossier.row_version).status == 4


@pytest.mark.django_db(transaction=True)
def test_two_desks_accept_one_online_dossier_over_http(catalogue, api):
    """Through the API: both desks open the dossier, both press "accept"; one 200, one 409."""
    citizen = api("025090000123")
    code = citizen.post("/dossiers", {"procedure": "1.001193", "channel": "online", "receiving_unit": UNIT}).json()["code"]
    other = User.objects.create_user(username="tiepnhan2.viettri", password="x-motcua-demo", full_name="Lò Văn Hai")
    other.memberships.create(unit=User.objects.get(username="tiepnhan.viettri").memberships.get().unit, role="reception")
    desks = [api("tiepnhan.viettri"), api("tiepnhan2.viettri", password="x-motcua-demo")]

    def accept(i: int, _: Any) -> int:
        return int(desks[i].act(code, "accept").status_code)

    statuses, errors = run_at_once(2, accept)
    assert errors == []
    assert sorted(statuses) == [200, 409]
    assert DossierEvent.objects.filter(dossier__code=code, action="accept").count() == 1
