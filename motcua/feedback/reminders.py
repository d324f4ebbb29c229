"""Which reminders are due: before each deadline of a petition, its unit's officials are told.

This module decides *what* to send and to whom, with a stable key per petition, step and deadline
(so a message is never doubled, however often the check runs); sending goes through the
notifications system (the outbox of issue 11), which calls :func:`reminders_due` on its schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from motcua.accounts.models import Membership
from motcua.calendar.selectors import work_calendar
from motcua.core import clock

from . import domain
from .models import Petition
from .services.petitions import HANDLING_ROLES, times_of

# Remind when the deadline of the step owed falls within this much working time.
LEAD = timedelta(hours=8)


@dataclass(frozen=True)
class Reminder:
    petition_id: int
    code: str
    title: str
    unit_id: int
    step: str  # "decide", "answer" or "publish" (domain.pending_deadline)
    deadline: datetime
    officials: tuple[int, ...]  # user ids of the unit's reception, specialists and leaders

    @property
    def key(self) -> str:
        """The idempotency key of this reminder in the outbox."""
        return f"petition-reminder:{self.petition_id}:{self.step}:{clock.local(self.deadline).isoformat()}"


def due_soon_until(now: datetime) -> datetime:
    """The end of the reminder window: one working day from now (the default calendar)."""
    return work_calendar().add_working_time(now, LEAD)


def reminders_due(now: datetime | None = None) -> list[Reminder]:
    """Open petitions whose owed deadline is ahead but within one working day, each with the
    officials to remind (one indexed range over `current_deadline`, one query for the officials)."""
    now = now or clock.now()
    rows = list(Petition.objects.filter(current_deadline__gte=now, current_deadline__lte=due_soon_until(now))
                .order_by("current_deadline", "id"))
    members: dict[int, set[int]] = {}
    for unit_id, user_id in Membership.objects.filter(unit_id__in={p.unit_id for p in rows},
                                                      role__in=HANDLING_ROLES).values_list("unit_id", "user_id"):
        members.setdefault(unit_id, set()).add(user_id)
    out = []
    for p in rows:
        pending = domain.pending_deadline(times_of(p), now, inclusive=True)
        if pending is None:
            continue
        out.append(Reminder(petition_id=p.pk, code=p.code, title=p.title, unit_id=p.unit_id, step=pending[0],
                            deadline=clock.local(pending[1]), officials=tuple(sorted(members.get(p.unit_id, ())))))
    return out
