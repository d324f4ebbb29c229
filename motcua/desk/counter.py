"""The counter at the desk (quầy): call the next ticket, recall, not there, done (naming the dossier
it produced), transfer to another area; one tap each, every button a small form (no JavaScript
needed). A dossier received at the desk while a ticket is being served is linked to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.selectors import Actor
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import dossier_visible
from motcua.queueing.selectors import (
    areas_of,
    counter_current,
    counter_waiting,
    counters_of,
    current_ticket_of,
    waiting_counts,
)
from motcua.queueing.services import counter_call_next, ticket_act, ticket_link_dossier

from .common import actor_of, official_required

ACTION_DONE = {
    "recall": gettext_lazy("Đã mời lại số %(number)s."),
    "skip": gettext_lazy("Số %(number)s được ghi vắng mặt."),
    "done": gettext_lazy("Đã phục vụ xong số %(number)s."),
    "transfer": gettext_lazy("Đã chuyển số %(number)s sang khu vực khác."),
}


def _back(counter_id: int) -> HttpResponse:
    return redirect(f"/desk/quay/?quay={counter_id}")


@official_required
def counter_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    counters = counters_of(user.pk)
    chosen: Any = None
    wanted = request.GET.get("quay", "")
    for c in counters:
        if str(c.pk) == wanted:
            chosen = c
    if chosen is None and counters:
        chosen = counters[0]
    context: dict[str, Any] = {"counters": counters, "counter": chosen}
    if chosen is not None:
        counts = waiting_counts(chosen.centre)
        served = {a.code for a in chosen.areas.all()}
        areas = areas_of(chosen.centre)
        context |= {"current": counter_current(chosen), "waiting": counter_waiting(chosen), "areas": areas,
                    "area_rows": [{"a": a, "n": counts.get(a.code, 0), "served": a.code in served} for a in areas]}
    return render(request, "desk/counter.html", context)


@official_required
@require_POST
def call_next(request: HttpRequest, counter_id: int) -> HttpResponse:
    try:
        ticket = counter_call_next(actor=actor_of(request), counter_id=counter_id)
    except DomainError as exc:
        if exc.status == 403:
            raise Http404(exc.message) from exc
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Đang mời số %(number)s.") % {"number": ticket.number})
    return _back(counter_id)


@official_required
@require_POST
def ticket_action(request: HttpRequest, counter_id: int, ticket_id: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    dossier = request.POST.get("dossier", "").strip()[:40] if action == "done" else ""
    try:
        if dossier:
            dossier_visible(actor, dossier)
        ticket = ticket_act(actor=actor, ticket_id=ticket_id, action=action,
                            service=request.POST.get("service", "")[:32], dossier=dossier)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(ACTION_DONE[action]) % {"number": ticket.number})
    return _back(counter_id)


def link_served_ticket(actor: Actor, code: str) -> None:
    """The dossier just received at the desk came from the ticket the official is serving."""
    if actor.user is None:
        return
    ticket = current_ticket_of(actor.user.pk)
    if ticket is not None and not ticket.dossier_code:
        ticket_link_dossier(actor=actor, ticket_id=ticket.pk, dossier=code)
