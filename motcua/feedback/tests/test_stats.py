"""The SQL of the report figures says what the pure rules say, petition by petition: every
consistent combination of recorded times, judged at instants before, between and after them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest

from motcua.calendar.domain import VN_TZ
from motcua.feedback import domain, stats
from motcua.feedback.models import Petition
from motcua.feedback.services import times_of
from motcua.units.models import Unit

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)
DECIDE, INFO, ANSWER = T0 + timedelta(days=2), T0 + timedelta(days=7), T0 + timedelta(days=21)


def _histories() -> list[dict[str, Any]]:
    """Consistent histories: an optional request for information (in time or late), a decision
    (none, accept or refuse; in time or late), an answer (none, private or public; in time or late)
    and a publication (none, in time or late)."""
    out = []
    for info, decision, decided_late, answer, answered_late, published in itertools.product(
            (None, "ok", "late"), (None, "accept", "refuse"), (False, True), (None, "private", "public"),
            (False, True), (None, "ok", "late")):
        if decision is None and (decided_late or answer):
            continue
        if decision == "refuse" and answer:
            continue
        if answer is None and (answered_late or published):
            continue
        if answer == "private" and published:
            continue
        row: dict[str, Any] = {}
        if info:
            row["info_requested_at"] = INFO - timedelta(hours=1) if info == "ok" else INFO + timedelta(hours=1)
        if decision:
            limit = ANSWER if info else DECIDE
            base = (row.get("info_requested_at") or T0) + timedelta(minutes=30)
            when = max(base, limit + timedelta(hours=2)) if decided_late else min(base, limit - timedelta(minutes=5))
            row["accepted_at" if decision == "accept" else "refused_at"] = when
        if answer:
            when = ANSWER + timedelta(hours=3) if answered_late else ANSWER - timedelta(hours=1)
            when = max(when, row["accepted_at"] + timedelta(minutes=1))
            row["answered_at"] = when
            row["public"] = answer == "public"
            row["publish_by"] = when + timedelta(days=2) if answer == "public" else None
            if published:
                row["published_at"] = row["publish_by"] + timedelta(hours=-1 if published == "ok" else 1)
        out.append(row)
    return out


def test_late_in_sql_is_missed_deadlines_of_the_domain(province: None) -> None:
    unit = Unit.objects.get(code="000.01.31.H45")
    histories = _histories()
    rows = [Petition(code=f"PA-T-{i:04d}", category="other", title="t", content="c", unit=unit, contact_name="X",
                     contact_phone="0912345678", received_at=T0, decide_by=DECIDE, info_by=INFO, answer_by=ANSWER,
                     **h) for i, h in enumerate(histories)]
    Petition.objects.bulk_create(rows)
    moments = sorted({T0, DECIDE, INFO, ANSWER, ANSWER + timedelta(days=5), DECIDE + timedelta(seconds=1)}
                     | {v + timedelta(seconds=d) for h in histories for v in h.values() if isinstance(v, datetime)
                        for d in (0, 1)})
    assert len(histories) > 50
    for at in moments:
        expected = {p.code for p in Petition.objects.all() if domain.missed_deadlines(times_of(p), at)}
        got = set(Petition.objects.filter(stats.petition_late_q(at)).values_list("code", flat=True))
        assert got == expected, at


def test_closed_and_current_deadline_follow_the_domain(province: None) -> None:
    for h in _histories():
        t = domain.PetitionTimes(decide_by=DECIDE, info_by=INFO, answer_by=ANSWER, **h)
        owed = domain.owed_deadline(t)
        assert owed == domain.current_deadline(t, ANSWER + timedelta(days=30))
        if domain.closed_at(t) is not None:
            assert owed is None
