"""The pure counting and scoring rules (no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.reports import domain
from motcua.reports.domain import DossierFacts, Measure, Period, classify

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FEB = Period(date(2026, 2, 1), date(2026, 2, 28))
START = datetime(2026, 2, 1, tzinfo=VN)
END = datetime(2026, 3, 1, tzinfo=VN)
US = timedelta(microseconds=1)


def facts(received, finished=None, due=None, *, status=None, channel="direct", outcome=""):
    if status is None:
        status = 9 if finished else 4
    return DossierFacts(status=status, channel=channel, received_at=received, finished_at=finished,
                        due_at=due or END + timedelta(days=5), original_due_at=due, outcome=outcome)


def test_period_bounds_are_whole_days_in_vietnam_time():
    assert (FEB.start, FEB.end, FEB.days) == (START, END, 28)
    assert FEB.end.utcoffset() == timedelta(hours=7)
    with pytest.raises(domain.PeriodError):
        Period(date(2026, 3, 1), date(2026, 2, 1))


@pytest.mark.parametrize(("f", "cells"), [
    (facts(START), {"received.total", "received.direct_postal", "in_progress.total", "in_progress.within_time"}),
    (facts(START - US), {"received.total", "received.carried_over", "in_progress.total",
                         "in_progress.within_time"}),
    (facts(END), set()),  # received at to 24:00: the next period
    (facts(END - US, channel="online"), {"received.total", "received.online", "in_progress.total",
                                         "in_progress.within_time"}),
    (facts(START - timedelta(days=3), START - US, outcome="early"), set()),  # finished before the period
    (facts(START - timedelta(days=3), START, outcome="late"), {"received.total", "received.carried_over",
                                                               "resolved.total", "resolved.late"}),
    (facts(START, END, outcome="early"), {"received.total", "received.direct_postal", "in_progress.total",
                                          "in_progress.within_time"}),
    (facts(START, END - US, outcome="on_time", status=7), {"received.total", "received.direct_postal",
                                                           "resolved.total", "resolved.on_time"}),
    (facts(START, due=END), {"received.total", "received.direct_postal", "in_progress.total",
                             "in_progress.within_time"}),  # due at to 24:00 exactly: within time
    (facts(START, due=END - US), {"received.total", "received.direct_postal", "in_progress.total",
                                  "in_progress.overdue"}),
    (facts(None, START + timedelta(hours=3), status=3), set()),  # refused at intake: never received
    (facts(START, START + timedelta(hours=1), status=10, outcome="early"),
     {"received.total", "received.direct_postal", "resolved.total", "resolved.early"}),
])
def test_classify(f, cells):
    assert classify(f, FEB) == frozenset(cells)


def test_the_date_rule_decides_when_no_outcome_was_stored():
    due = datetime(2026, 2, 10, 8, 0, tzinfo=VN)
    late = facts(START, datetime(2026, 2, 11, 7, 0, tzinfo=VN), due)
    same_day = facts(START, datetime(2026, 2, 10, 16, 59, tzinfo=VN), due)
    assert "resolved.late" in classify(late, FEB)
    assert "resolved.on_time" in classify(same_day, FEB)


instants = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2026, 4, 30)).map(
    lambda d: d.replace(tzinfo=VN))


@st.composite
def dossiers(draw):
    received = draw(st.none() | instants)
    finished = draw(st.none() | instants)
    if received is not None and finished is not None and finished < received:
        received, finished = finished, received
    status = draw(st.sampled_from([3, 7, 8, 9, 10])) if finished else draw(st.sampled_from([1, 2, 4, 5, 6]))
    if status == 3:
        received = None
    return DossierFacts(status=status, channel=draw(st.sampled_from(["direct", "online", "postal"])),
                        received_at=received, finished_at=finished, due_at=draw(st.none() | instants),
                        original_due_at=draw(st.none() | instants),
                        outcome=draw(st.sampled_from(["", "early", "on_time", "late"])))


@given(st.lists(dossiers(), max_size=40), st.dates(date(2026, 1, 1), date(2026, 3, 31)), st.integers(0, 60))
def test_received_equals_resolved_plus_in_progress(items, first, length):
    period = Period(first, first + timedelta(days=length))
    counts = domain.counts_from_cells(classify(f, period) for f in items)
    assert domain.identity_holds(counts)


def test_points_full_at_the_threshold_else_proportional():
    assert domain.points_for(Decimal("0.5"), Decimal(6), Decimal("0.5")) == 6
    assert domain.points_for(Decimal("0.9"), Decimal(6), Decimal("0.5")) == 6
    assert domain.points_for(Decimal("0.25"), Decimal(6), Decimal("0.5")) == 3
    assert domain.points_for(None, Decimal(6), Decimal("0.5")) == 0
    assert domain.rate_of(1, 0) is None


def test_default_weights_follow_the_decision():
    groups = domain.index_definition()
    assert [(g.key, g.max_points) for g in groups] == [
        ("publicity", 18), ("progress", 20), ("online", 22), ("digitisation", 22), ("satisfaction", 18)]
    assert sum(g.max_points for g in groups) == domain.INDEX_766_MAX
    for g in groups:
        assert sum(i.max_points for i in g.indicators) == g.max_points


def test_weight_overrides_are_checked():
    groups = domain.index_definition({"online.online_share": {"max_points": 2}, "online.paid_online": {"max_points": 8}})
    online = next(g for g in groups if g.key == "online")
    assert [i.max_points for i in online.indicators] == [4, 4, 2, 4, 8]
    with pytest.raises(domain.WeightsError):
        domain.index_definition({"online.online_share": {"max_points": 7}})  # group would be 23
    with pytest.raises(domain.WeightsError):
        domain.index_definition({"online.nonsense": {"max_points": 1}})
    with pytest.raises(domain.WeightsError):
        domain.index_definition({"progress.on_time": {"threshold": 0}})


def test_score_index_marks_missing_data():
    body = domain.score_index(domain.index_definition(), {"progress.on_time": Measure(numerator=3, denominator=4)})
    progress = body["groups"][1]["indicators"][0]
    assert (progress["rate"], progress["points"]) == (0.75, 15.0)
    satisfaction = body["groups"][4]["indicators"][1]
    assert satisfaction["no_data"] is True and satisfaction["rate"] is None and satisfaction["points"] == 0
    assert body["total_points"] == 15.0 and body["max_points"] == 100
