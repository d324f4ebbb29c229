"""Pure rules of ratings and petitions (phản ánh, kiến nghị — PAKN; domain-rules §8, §10 and the
contract's "Ratings and petitions"): no ORM, no settings, no I/O.

A petition moves through a small table of states (``TRANSITIONS``). Its deadlines are working time
counted on the unit's calendar from the normalised receipt time (domain-rules §4): refuse within
2 working days (``decide_by``), ask the sender for more information within 5 (``info_by``), answer
within 15 (``answer_by``), and publish a public answer within 2 working days of answering
(``publish_by``).

Which deadline binds a petition now (its ``overdue`` flag) and whether it was handled in time by a
given instant (the 766 indicator "feedback handled in time") are stated once here, for one
petition; the report selectors compute the same sets in SQL and are tested against these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from motcua.calendar.domain import WorkCalendar
from motcua.workflow.domain import Status as DossierStatus

# -- ratings ----------------------------------------------------------------------------------------

Level = Literal["very_satisfied", "satisfied", "dissatisfied"]
LEVELS: tuple[Level, ...] = get_args(Level)
CRITERIA: tuple[str, ...] = ("attitude", "timeliness", "clarity")
RatingChannel = Literal["portal", "qr", "kiosk", "api"]
RATING_CHANNELS: tuple[RatingChannel, ...] = get_args(RatingChannel)
# A dossier may be rated once it has a result: resolved (9) or returned (10).
RATEABLE_STATUSES = frozenset({DossierStatus.RESOLVED, DossierStatus.RETURNED})
COMMENT_MAX = 2000


class RatingInvalid(ValueError):
    """A rating body that does not follow the contract; ``field`` names the offending part."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(f"{field}: {value!r}")
        self.field = field
        self.value = value


def check_rating(overall: object, criteria: Mapping[str, object]) -> tuple[Level, dict[str, Level]]:
    """The overall level and one level per criterion, each one of ``LEVELS``; raises
    :class:`RatingInvalid` naming the first wrong part (unknown criteria are refused too)."""
    if overall not in LEVELS:
        raise RatingInvalid("overall", overall)
    unknown = sorted(set(criteria) - set(CRITERIA))
    if unknown:
        raise RatingInvalid(f"criteria.{unknown[0]}", criteria[unknown[0]])
    levels: dict[str, Level] = {}
    for name in CRITERIA:
        value = criteria.get(name)
        if value not in LEVELS:
            raise RatingInvalid(f"criteria.{name}", value)
        levels[name] = value
    return overall, levels


def is_dislike(overall: str) -> bool:
    """A rating that counts against satisfaction (domain-rules §8: "dislike")."""
    return overall == "dissatisfied"


def phone_matches(phone: str, last_digits: str) -> bool:
    """The second factor of the public pages: the last 4 digits of the applicant's phone."""
    digits = "".join(c for c in phone if c.isdigit())
    given = last_digits.strip()
    return len(digits) >= 4 and len(given) == 4 and given.isdigit() and digits[-4:] == given


# -- petitions: states ------------------------------------------------------------------------------

Category = Literal["dossier", "procedure", "conduct", "other"]
CATEGORIES: tuple[Category, ...] = get_args(Category)
Status = Literal["received", "accepted", "refused", "info_requested", "answered", "published"]
STATUSES: tuple[Status, ...] = get_args(Status)
FINAL_STATUSES: frozenset[str] = frozenset({"refused", "published"})
# The contract's actions, then ours: `transfer` hands a petition not yet decided to the competent
# unit; `provide-info` is the sender's reply to a request for information (the state stays).
OFFICIAL_ACTIONS: tuple[str, ...] = ("accept", "refuse", "request-info", "answer", "publish", "transfer")
SENDER_ACTIONS: tuple[str, ...] = ("provide-info",)
ACTIONS: tuple[str, ...] = OFFICIAL_ACTIONS + SENDER_ACTIONS

TRANSITIONS: dict[tuple[str, str], str] = {
    ("received", "accept"): "accepted",
    ("received", "refuse"): "refused",
    ("received", "request-info"): "info_requested",
    ("received", "transfer"): "received",
    ("info_requested", "accept"): "accepted",
    ("info_requested", "refuse"): "refused",
    ("info_requested", "provide-info"): "info_requested",
    ("accepted", "answer"): "answered",
    ("answered", "publish"): "published",
}


class PetitionTransitionError(ValueError):
    pass


def next_petition_status(status: str, action: str, *, public: bool = False) -> str:
    """The state after ``action``; :class:`PetitionTransitionError` when the table has no such
    move. ``publish`` needs an answer that was given as public."""
    target = TRANSITIONS.get((status, action))
    if target is None or (action == "publish" and not public):
        raise PetitionTransitionError(f"{action} is not possible in {status}")
    return target


def allowed_actions(status: str, *, public: bool = False, actions: Iterable[str] = ACTIONS) -> list[str]:
    out = []
    for action in actions:
        try:
            next_petition_status(status, action, public=public)
        except PetitionTransitionError:
            continue
        out.append(action)
    return out


# -- petitions: deadlines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Working days (domain-rules §10)."""

    decide: int = 2
    request_info: int = 5
    answer: int = 15
    publish: int = 2


LIMITS = Limits()


@dataclass(frozen=True)
class Deadlines:
    decide_by: datetime
    info_by: datetime
    answer_by: datetime


def deadlines_from(cal: WorkCalendar, received_at: datetime, limits: Limits = LIMITS) -> Deadlines:
    """The deadlines of a petition received at ``received_at`` (normalised like a dossier's
    receipt: a petition sent on Saturday evening counts from Monday's opening)."""
    start = cal.normalise_receipt(received_at)
    return Deadlines(
        decide_by=cal.due_at(start, limits.decide, "working_days"),
        info_by=cal.due_at(start, limits.request_info, "working_days"),
        answer_by=cal.due_at(start, limits.answer, "working_days"),
    )


def publish_deadline(cal: WorkCalendar, answered_at: datetime, limits: Limits = LIMITS) -> datetime:
    return cal.due_at(cal.normalise_receipt(answered_at), limits.publish, "working_days")


@dataclass(frozen=True)
class PetitionTimes:
    """What the timing rules need to know about one petition."""

    decide_by: datetime
    info_by: datetime
    answer_by: datetime
    publish_by: datetime | None = None
    public: bool = False
    info_requested_at: datetime | None = None
    accepted_at: datetime | None = None
    refused_at: datetime | None = None
    answered_at: datetime | None = None
    published_at: datetime | None = None


def _before(value: datetime | None, at: datetime, inclusive: bool = False) -> bool:
    return value is not None and (value <= at if inclusive else value < at)


def pending_deadline(t: PetitionTimes, at: datetime, *, inclusive: bool = False) -> tuple[str, datetime] | None:
    """The step the unit still owes at instant ``at`` and its deadline, or None when nothing is
    owed (refused, published, or answered privately). Counted: what happened before ``at`` (also
    at ``at`` when ``inclusive``: the view of now, where everything recorded has happened).

    * nothing yet: the decision (accept or refuse), by ``decide_by``; asking for information
      within ``info_by`` is allowed, and after such a request the decision is owed by ``answer_by``;
    * accepted: the answer, by ``answer_by``;
    * answered as public: the publication, by ``publish_by``.
    """
    if _before(t.refused_at, at, inclusive):
        return None
    if _before(t.accepted_at, at, inclusive):
        if not _before(t.answered_at, at, inclusive):
            return "answer", t.answer_by
        if t.public and not _before(t.published_at, at, inclusive) and t.publish_by is not None:
            return "publish", t.publish_by
        return None
    if _before(t.info_requested_at, at, inclusive):
        return "decide", t.answer_by
    return "decide", t.decide_by


_END_OF_TIME = datetime.max.replace(tzinfo=UTC)


def owed_deadline(t: PetitionTimes) -> datetime | None:
    """The deadline of the step owed once everything recorded has happened (stored on the row so
    that the overdue lists are one indexed range)."""
    pending = pending_deadline(t, _END_OF_TIME)
    return pending[1] if pending else None


def current_deadline(t: PetitionTimes, now: datetime) -> datetime | None:
    """The deadline binding the petition at ``now``, counting what happened up to ``now``."""
    pending = pending_deadline(t, now, inclusive=True)
    return pending[1] if pending else None


def is_overdue(t: PetitionTimes, now: datetime) -> bool:
    """The contract's ``overdue``: the deadline of the step owed now has passed."""
    deadline = current_deadline(t, now)
    return deadline is not None and deadline < now


def missed_deadlines(t: PetitionTimes, at: datetime) -> list[str]:
    """The deadlines missed as of instant ``at``: steps done after their deadline (before ``at``),
    and the step owed at ``at`` when its deadline has passed."""
    missed = []
    info = _before(t.info_requested_at, at)
    if info and t.info_requested_at > t.info_by:  # type: ignore[operator]
        missed.append("request_info")
    decided_at = next((v for v in (t.refused_at, t.accepted_at) if _before(v, at)), None)
    if decided_at is not None and decided_at > (t.answer_by if info else t.decide_by):
        missed.append("decide")
    if _before(t.accepted_at, at) and _before(t.answered_at, at) and t.answered_at > t.answer_by:  # type: ignore[operator]
        missed.append("answer")
    if (_before(t.answered_at, at) and t.public and _before(t.published_at, at) and t.publish_by is not None
            and t.published_at > t.publish_by):  # type: ignore[operator]
        missed.append("publish")
    pending = pending_deadline(t, at)
    if pending is not None and pending[1] < at:
        missed.append(pending[0])
    return missed


def handled_in_time(t: PetitionTimes, at: datetime) -> bool:
    """Every deadline due by ``at`` was kept (766 group 5: "feedback handled in time")."""
    return not missed_deadlines(t, at)


def closed_at(t: PetitionTimes) -> datetime | None:
    """When the unit had nothing more to do: refused, answered privately, or published."""
    if t.refused_at is not None:
        return t.refused_at
    if t.answered_at is not None and not t.public:
        return t.answered_at
    return t.published_at


# -- the public page: no personal data --------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Phone and ID numbers: 9 to 12 digits starting with 0 (or +84), spaces, dots and dashes allowed
# inside; not part of a longer code (a dossier code) and not an amount of money (never led by 0).
_LONG_NUMBER = re.compile(r"(?<![\w.\-])(?:\+84|0)(?:[\s.\-]?\d){8,11}(?![\w])")
MASK = "***"


def redact(text: str, names: Iterable[str] = ()) -> str:
    """``text`` fit for the public page: e-mail addresses, phone and ID numbers and the given
    names (the sender's) replaced by ``***``."""
    out = _EMAIL.sub(MASK, text)
    out = _LONG_NUMBER.sub(MASK, out)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        out = re.sub(re.escape(name), MASK, out, flags=re.IGNORECASE)
    return out
