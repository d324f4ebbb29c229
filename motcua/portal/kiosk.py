"""The kiosk of a centre (`/kiosk/<centre>/`, a touch screen): take a ticket and print it, look a
dossier up by its code or by scanning the QR code of Mẫu 01, read about procedures, rate a finished
dossier; large targets, back to its home screen after a minute without a touch. Also the public
page of a ticket (the QR code printed on it), its PDF for the thermal printer, and the display
board of the centre (`/bang-goi-so/<centre>/`)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.accounts.web import PageForm
from motcua.catalog.selectors import procedure_get, procedure_list
from motcua.core import clock
from motcua.core.errors import DomainError, NotFound, RateLimited
from motcua.dossiers.selectors import dossier_public
from motcua.queueing import domain as queue_domain
from motcua.queueing.models import Ticket
from motcua.queueing.printing import ticket_context, ticket_pdf
from motcua.queueing.selectors import areas_of, called_tickets, ticket_by_token, waiting_before, waiting_counts
from motcua.queueing.services import centre_get, ticket_rate_check, ticket_take
from motcua.units.models import Unit

from .forms import LookupForm

DOSSIER_CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,}")
BOARD_POLL_SECONDS = 3
BOARD_REFRESH_SECONDS = 15  # the refresh of the board without JavaScript
TICKET_RETURN_SECONDS = 20


def _centre(code: str) -> Unit:
    try:
        return centre_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _kiosk(centre: Unit, **extra: Any) -> dict[str, Any]:
    return {"centre": centre, "kiosk_home": f"/kiosk/{centre.code}/",
            "idle_seconds": int(settings.MOTCUA.get("KIOSK_IDLE_SECONDS", 60)), **extra}


class KioskLookupForm(LookupForm):
    """The public lookup, where the code may also come from a scanner reading the QR code of Mẫu 01
    (the whole address it holds, typed into the field)."""

    ma = forms.CharField(label=_("Mã hồ sơ hoặc quét mã QR trên giấy tiếp nhận"), max_length=300,
                         help_text=_("Đưa mã QR trên giấy tiếp nhận vào máy quét, hoặc gõ mã hồ sơ."),
                         error_messages={"required": _("Vui lòng nhập mã hồ sơ hoặc quét mã QR.")})

    def clean_ma(self) -> str:
        value = self.cleaned_data["ma"].strip()
        found = DOSSIER_CODE.search(value)
        if found:
            return found.group(0)
        if len(value) > 40:
            raise forms.ValidationError(_("Không đọc được mã hồ sơ từ mã QR này."))
        return value


class TakeForm(PageForm):
    service = forms.CharField(max_length=32)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def kiosk_home(request: HttpRequest, centre: str) -> HttpResponse:
    unit = _centre(centre)
    counts = waiting_counts(unit)
    areas = [{"a": a, "waiting": counts.get(a.code, 0)} for a in areas_of(unit)]
    return render(request, "portal/kiosk/home.html", _kiosk(unit, areas=areas, lookup=KioskLookupForm(
        auto_id="kiosk_%s")))


@require_POST
def kiosk_take(request: HttpRequest, centre: str) -> HttpResponse:
    unit = _centre(centre)
    form = TakeForm(request.POST)
    if not form.is_valid():
        return redirect("portal:kiosk", centre=unit.code)
    try:
        ticket_rate_check(request.META.get("REMOTE_ADDR", ""))
        ticket = ticket_take(centre=unit.code, service=form.cleaned_data["service"])
    except DomainError as exc:
        counts = waiting_counts(unit)
        areas = [{"a": a, "waiting": counts.get(a.code, 0)} for a in areas_of(unit)]
        return render(request, "portal/kiosk/home.html", _kiosk(unit, areas=areas, error=exc.message,
                                                               lookup=KioskLookupForm(auto_id="kiosk_%s")),
                      status=exc.status)
    return redirect("portal:kiosk_ticket", centre=unit.code, token=str(ticket.token))


def _ticket(token: str) -> Ticket:
    ticket = ticket_by_token(token)
    if ticket is None:
        raise Http404(_("Không tìm thấy số thứ tự."))
    return ticket


def kiosk_ticket(request: HttpRequest, centre: str, token: str) -> HttpResponse:
    """The ticket just taken, to print (the print stylesheet keeps only the 80 mm slip)."""
    unit = _centre(centre)
    ticket = _ticket(token)
    if ticket.centre_id != unit.pk:
        raise Http404(_("Không tìm thấy số thứ tự."))
    context = {**ticket_context(ticket, waiting_before(ticket)), **_kiosk(unit, seconds=TICKET_RETURN_SECONDS),
               "auto_print": bool(settings.MOTCUA.get("KIOSK_AUTO_PRINT", False))}
    return render(request, "portal/kiosk/ticket.html", context)


def kiosk_lookup(request: HttpRequest, centre: str) -> HttpResponse:
    unit = _centre(centre)
    result: dict[str, Any] | None = None
    status = 200
    form = KioskLookupForm(request.GET if "ma" in request.GET else None, auto_id="kiosk_%s")
    if form.is_bound:
        if form.is_valid():
            try:
                found = dossier_public(form.cleaned_data["ma"], form.cleaned_data["so"],
                                       address=request.META.get("REMOTE_ADDR", ""))
            except (RateLimited, NotFound) as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                result = {**found, "received_at": _dt(found["received_at"]), "due_at": _dt(found["due_at"]),
                          "finished_at": _dt(found["finished_at"])}
        else:
            status = 400
    return render(request, "portal/kiosk/lookup.html", _kiosk(unit, lookup=form, result=result), status=status)


def kiosk_procedures(request: HttpRequest, centre: str) -> HttpResponse:
    unit = _centre(centre)
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(procedure_list(q=q or None), 8).get_page(request.GET.get("trang"))
    return render(request, "portal/kiosk/procedures.html", _kiosk(unit, page=page, q=q))


def kiosk_procedure(request: HttpRequest, centre: str, code: str) -> HttpResponse:
    from motcua.dossiers.selectors import due_if_received

    unit = _centre(centre)
    try:
        procedure = procedure_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    version = procedure.current
    assert version is not None
    return render(request, "portal/kiosk/procedure.html", _kiosk(
        unit, procedure=procedure, v=version, due_direct=due_if_received(version, "direct", at=clock.now())))


# -- the ticket's public page and PDF --------------------------------------------------------------


def ticket_follow(request: HttpRequest, token: str) -> HttpResponse:
    """Where a ticket stands (the QR code printed on it): refreshes itself every 30 seconds."""
    ticket = _ticket(token)
    return render(request, "portal/ticket_follow.html", {
        "t": ticket, "waiting_before": waiting_before(ticket), "refresh": 30})


def ticket_print_pdf(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _ticket(token)
    response = HttpResponse(ticket_pdf(ticket, waiting_before(ticket)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-thu-tu-{ticket.number}.pdf"'
    return response


# -- the display board ----------------------------------------------------------------------------


def board_page(request: HttpRequest, centre: str) -> HttpResponse:
    """The board on a TV: the numbers called (the latest large), their counters and the waiting per
    area. htmx asks for the board part every few seconds (a short request each time, no held
    connection); without JavaScript the page refreshes itself."""
    unit = _centre(centre)
    called = [{"t": t, "say": queue_domain.spoken_number(t.number), "key": f"{t.pk}-{t.calls}"}
              for t in called_tickets(unit)]
    counts = waiting_counts(unit)
    context = {"centre": unit, "called": called, "poll": BOARD_POLL_SECONDS, "refresh": BOARD_REFRESH_SECONDS,
               "waiting": [{"a": a, "n": counts.get(a.code, 0)} for a in areas_of(unit)], "now": clock.now()}
    response = render(request, "portal/board.html", context)
    response["Cache-Control"] = "no-store"
    return response
