"""Pure rules of the queue (bốc số): the printed number, the letters of areas, the ticket's states
and which action is possible from which state, and the statistics of waiting and serving times."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

LETTER_RE = re.compile(r"^[A-Z]$")
AREA_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


class State(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    DONE = "done"
    SKIPPED = "skipped"


class Act(StrEnum):
    RECALL = "recall"
    SKIP = "skip"
    DONE = "done"
    TRANSFER = "transfer"


# Every action of a counter works on the ticket it has called (and not yet let go).
ACTION_FROM: dict[Act, frozenset[State]] = {act: frozenset({State.CALLED}) for act in Act}
ACTION_TO: dict[Act, State] = {Act.RECALL: State.CALLED, Act.SKIP: State.SKIPPED, Act.DONE: State.DONE,
                               Act.TRANSFER: State.WAITING}


def ticket_number(letter: str, seq: int) -> str:
    """`A015`: the area's letter and three digits (four once a day passes 999 tickets)."""
    return f"{letter}{seq:03d}"


def valid_letter(letter: str) -> bool:
    return bool(LETTER_RE.match(letter))


def valid_area_code(code: str) -> bool:
    return bool(AREA_CODE_RE.match(code))


def action_allowed(state: str, act: str) -> bool:
    return act in ACTION_FROM and state in ACTION_FROM[Act(act)]


@dataclass(frozen=True)
class Times:
    """One ticket's moments: issued, first called (the end of the wait), last called and finished
    (the service)."""

    issued_at: datetime
    first_called_at: datetime | None
    called_at: datetime | None
    finished_at: datetime | None
    state: str


@dataclass
class Summary:
    tickets: int = 0
    served: int = 0
    skipped: int = 0
    waiting: int = 0
    wait_seconds: float = 0.0
    waited: int = 0
    serve_seconds: float = 0.0
    max_wait_seconds: float = 0.0

    @property
    def average_wait_minutes(self) -> float | None:
        return round(self.wait_seconds / self.waited / 60, 1) if self.waited else None

    @property
    def average_serve_minutes(self) -> float | None:
        return round(self.serve_seconds / self.served / 60, 1) if self.served else None

    @property
    def max_wait_minutes(self) -> float | None:
        return round(self.max_wait_seconds / 60, 1) if self.waited else None


def summarise(times: Iterable[Times]) -> Summary:
    """Counts and times of a group of tickets: waiting time from issue to the first call (of the
    tickets called), serving time from the last call to done (of the tickets served)."""
    s = Summary()
    for t in times:
        s.tickets += 1
        if t.first_called_at is not None:
            wait = max((t.first_called_at - t.issued_at).total_seconds(), 0.0)
            s.waited += 1
            s.wait_seconds += wait
            s.max_wait_seconds = max(s.max_wait_seconds, wait)
        if t.state == State.DONE and t.called_at is not None and t.finished_at is not None:
            s.served += 1
            s.serve_seconds += max((t.finished_at - t.called_at).total_seconds(), 0.0)
        elif t.state == State.SKIPPED:
            s.skipped += 1
        elif t.state == State.WAITING:
            s.waiting += 1
    return s


DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def spoken_number(number: str) -> str:
    """`A015` → `A, không, một, năm`: each sign read apart, as a caller says a ticket number."""
    return ", ".join(DIGIT_WORDS[int(c)] if c.isdigit() else c for c in number)
