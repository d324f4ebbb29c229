"""Ratings and petitions under real concurrency (threads on their own connections; SQLite and
PostgreSQL): one rating per dossier however many arrive at once, distinct consecutive petition
codes, and one winner when two officials act on one petition."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor, actor_for
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.feedback.models import Petition, PetitionEvent, Rating, RatingOfficial
from motcua.feedback.services import Contact, petition_create, petition_perform, rating_submit

from .test_concurrent_writes import UNIT, run_at_once

LEVELS = {"attitude": "satisfied", "timeliness": "satisfied", "clarity": "satisfied"}


def _returned_code() -> str:
    from motcua.dossiers.services import ApplicantData, dossier_create, dossier_perform

    who = {u: actor_for(User.objects.get(username=u)) for u in ("tiepnhan.viettri", "chuyenvien.viettri",
                                                                "lanhdao.viettri")}
    d = dossier_create(actor=who["tiepnhan.viettri"], procedure_code="1.001193", channel="direct",
                       receiving_unit_code=UNIT, applicant=ApplicantData(name="Lê Văn Cường", phone="0901234567"))
    for username, action, body in [("tiepnhan.viettri", "forward", {}), ("chuyenvien.viettri", "forward", {}),
                                   ("lanhdao.viettri", "resolve", {"decision": "approved"}),
                                   ("tiepnhan.viettri", "return", {})]:
        dossier_perform(actor=who[username], code=d.code, action=action, body=body)
    return d.code


@pytest.mark.django_db(transaction=True)
def test_ten_ratings_at_once_make_one(catalogue: None) -> None:
    code = _returned_code()

    def rate(i: int, _: Any) -> str:
        try:
            rating_submit(actor=Actor(user=None), code=code, overall="satisfied", criteria=LEVELS, verify="4567",
                          channel="qr", comment=f"lần {i}")
        except DomainError as exc:
            return exc.code
        return "ok"

    results, errors = run_at_once(10, rate)
    assert errors == []
    assert sorted(results) == ["already_rated"] * 9 + ["ok"]
    assert Rating.objects.filter(dossier_code=code).count() == 1
    assert RatingOfficial.objects.count() == 3  # the winner's attribution only


@pytest.mark.django_db(transaction=True)
def test_thirty_petitions_at_once_get_consecutive_codes(catalogue: None) -> None:
    def file(i: int, _: Any) -> str:
        return petition_create(actor=Actor(user=None), category="other", title=f"Phản ánh {i}", content="Nội dung",
                               unit_code=UNIT, contact=Contact(name="Lê Hồng", phone=f"09770{i:05d}")).code

    codes, errors = run_at_once(30, file)
    assert errors == []
    day = clock.today().strftime("%y%m%d")
    assert sorted(codes) == [f"PA-{day}-{n:04d}" for n in range(1, 31)]
    assert PetitionEvent.objects.filter(action="create").count() == 30


@pytest.mark.django_db(transaction=True)
def test_accept_and_refuse_at_once_one_wins(catalogue: None) -> None:
    p = petition_create(actor=Actor(user=None), category="other", title="Phản ánh", content="Nội dung",
                        unit_code=UNIT, contact=Contact(name="Lê Hồng", phone="0977000111"))
    officials = [actor_for(User.objects.get(username=u)) for u in ("tiepnhan.viettri", "lanhdao.viettri")]

    def act(i: int, _: Any) -> str:
        action, body = (("accept", {}), ("refuse", {"reason": "Trùng lặp"}))[i % 2]
        try:
            petition_perform(actor=officials[i % 2], petition_id=p.pk, action=action, body=body)
        except DomainError as exc:
            return exc.code
        return action

    results, errors = run_at_once(6, act)
    assert errors == []
    winners = [r for r in results if r in {"accept", "refuse"}]
    assert len(winners) == 1 and sorted(set(results) - set(winners)) == ["invalid_transition"]
    p.refresh_from_db()
    assert p.status == ("accepted" if winners == ["accept"] else "refused")
    assert list(PetitionEvent.objects.filter(petition=p).values_list("action", flat=True)) == ["create", winners[0]]
    assert Petition.objects.get(pk=p.pk).row_version == 2
