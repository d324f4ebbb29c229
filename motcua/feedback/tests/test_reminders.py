"""Reminders before each deadline: which petitions, which step, to whom, under one stable key."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor, actor_for
from motcua.calendar.domain import VN_TZ
from motcua.feedback.reminders import reminders_due
from motcua.feedback.services import Contact, petition_create, petition_perform

pytestmark = pytest.mark.django_db


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def test_reminders_before_each_deadline(province: None) -> None:
    p = petition_create(actor=Actor(user=None), category="other", title="Ghế chờ", content="Thiếu ghế",
                        unit_code="000.01.31.H45", contact=Contact(name="Lê Hồng", phone="0977000111"),
                        at=vn("2026-03-10 09:00"))  # decide by Thu 12/3 09:00, answer by Tue 31/3 09:00
    assert reminders_due(vn("2026-03-10 10:00")) == []  # the decision is 2 working days away
    due = reminders_due(vn("2026-03-11 10:00"))
    assert [(r.code, r.step, r.deadline) for r in due] == [(p.code, "decide", vn("2026-03-12 09:00"))]
    officials = set(User.objects.filter(pk__in=due[0].officials).values_list("username", flat=True))
    assert officials == {"tiepnhan.viettri", "chuyenvien.viettri", "lanhdao.viettri"}
    assert due[0].key == f"petition-reminder:{p.pk}:decide:2026-03-12T09:00:00+07:00"
    assert reminders_due(vn("2026-03-11 10:00"))[0].key == due[0].key  # the same key every time
    assert reminders_due(vn("2026-03-12 09:01")) == []  # past the deadline: overdue, not a reminder
    petition_perform(actor=actor_for(User.objects.get(username="tiepnhan.viettri")), petition_id=p.pk,
                     action="accept", body={}, at=vn("2026-03-11 11:00"))
    assert [(r.step, r.deadline) for r in reminders_due(vn("2026-03-30 10:00"))] == [
        ("answer", vn("2026-03-31 09:00"))]
    petition_perform(actor=actor_for(User.objects.get(username="chuyenvien.viettri")), petition_id=p.pk,
                     action="answer", body={"answer": "Đã bổ sung ghế.", "public": False}, at=vn("2026-03-30 11:00"))
    assert reminders_due(vn("2026-03-30 12:00")) == []  # answered privately: nothing owed
