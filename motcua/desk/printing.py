"""Official forms of Circular 01/2018/TT-VPCP at the desk: Mẫu 01–05 of a dossier as PDF, and the
tracking book (Mẫu 06) of a unit for a period, shown on screen and downloaded as PDF or Excel.

The files come from `motcua.dossiers.official_form_data`, the same functions the API uses, with the same
visibility (dossier_get; the book for officials of the unit or of a unit above it)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.official_form_data import RenderedFile, dossier_form_pdf, tracking_book, tracking_book_file
from motcua.official_forms.rendering import FormNotApplicable
from motcua.units.selectors import unit_choices, unit_ids

from .common import actor_of, official_required
from .forms import TrackingBookForm

# Where the book's refusals go on the form.
BOOK_FIELDS = {"invalid_period": "date_from", "period_too_long": "date_to", "forbidden": "unit", "not_found": "unit"}


def _file_response(rendered: RenderedFile, *, inline: bool) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{rendered.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@official_required
def form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """Mẫu 01–05 of a dossier the official may see; a form that does not apply (yet) is explained."""
    try:
        rendered = dossier_form_pdf(actor=actor_of(request), code=code, form=form)
    except FormNotApplicable as exc:
        return render(request, "desk/form_unavailable.html", {"code": code, "message": exc.message}, status=409)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _file_response(rendered, inline=True)


def book_units(actor: Actor) -> list[tuple[str, str]]:
    """Units whose book the official may read: their own, and those below a unit they supervise
    or lead (administrators: all)."""
    return unit_choices(unit_ids() if actor.is_admin else actor.unit_ids() | actor.supervised_unit_ids())


def _default_unit(actor: Actor, units: list[tuple[str, str]]) -> str:
    """The unit where the official receives dossiers, if any; else their first unit."""
    own = {code for code, _name in unit_choices(actor.units_with(Role.RECEPTION) or actor.unit_ids())}
    return next((code for code, _name in units if code in own), units[0][0] if units else "")


@official_required
def book(request: HttpRequest) -> HttpResponse:
    """Sổ theo dõi hồ sơ: pick the unit and the period, see the rows, download PDF or Excel."""
    actor = actor_of(request)
    units = book_units(actor)
    if not units:
        return render(request, "desk/forbidden.html", status=403)
    today = clock.today()
    initial = {"unit": _default_unit(actor, units), "date_from": today.replace(day=1), "date_to": today}
    form = TrackingBookForm(request.GET or None, initial=initial, units=units)
    context: dict[str, Any] = {"form": form, "book": None}
    status = 200
    if not form.is_bound:
        form = TrackingBookForm({k: _iso(v) for k, v in initial.items()}, units=units)
        context["form"] = form
    if form.is_valid():
        d = form.cleaned_data
        fmt = request.GET.get("dinh-dang", "")
        try:
            if fmt in {"pdf", "xlsx"}:
                rendered = tracking_book_file(actor=actor, unit_code=d["unit"], date_from=d["date_from"],
                                              date_to=d["date_to"], fmt=fmt)
                return _file_response(rendered, inline=False)
            context["book"] = tracking_book(actor=actor, unit_code=d["unit"], date_from=d["date_from"],
                                            date_to=d["date_to"])
        except DomainError as exc:
            form.add_error(BOOK_FIELDS.get(exc.code), exc.message)
            status = exc.status
        else:
            query = {"unit": d["unit"], "date_from": _iso(d["date_from"]), "date_to": _iso(d["date_to"])}
            context["query"] = "&".join(f"{k}={v}" for k, v in query.items())
            context["unit_name"] = dict(units).get(d["unit"], "")
    elif form.is_bound:
        status = 400
    context["periods"] = _periods(today)
    return render(request, "desk/book.html", context, status=status)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _periods(today: date) -> list[dict[str, str]]:
    """Quick choices: this month, last month, this year."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [
        {"name": _("Tháng này"), "from": first.isoformat(), "to": today.isoformat()},
        {"name": _("Tháng trước"), "from": last_month_end.replace(day=1).isoformat(),
         "to": last_month_end.isoformat()},
        {"name": _("Từ đầu năm"), "from": today.replace(month=1, day=1).isoformat(), "to": today.isoformat()},
    ]
