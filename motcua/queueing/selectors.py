"""Reading the queue: a ticket's representation and its place, the board of a centre, the counters
of an official, and the waiting and serving statistics per centre, area, counter and hour."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q

from motcua.core import clock
from motcua.units.models import Unit

from .domain import State, Summary, Times, summarise
from .models import Area, Counter, Ticket

BOARD_CALLED = 8  # the tickets shown as called on a board


def waiting_before(ticket: Ticket) -> int:
    """How many tickets of the same area wait in front of this one (0 once it is called)."""
    if ticket.state != State.WAITING:
        return 0
    return Ticket.objects.filter(area_id=ticket.area_id, day=ticket.day, state=State.WAITING).filter(
        Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, pk__lt=ticket.pk)).count()


def ticket_representation(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "centre": ticket.centre.code,
        "service": ticket.area.code,
        "issued_at": clock.local(ticket.issued_at).isoformat(),
        "waiting_before": waiting_before(ticket),
        "state": ticket.state,
        "counter": ticket.counter.name if ticket.counter_id and ticket.counter else None,
        "dossier": ticket.dossier_code or None,
    }


def ticket_get(ticket_id: int) -> Ticket | None:
    return Ticket.objects.select_related("centre", "area", "counter").filter(pk=ticket_id).first()


def ticket_by_token(token: str) -> Ticket | None:
    import uuid

    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    return Ticket.objects.select_related("centre", "area", "counter").filter(token=value).first()


def areas_of(centre: Unit) -> list[Area]:
    return list(Area.objects.filter(centre=centre, is_active=True).order_by("letter"))


def waiting_counts(centre: Unit, day: date | None = None) -> dict[str, int]:
    """Tickets waiting today per area code (every active area, zero included)."""
    day = day or clock.today()
    counts = dict(Ticket.objects.filter(centre=centre, day=day, state=State.WAITING).values("area__code")
                  .annotate(n=Count("id")).values_list("area__code", "n"))
    return {a.code: counts.get(a.code, 0) for a in areas_of(centre)}


def called_tickets(centre: Unit, day: date | None = None, limit: int = BOARD_CALLED) -> list[Ticket]:
    """The tickets being served now, the latest call first."""
    day = day or clock.today()
    return list(Ticket.objects.select_related("counter", "area").filter(centre=centre, day=day, state=State.CALLED)
                .order_by("-called_at", "-id")[:limit])


def board(centre: Unit) -> dict[str, Any]:
    """`{called: [{number, counter}], waiting: {<area code>: n}}` (the contract's board)."""
    return {"called": [{"number": t.number, "counter": t.counter.name if t.counter else ""}
                       for t in called_tickets(centre)],
            "waiting": waiting_counts(centre)}


def counters_of(user_id: int) -> list[Counter]:
    return list(Counter.objects.select_related("centre").prefetch_related("areas")
                .filter(officials__id=user_id, is_active=True).order_by("centre__code", "name"))


def counter_current(counter: Counter) -> Ticket | None:
    return (Ticket.objects.select_related("area", "centre").filter(counter=counter, state=State.CALLED)
            .order_by("-called_at").first())


def counter_waiting(counter: Counter) -> int:
    return Ticket.objects.filter(area__in=counter.areas.all(), day=clock.today(), state=State.WAITING).count()


def served_by(user_id: int, dossier_code: str) -> bool:
    return Ticket.objects.filter(served_by_id=user_id, dossier_code=dossier_code).exists()


def current_ticket_of(user_id: int) -> Ticket | None:
    """The ticket an official is serving now (called to one of their counters by them)."""
    return (Ticket.objects.select_related("area").filter(served_by_id=user_id, state=State.CALLED,
                                                          day=clock.today())
            .order_by("-called_at").first())


# -- statistics -------------------------------------------------------------------------------------


def _row(key: tuple[Any, ...], s: Summary) -> dict[str, Any]:
    return {"key": key, "tickets": s.tickets, "served": s.served, "skipped": s.skipped, "waiting": s.waiting,
            "average_wait_minutes": s.average_wait_minutes, "max_wait_minutes": s.max_wait_minutes,
            "average_serve_minutes": s.average_serve_minutes}


def queue_stats(centre_ids: set[int], first: date, last: date) -> dict[str, list[dict[str, Any]]]:
    """Waiting (issue → first call) and serving (last call → done) times of the tickets issued in
    the period, per centre, per area, per counter and per hour of issue (Vietnam time)."""
    start = datetime.combine(first, time.min, tzinfo=clock.VN_TZ)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=clock.VN_TZ)
    rows = (Ticket.objects.filter(centre_id__in=centre_ids, issued_at__gte=start, issued_at__lt=end)
            .values_list("centre__name", "issued_area__letter", "issued_area__name", "counter__name", "issued_at",
                         "first_called_at", "called_at", "finished_at", "state", "centre__code"))
    groups: dict[str, dict[tuple[Any, ...], list[Times]]] = {k: defaultdict(list)
                                                              for k in ("centre", "area", "counter", "hour")}
    for centre, letter, area, counter, issued, first_call, call, finished, state, code in rows.iterator():
        t = Times(issued, first_call, call, finished, state)
        groups["centre"][(code, centre)].append(t)
        groups["area"][(centre, letter, area)].append(t)
        if counter:
            groups["counter"][(centre, counter)].append(t)
        groups["hour"][(clock.local(issued).hour,)].append(t)
    return {name: [_row(key, summarise(items)) for key, items in sorted(g.items())] for name, g in groups.items()}
