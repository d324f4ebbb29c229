"""Finding a procedure: the home page, the accent-insensitive list and the procedure page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog.selectors import procedure_get, procedure_list
from motcua.core import clock
from motcua.core.errors import NotFound
from motcua.dossiers.selectors import due_if_received
from motcua.units.models import Unit
from motcua.units.selectors import unit_list

from .forms import LookupForm, SearchForm


def receiving_units(level: str) -> list[Unit]:
    """The one-stop desks where a dossier may be submitted: any centre of the province (routing
    follows competence, not place), those of the procedure's level first."""
    centres = unit_list(level="centre")

    def rank(unit: Unit) -> tuple[int, str]:
        parent_level = unit.parent.level if unit.parent else ""
        local = parent_level == "commune"
        first = local if level == "commune" else not local
        return (0 if first else 1, unit.name)

    return sorted(centres, key=rank)


def home(request: HttpRequest) -> HttpResponse:
    procedures = procedure_list()
    fields = list(procedures.values("field__code", "field__name").annotate(n=Count("id")).order_by("field__name"))
    popular = list(procedure_list().annotate(n=Count("dossiers")).order_by("-n", "code")[:6])
    return render(request, "portal/home.html", {
        "fields": fields, "popular": popular, "search": SearchForm(), "lookup": LookupForm(),
    })


def procedures(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"q": data["q"].strip() or None, "field": data["field"] or None, "level": data["level"] or None,
                   "online_mode": data["online"] or None}
    page = Paginator(procedure_list(**filters), 20).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "portal/procedure_list.html", {
        "form": form, "page": page, "filters": filters, "query": query.urlencode(),
    })


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = procedure_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    version = procedure.current
    assert version is not None
    handling = None
    if version.handling_unit != "receiving":
        handling = Unit.objects.filter(code=version.handling_unit).first()
    now = clock.now()
    return render(request, "portal/procedure_detail.html", {
        "procedure": procedure, "v": version, "handling": handling,
        "centres": receiving_units(version.level), "now": now,
        "due_direct": due_if_received(version, "direct", at=now),
        "due_online": due_if_received(version, "online", at=now) if version.online_mode != "none" else None,
        "online_differs": version.online_time_limit_value is not None,
        "required_docs": [d for d in version.documents if d.get("required")],
        "optional_docs": [d for d in version.documents if not d.get("required")],
    })
