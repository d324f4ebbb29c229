"""The demo's queue: areas and counters at every demo centre, and a morning of tickets at Việt Trì
(some served, one skipped, some still waiting), made through the same services as live ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from motcua.accounts.models import User
from motcua.accounts.selectors import actor_for
from motcua.core import clock
from motcua.queueing.models import Area, Counter, Ticket
from motcua.queueing.services import area_create, counter_call_next, counter_create, ticket_act, ticket_take

AREAS: list[tuple[str, str, str]] = [
    ("ho-tich", "Hộ tịch, chứng thực", "A"),
    ("dat-dai-xay-dung", "Đất đai, xây dựng", "B"),
    ("kinh-doanh", "Đăng ký kinh doanh và thủ tục khác", "C"),
]
# centre, reception official, counters (name, areas)
CENTRES: list[tuple[str, str, list[tuple[str, list[str]]]]] = [
    ("000.00.01.H45", "tiepnhan.tinh", [("Quầy 1", ["ho-tich", "kinh-doanh"]), ("Quầy 2", ["dat-dai-xay-dung"])]),
    ("000.01.31.H45", "tiepnhan.viettri", [("Quầy 1", ["ho-tich", "kinh-doanh"]),
                                           ("Quầy 2", ["dat-dai-xay-dung", "kinh-doanh"])]),
    ("000.01.32.H45", "tiepnhan.vinhyen", [("Quầy 1", ["ho-tich", "dat-dai-xay-dung", "kinh-doanh"])]),
    ("000.01.33.H45", "tiepnhan.lacson", [("Quầy 1", ["ho-tich", "dat-dai-xay-dung", "kinh-doanh"])]),
]


def seed_queue_setup() -> int:
    """Areas A, B, C and the counters of each demo centre (idempotent); the number created."""
    admin = actor_for(User.objects.get(username="admin"))
    created = 0
    for centre, official, counters in CENTRES:
        for code, name, letter in AREAS:
            if not Area.objects.filter(centre__code=centre, code=code).exists():
                area_create(actor=admin, centre=centre, code=code, name=name, letter=letter)
                created += 1
        for name, areas in counters:
            if not Counter.objects.filter(centre__code=centre, name=name).exists():
                counter_create(actor=admin, centre=centre, name=name, areas=areas, officials=[official])
                created += 1
    return created


def seed_queue_tickets(now: datetime | None = None) -> int:
    """Today's morning at Việt Trì: eight tickets from 07:30, four served, one skipped, one being
    served, two waiting (only when the centre has no ticket today)."""
    now = now or clock.now()
    centre = "000.01.31.H45"
    if Ticket.objects.filter(centre__code=centre, day=clock.local(now).date()).exists():
        return 0
    official = actor_for(User.objects.get(username="tiepnhan.viettri"))
    counter = Counter.objects.get(centre__code=centre, name="Quầy 1")
    start = clock.local(now).replace(hour=7, minute=30, second=0, microsecond=0)
    if start > now:
        start = now - timedelta(hours=1)
    step = max((now - start) / 20, timedelta(seconds=5))
    services = ["ho-tich", "kinh-doanh", "ho-tich", "ho-tich", "kinh-doanh", "ho-tich", "ho-tich", "kinh-doanh"]
    for i, service in enumerate(services):
        ticket_take(centre=centre, service=service, at=start + step * i)
    at = start + step * 2
    for outcome in ["done", "done", "skip", "done", "done", None]:
        ticket = counter_call_next(actor=official, counter_id=counter.pk, at=at)
        at += step
        if outcome:
            ticket_act(actor=official, ticket_id=ticket.pk, action=outcome, at=at)
            at += step / 2
    return len(services)
