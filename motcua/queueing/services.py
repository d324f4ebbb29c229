"""Writing the queue: areas and counters (administrators), tickets (anyone, at a kiosk), and the
counter's actions (the officials assigned to it). Each write is one transaction with its audit row
where an official acts."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Membership, User, UserKind
from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core import clock
from motcua.core.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationFailed
from motcua.core.ratelimit import count_hit
from motcua.core.text import nfc
from motcua.units.models import Unit, UnitLevel

from . import domain
from .domain import Act, State
from .models import Area, Counter, Ticket, TicketSequence


def centre_get(code: str) -> Unit:
    """An active centre by its agency code, else 404 `not_found`."""
    centre = Unit.objects.filter(code=str(code)[:13], level=UnitLevel.CENTRE, is_active=True).first()
    if centre is None:
        raise NotFound("not_found", _("Không tìm thấy Trung tâm Phục vụ hành chính công %(code)s.") % {"code": code},
                       details={"field": "centre"})
    return centre


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("forbidden", _("Chức năng này dành cho quản trị viên."))


@transaction.atomic
def area_create(*, actor: Actor, centre: str, code: str, name: str, letter: str) -> Area:
    _require_admin(actor)
    unit = centre_get(centre)
    code, name, letter = code.strip(), nfc(name.strip()), letter.strip().upper()
    if not domain.valid_area_code(code):
        raise ValidationFailed("invalid_area_code", _("Mã khu vực chỉ gồm chữ thường không dấu, số và dấu gạch "
                                                      "ngang (tối đa 32 ký tự)."), details={"field": "code"})
    if not name or len(name) > 255:
        raise ValidationFailed("invalid_name", _("Vui lòng nhập tên khu vực (tối đa 255 ký tự)."),
                               details={"field": "name"})
    if not domain.valid_letter(letter):
        raise ValidationFailed("invalid_letter", _("Chữ cái của khu vực là một chữ in hoa từ A đến Z."),
                               details={"field": "letter"})
    if Area.objects.filter(centre=unit, letter=letter).exists():
        raise Conflict("letter_taken", _("Chữ cái %(letter)s đã dùng cho khu vực khác của trung tâm.") % {
            "letter": letter}, details={"field": "letter"})
    if Area.objects.filter(centre=unit, code=code).exists():
        raise Conflict("area_exists", _("Trung tâm đã có khu vực mã %(code)s.") % {"code": code},
                       details={"field": "code"})
    try:
        with transaction.atomic():
            area = Area.objects.create(centre=unit, code=code, name=name, letter=letter)
    except IntegrityError as exc:  # a concurrent creation
        raise Conflict("letter_taken", _("Chữ cái hoặc mã khu vực vừa được dùng."), details={"field": "letter"}) from exc
    audit_record(actor=actor, action="queue.area_create", obj=area, data={"centre": unit.code, "letter": letter})
    return area


@transaction.atomic
def counter_create(*, actor: Actor, centre: str, name: str, areas: list[str], officials: list[str]) -> Counter:
    _require_admin(actor)
    unit = centre_get(centre)
    name = nfc(name.strip())
    if not name or len(name) > 64:
        raise ValidationFailed("invalid_name", _("Vui lòng nhập tên quầy (tối đa 64 ký tự)."),
                               details={"field": "name"})
    if not areas:
        raise ValidationFailed("invalid_areas", _("Quầy phải phục vụ ít nhất một khu vực."), details={"field": "areas"})
    found = {a.code: a for a in Area.objects.filter(centre=unit, code__in=[str(a) for a in areas])}
    missing = [a for a in areas if a not in found]
    if missing:
        raise ValidationFailed("unknown_area", _("Trung tâm không có khu vực %(codes)s.") % {
            "codes": ", ".join(map(str, missing))}, details={"field": "areas", "areas": missing})
    users = {u.username: u for u in User.objects.filter(username__in=[str(o) for o in officials],
                                                          kind=UserKind.OFFICIAL, is_active=True)}
    missing = [o for o in officials if o not in users]
    if missing:
        raise ValidationFailed("unknown_official", _("Không có cán bộ %(names)s.") % {"names": ", ".join(map(str, missing))},
                               details={"field": "officials", "officials": missing})
    at_centre = set(Membership.objects.filter(unit=unit, user__in=users.values()).values_list("user__username",
                                                                                               flat=True))
    elsewhere = [o for o in officials if o not in at_centre]
    if elsewhere:
        raise ValidationFailed("not_at_centre", _("Cán bộ %(names)s không làm việc tại trung tâm này.") % {
            "names": ", ".join(elsewhere)}, details={"field": "officials", "officials": elsewhere})
    if Counter.objects.filter(centre=unit, name=name).exists():
        raise Conflict("counter_exists", _("Trung tâm đã có %(name)s.") % {"name": name}, details={"field": "name"})
    counter = Counter.objects.create(centre=unit, name=name)
    counter.areas.set(found.values())
    counter.officials.set(users.values())
    audit_record(actor=actor, action="queue.counter_create", obj=counter,
                 data={"centre": unit.code, "areas": sorted(found), "officials": sorted(users)})
    return counter


def _next_seq(area: Area, day: date) -> int:
    """One counter per area and day, incremented by a single upsert: concurrent kiosks never get
    the same number, and the row stays locked until the ticket's transaction commits."""
    table = TicketSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (area_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (area_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [area.pk, day],
        )
        row = cursor.fetchone()
    return int(row[0])


def ticket_rate_check(address: str) -> None:
    """Many tickets from one address in a minute (a script, not a kiosk): 429 `rate_limited`."""
    limit = int(str(settings.MOTCUA.get("QUEUE_TICKETS_PER_MINUTE_PER_ADDRESS", 60)))
    if address and limit and count_hit(f"queue:ticket:{address}:{clock.now():%Y%m%d%H%M}", 70) > limit:
        raise RateLimited("rate_limited", _("Quá nhiều lượt lấy số, vui lòng thử lại sau ít phút."))


@transaction.atomic
def ticket_take(*, centre: str, service: str, at: datetime | None = None) -> Ticket:
    """A new ticket in the area `service` of the centre: the next number of the area and day."""
    unit = centre_get(centre)
    area = Area.objects.filter(centre=unit, code=str(service)[:32], is_active=True).first()
    if area is None:
        raise ValidationFailed("unknown_service", _("Trung tâm không có khu vực %(code)s.") % {"code": service},
                               details={"field": "service"})
    now = at or clock.now()
    day = clock.local(now).date()
    seq = _next_seq(area, day)
    return Ticket.objects.create(centre=unit, area=area, issued_area=area, day=day, seq=seq,
                                 number=domain.ticket_number(area.letter, seq), issued_at=now, queued_at=now)


def _id(value: int) -> int:
    """An id a database column can hold (a larger one names nothing: 404, not a database error)."""
    return value if 0 < value < 2**63 else 0


def _counter_of(actor: Actor, counter_id: int, *, lock: bool = False) -> Counter:
    qs = Counter.objects.select_related("centre").filter(pk=_id(counter_id), is_active=True)
    counter = (qs.select_for_update(of=("self",)) if lock else qs).first()
    if counter is None:
        raise NotFound("not_found", _("Không tìm thấy quầy."))
    if actor.user is None or not counter.officials.filter(pk=actor.user.pk).exists():
        raise Forbidden("forbidden", _("Bạn không được phân công tại quầy này."))
    return counter


def _finish(ticket: Ticket, state: State, now: datetime) -> None:
    ticket.state = state
    ticket.finished_at = now
    ticket.save(update_fields=["state", "finished_at"])


@transaction.atomic
def counter_call_next(*, actor: Actor, counter_id: int, at: datetime | None = None) -> Ticket:
    """The oldest waiting ticket of the counter's areas is called to it; the ticket the counter was
    serving is done. None waiting → 404 `queue_empty` (the current ticket stays called)."""
    counter = _counter_of(actor, counter_id, lock=True)
    now = at or clock.now()
    waiting = (Ticket.objects.filter(area__in=counter.areas.all(), state=State.WAITING, day=clock.local(now).date())
               .order_by("queued_at", "id"))
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True, of=("self",))
    ticket = waiting.first()
    if ticket is None:
        raise NotFound("queue_empty", _("Không còn ai đang chờ ở các khu vực của quầy."))
    for current in Ticket.objects.select_for_update().filter(counter=counter, state=State.CALLED):
        _finish(current, State.DONE, now)
    ticket.state = State.CALLED
    ticket.counter = counter
    ticket.served_by = actor.user
    ticket.first_called_at = ticket.first_called_at or now
    ticket.called_at = now
    ticket.calls += 1
    ticket.save(update_fields=["state", "counter", "served_by", "first_called_at", "called_at", "calls"])
    audit_record(actor=actor, action="queue.call", obj=ticket, data={"number": ticket.number, "counter": counter.name})
    return ticket


@transaction.atomic
def ticket_act(*, actor: Actor, ticket_id: int, action: str, service: str = "", dossier: str = "",
               at: datetime | None = None) -> Ticket:
    """`recall` (call again), `skip` (not there), `done`, `transfer` (to another area of the centre,
    keeping its place by the time it was issued) on the ticket a counter of the actor has called.
    `done` may name the dossier the ticket produced."""
    if action not in {a.value for a in Act}:
        raise NotFound("unknown_action", _("Không có thao tác này."))
    ticket = (Ticket.objects.select_for_update(of=("self",)).select_related("counter", "area")
              .filter(pk=_id(ticket_id)).first())
    if ticket is None:
        raise NotFound("not_found", _("Không tìm thấy số thứ tự."))
    if (actor.user is None or ticket.counter is None
            or not ticket.counter.officials.filter(pk=actor.user.pk).exists()):
        raise Forbidden("forbidden", _("Số này không được gọi tới quầy của bạn."))
    if not domain.action_allowed(ticket.state, action):
        raise Conflict("invalid_ticket_state", _("Số %(number)s không còn ở quầy.") % {"number": ticket.number},
                       details={"state": ticket.state})
    now = at or clock.now()
    act = Act(action)
    data: dict[str, str] = {"number": ticket.number}
    if act == Act.RECALL:
        ticket.called_at = now
        ticket.calls += 1
        ticket.save(update_fields=["called_at", "calls"])
    elif act == Act.TRANSFER:
        target = Area.objects.filter(centre_id=ticket.centre_id, code=str(service)[:32], is_active=True).first()
        if target is None:
            raise ValidationFailed("unknown_service", _("Trung tâm không có khu vực %(code)s.") % {"code": service},
                                   details={"field": "service"})
        if target.pk == ticket.area_id:
            raise ValidationFailed("same_service", _("Số đã ở khu vực này."), details={"field": "service"})
        data["to"] = target.code
        ticket.area = target
        ticket.state = State.WAITING
        ticket.counter = None
        ticket.queued_at = ticket.issued_at
        ticket.save(update_fields=["area", "state", "counter", "queued_at"])
    else:
        if dossier:
            ticket.dossier_code = str(dossier).strip()[:40]
            data["dossier"] = ticket.dossier_code
        ticket.state = domain.ACTION_TO[act]
        ticket.finished_at = now
        ticket.save(update_fields=["state", "finished_at", "dossier_code"])
    audit_record(actor=actor, action=f"queue.{action}", obj=ticket, data=data)
    return ticket


@transaction.atomic
def ticket_link_dossier(*, actor: Actor, ticket_id: int, dossier: str) -> Ticket:
    """Name the dossier a ticket produced (the interface has checked that the actor sees it)."""
    ticket = Ticket.objects.select_for_update().filter(pk=_id(ticket_id)).first()
    if ticket is None:
        raise NotFound("not_found", _("Không tìm thấy số thứ tự."))
    if actor.user is None or ticket.served_by_id != actor.user.pk:
        raise Forbidden("forbidden", _("Số này không do bạn phục vụ."))
    ticket.dossier_code = str(dossier).strip()[:40]
    ticket.save(update_fields=["dossier_code"])
    audit_record(actor=actor, action="queue.link", obj=ticket, data={"dossier": ticket.dossier_code})
    return ticket
