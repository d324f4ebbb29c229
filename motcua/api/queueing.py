"""Queue (bốc số) and kiosk: the contract's section "Queue (bốc số) and kiosk"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel, Field

from motcua.core.errors import NotFound
from motcua.dossiers.selectors import dossier_visible
from motcua.queueing.selectors import board, ticket_get, ticket_representation
from motcua.queueing.services import (
    area_create,
    centre_get,
    counter_call_next,
    counter_create,
    ticket_act,
    ticket_rate_check,
    ticket_take,
)

from .common import AUTH, actor_of
from .schemas import Error

router = Router(tags=["queue"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 429: Error}


class AreaIn(BaseModel):
    centre: str = Field(max_length=13)
    code: str = Field(max_length=64)
    name: str = Field(max_length=300)
    letter: str = Field(max_length=4)


class AreaOut(BaseModel):
    code: str
    name: str
    letter: str


class CounterIn(BaseModel):
    centre: str = Field(max_length=13)
    name: str = Field(max_length=100)
    areas: list[str] = Field(max_length=50)
    officials: list[str] = Field(default_factory=list, max_length=50)


class CounterOut(BaseModel):
    id: int
    name: str
    areas: list[str]
    officials: list[str]


class TicketIn(BaseModel):
    centre: str = Field(max_length=13)
    service: str = Field(max_length=64)


class TicketOut(BaseModel):
    id: int
    number: str
    centre: str
    service: str
    issued_at: str
    waiting_before: int
    state: str
    counter: str | None
    dossier: str | None


class TicketActionIn(BaseModel):
    service: str | None = Field(default=None, max_length=64, description="transfer: the area to move to")
    dossier: str | None = Field(default=None, max_length=40, description="done: the dossier the ticket produced")


class CalledOut(BaseModel):
    number: str
    counter: str


class BoardOut(BaseModel):
    called: list[CalledOut]
    waiting: dict[str, int]


@router.post("/admin/queue/areas", response={201: AreaOut, **ERRORS}, auth=AUTH)
def queue_area_create(request: HttpRequest, body: AreaIn) -> tuple[int, dict[str, Any]]:
    """An area (service group) of a centre with its letter, unique per centre (409 `letter_taken`)."""
    area = area_create(actor=actor_of(request), centre=body.centre, code=body.code, name=body.name,
                       letter=body.letter)
    return 201, {"code": area.code, "name": area.name, "letter": area.letter}


@router.post("/admin/queue/counters", response={201: CounterOut, **ERRORS}, auth=AUTH)
def queue_counter_create(request: HttpRequest, body: CounterIn) -> tuple[int, dict[str, Any]]:
    """A counter of a centre, the areas it serves and the officials assigned to it."""
    counter = counter_create(actor=actor_of(request), centre=body.centre, name=body.name, areas=body.areas,
                             officials=body.officials)
    return 201, {"id": counter.pk, "name": counter.name,
                 "areas": sorted(counter.areas.values_list("code", flat=True)),
                 "officials": sorted(counter.officials.values_list("username", flat=True))}


@router.post("/queue/tickets", response={201: TicketOut, **ERRORS})
def queue_ticket_take(request: HttpRequest, body: TicketIn) -> tuple[int, dict[str, Any]]:
    """Anyone (a kiosk) takes a ticket: the next number of the area and day, never repeated."""
    ticket_rate_check(request.META.get("REMOTE_ADDR", ""))
    ticket = ticket_take(centre=body.centre, service=body.service)
    return 201, ticket_representation(ticket)


@router.post("/queue/counters/{counter_id}/call-next", response={200: TicketOut, **ERRORS}, auth=AUTH)
def queue_call_next(request: HttpRequest, counter_id: int) -> dict[str, Any]:
    """The oldest waiting ticket of the counter's areas is called (404 `queue_empty` when none)."""
    ticket = counter_call_next(actor=actor_of(request), counter_id=counter_id)
    return ticket_representation(ticket)


@router.post("/queue/tickets/{ticket_id}/actions/{action}", response={200: TicketOut, **ERRORS}, auth=AUTH)
def queue_ticket_act(request: HttpRequest, ticket_id: int, action: str,
                     body: TicketActionIn | None = None) -> dict[str, Any]:
    """`recall`, `skip`, `done` (optionally naming the dossier) or `transfer` (to `service`)."""
    actor = actor_of(request)
    body = body or TicketActionIn()
    if body.dossier and action == "done":
        dossier_visible(actor, body.dossier)  # 404 for a dossier the official may not see
    ticket = ticket_act(actor=actor, ticket_id=ticket_id, action=action, service=body.service or "",
                        dossier=body.dossier or "")
    found = ticket_get(ticket.pk)
    if found is None:  # pragma: no cover - just written
        raise NotFound()
    return ticket_representation(found)


@router.get("/queue/board", response={200: BoardOut, **ERRORS})
def queue_board(request: HttpRequest, centre: str) -> dict[str, Any]:
    """What the display board of a centre shows: the tickets called and the waiting per area."""
    return board(centre_get(centre))
