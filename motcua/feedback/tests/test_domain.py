"""Table-driven tests of the pure PAKN rules: the state table, the deadlines (across Tết 2025 and
2026, computed by hand from domain-rules §3–4), the binding deadline, "handled in time", ratings
and redaction. No database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendar.domain import VN_TZ, calendar_from_entries, shipped_entries
from motcua.feedback import domain
from motcua.feedback.domain import PetitionTimes

CAL = calendar_from_entries((e.day, e.kind) for e in shipped_entries())


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


# -- deadlines --------------------------------------------------------------------------------------

# received at → (decide_by, info_by, answer_by). Working hours 07:00–11:30, 13:30–17:00.
DEADLINES = [
    # Friday before Tết 2026 (closed Sat 14/2 – Sun 22/2): 5 h on Friday, the rest from Mon 23/2.
    ("2026-02-13 10:00", "2026-02-24 10:00", "2026-02-27 10:00", "2026-03-13 10:00"),
    # Thursday afternoon before Tết 2026: 1 h on Thursday, 8 h on Friday, then after Tết.
    ("2026-02-12 16:00", "2026-02-23 16:00", "2026-02-26 16:00", "2026-03-12 16:00"),
    # Sent during Tết: counts from the first opening after it; used up at a close → that close.
    ("2026-02-14 09:00", "2026-02-24 17:00", "2026-02-27 17:00", "2026-03-13 17:00"),
    ("2026-02-20 23:59", "2026-02-24 17:00", "2026-02-27 17:00", "2026-03-13 17:00"),
    # Friday before Tết 2025 (closed Sat 25/1 – Sun 2/2); Saturday 15/2/2025 is worked (swap).
    ("2025-01-24 14:00", "2025-02-04 14:00", "2025-02-07 14:00", "2025-02-20 14:00"),
    # An ordinary week (control), and Giỗ Tổ 2026 (Mon 27/4 off in lieu, 30/4 and 1/5 off).
    ("2026-03-10 09:00", "2026-03-12 09:00", "2026-03-17 09:00", "2026-03-31 09:00"),
    ("2026-04-24 08:00", "2026-04-29 08:00", "2026-05-06 08:00", "2026-05-20 08:00"),
    # Lunch break and after hours are normalised like a dossier's receipt; time used up exactly at
    # the end of the morning ends at 11:30.
    ("2026-03-10 12:00", "2026-03-12 11:30", "2026-03-17 11:30", "2026-03-31 11:30"),
    ("2026-03-10 17:00", "2026-03-12 17:00", "2026-03-17 17:00", "2026-03-31 17:00"),
]


@pytest.mark.parametrize(("received", "decide_by", "info_by", "answer_by"), DEADLINES)
def test_deadlines_in_working_days(received: str, decide_by: str, info_by: str, answer_by: str) -> None:
    d = domain.deadlines_from(CAL, vn(received))
    assert (d.decide_by, d.info_by, d.answer_by) == (vn(decide_by), vn(info_by), vn(answer_by))


PUBLISH = [
    ("2026-02-13 15:00", "2026-02-24 15:00"),  # 2 h before Tết, 8 h on Mon 23/2, 6 h on Tue 24/2
    ("2025-01-29 10:00", "2025-02-04 17:00"),  # answered on a Tết holiday: counts from Mon 3/2
    ("2025-02-14 15:00", "2025-02-17 15:00"),  # Saturday 15/2/2025 is a working day
    ("2026-03-10 09:00", "2026-03-12 09:00"),
]


@pytest.mark.parametrize(("answered", "publish_by"), PUBLISH)
def test_publish_deadline(answered: str, publish_by: str) -> None:
    assert domain.publish_deadline(CAL, vn(answered)) == vn(publish_by)


def test_limits_are_those_of_the_rules() -> None:
    assert domain.Limits(decide=2, request_info=5, answer=15, publish=2) == domain.LIMITS


# -- the state table --------------------------------------------------------------------------------

EXPECTED = {
    ("received", "accept"): "accepted", ("received", "refuse"): "refused",
    ("received", "request-info"): "info_requested", ("received", "transfer"): "received",
    ("info_requested", "accept"): "accepted", ("info_requested", "refuse"): "refused",
    ("info_requested", "provide-info"): "info_requested",
    ("accepted", "answer"): "answered", ("answered", "publish"): "published",
}


@pytest.mark.parametrize("status", domain.STATUSES)
@pytest.mark.parametrize("action", domain.ACTIONS)
@pytest.mark.parametrize("public", [False, True])
def test_every_state_and_action(status: str, action: str, public: bool) -> None:
    expected = EXPECTED.get((status, action))
    if action == "publish" and not public:
        expected = None
    if expected is None:
        with pytest.raises(domain.PetitionTransitionError):
            domain.next_petition_status(status, action, public=public)
    else:
        assert domain.next_petition_status(status, action, public=public) == expected


def test_final_states_allow_nothing() -> None:
    for status in domain.FINAL_STATUSES:
        assert domain.allowed_actions(status, public=True) == []


# -- the binding deadline and "handled in time" -----------------------------------------------------

BASE = PetitionTimes(decide_by=vn("2026-03-12 09:00"), info_by=vn("2026-03-17 09:00"),
                     answer_by=vn("2026-03-31 09:00"))


def times(**kwargs: object) -> PetitionTimes:
    values = {k: vn(v) if isinstance(v, str) else v for k, v in kwargs.items()}
    from dataclasses import replace

    return replace(BASE, **values)  # type: ignore[arg-type]


# (petition, instant, deadline owed then, overdue, missed deadlines)
TIMING = [
    (times(), "2026-03-11 10:00", "2026-03-12 09:00", False, []),
    (times(), "2026-03-12 09:00", "2026-03-12 09:00", False, []),  # at the deadline: not yet late
    (times(), "2026-03-12 09:01", "2026-03-12 09:00", True, ["decide"]),
    # Asked for information on day 4 (allowed up to 5): the decision is then owed by answer_by.
    (times(info_requested_at="2026-03-16 10:00"), "2026-03-20 10:00", "2026-03-31 09:00", False, []),
    (times(info_requested_at="2026-03-18 10:00"), "2026-03-20 10:00", "2026-03-31 09:00", False, ["request_info"]),
    # Refused in time, and late.
    (times(refused_at="2026-03-12 08:00"), "2026-04-30 10:00", None, False, []),
    (times(refused_at="2026-03-13 08:00"), "2026-04-30 10:00", None, False, ["decide"]),
    # Accepted: the answer is owed by answer_by.
    (times(accepted_at="2026-03-11 08:00"), "2026-03-20 10:00", "2026-03-31 09:00", False, []),
    (times(accepted_at="2026-03-11 08:00"), "2026-04-01 10:00", "2026-03-31 09:00", True, ["answer"]),
    (times(accepted_at="2026-03-13 08:00"), "2026-03-20 10:00", "2026-03-31 09:00", False, ["decide"]),
    # Answered privately: done; publicly: publication owed within 2 working days.
    (times(accepted_at="2026-03-11 08:00", answered_at="2026-03-30 10:00"), "2026-05-01 10:00", None, False, []),
    (times(accepted_at="2026-03-11 08:00", answered_at="2026-04-01 10:00"), "2026-05-01 10:00", None, False,
     ["answer"]),
    (times(accepted_at="2026-03-11 08:00", answered_at="2026-03-30 10:00", public=True,
           publish_by=vn("2026-04-01 10:00")), "2026-03-31 10:00", "2026-04-01 10:00", False, []),
    (times(accepted_at="2026-03-11 08:00", answered_at="2026-03-30 10:00", public=True,
           publish_by=vn("2026-04-01 10:00")), "2026-04-02 10:00", "2026-04-01 10:00", True, ["publish"]),
    (times(accepted_at="2026-03-11 08:00", answered_at="2026-03-30 10:00", public=True,
           publish_by=vn("2026-04-01 10:00"), published_at="2026-04-01 09:00"), "2026-05-02 10:00", None, False, []),
    (times(accepted_at="2026-03-11 08:00", answered_at="2026-03-30 10:00", public=True,
           publish_by=vn("2026-04-01 10:00"), published_at="2026-04-03 09:00"), "2026-05-02 10:00", None, False,
     ["publish"]),
    # Seen from before those actions happened: only what happened before the instant counts.
    (times(accepted_at="2026-03-13 08:00"), "2026-03-12 10:00", "2026-03-12 09:00", True, ["decide"]),
    # The view of now counts what is recorded at that very instant; "by E" only what came before.
    (times(refused_at="2026-03-11 08:00"), "2026-03-11 08:00", None, False, []),
    (times(refused_at="2026-03-13 08:00"), "2026-03-13 08:00", None, False, ["decide"]),
]


@pytest.mark.parametrize(("t", "at", "deadline", "overdue", "missed"), TIMING)
def test_binding_deadline_overdue_and_missed(t: PetitionTimes, at: str, deadline: str | None, overdue: bool,
                                             missed: list[str]) -> None:
    assert domain.current_deadline(t, vn(at)) == (vn(deadline) if deadline else None)
    assert domain.is_overdue(t, vn(at)) is overdue
    assert domain.missed_deadlines(t, vn(at)) == missed
    assert domain.handled_in_time(t, vn(at)) is (not missed)


def test_closed_at() -> None:
    assert domain.closed_at(times()) is None
    assert domain.closed_at(times(refused_at="2026-03-11 08:00")) == vn("2026-03-11 08:00")
    assert domain.closed_at(times(accepted_at="2026-03-11 08:00", answered_at="2026-03-20 08:00")) == vn(
        "2026-03-20 08:00")
    assert domain.closed_at(times(accepted_at="2026-03-11 08:00", answered_at="2026-03-20 08:00", public=True)) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 40 * 24 * 60), st.integers(0, 40 * 24 * 60))
def test_overdue_never_before_the_owed_deadline(offset_a: int, offset_b: int) -> None:
    start = vn("2026-03-10 09:00")
    t = times(accepted_at=start + timedelta(minutes=min(offset_a, offset_b)))
    now = start + timedelta(minutes=max(offset_a, offset_b))
    deadline = domain.current_deadline(t, now)
    assert domain.is_overdue(t, now) == (deadline is not None and now > deadline)
    if domain.is_overdue(t, now):
        assert not domain.handled_in_time(t, now)


# -- ratings ----------------------------------------------------------------------------------------

GOOD = {"attitude": "satisfied", "timeliness": "very_satisfied", "clarity": "dissatisfied"}


@pytest.mark.parametrize(("overall", "criteria", "field"), [
    ("great", GOOD, "overall"),
    (None, GOOD, "overall"),
    ("satisfied", {**GOOD, "speed": "satisfied"}, "criteria.speed"),
    ("satisfied", {"attitude": "satisfied", "timeliness": "satisfied"}, "criteria.clarity"),
    ("satisfied", {**GOOD, "attitude": "Satisfied"}, "criteria.attitude"),
])
def test_wrong_ratings_name_the_field(overall: object, criteria: dict[str, object], field: str) -> None:
    with pytest.raises(domain.RatingInvalid) as exc:
        domain.check_rating(overall, criteria)
    assert exc.value.field == field


def test_a_good_rating() -> None:
    assert domain.check_rating("satisfied", GOOD) == ("satisfied", GOOD)
    assert domain.is_dislike("dissatisfied") and not domain.is_dislike("satisfied")


@pytest.mark.parametrize(("phone", "digits", "ok"), [
    ("0912345678", "5678", True), ("0912 345 678", "5678", True), ("0912345678", "1234", False),
    ("0912345678", "678", False), ("", "", False), ("123", "0123", False), ("0912345678", " 5678 ", True),
])
def test_phone_digits(phone: str, digits: str, ok: bool) -> None:
    assert domain.phone_matches(phone, digits) is ok


# -- the public page --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "names", "expected"), [
    ("Gọi tôi: 0912 345 678 hoặc an@example.vn", [], "Gọi tôi: *** hoặc ***"),
    ("CCCD 025090000123 của Nguyễn Văn An", ["Nguyễn Văn An"], "CCCD *** của ***"),
    ("Hồ sơ 000.01.31.H45-260310-0001 chậm 3 ngày", [], "Hồ sơ 000.01.31.H45-260310-0001 chậm 3 ngày"),
    ("Số tiền 150000 đồng, 1.500.000.000 đồng", [], "Số tiền 150000 đồng, 1.500.000.000 đồng"),
    ("Điện thoại +84 912 345 678.", [], "Điện thoại ***."),
    ("ông nguyễn văn an nói", ["Nguyễn Văn An"], "ông *** nói"),
])
def test_redaction(text: str, names: list[str], expected: str) -> None:
    assert domain.redact(text, names) == expected
