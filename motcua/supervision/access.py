"""Who may open the report pages, and which units they may pick.

Supervisors and administrators (a role anywhere) and leaders see the pages; each sees the reports
of the units they supervise or lead and of the units below them (administrators: every unit), the
same rule as the report selectors' `report_access`. The desk is an independent interface
(import-linter), so the small login check is kept here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.models import Role, UserKind
from motcua.accounts.selectors import Actor
from motcua.accounts.web import request_actor
from motcua.units.models import Unit

LOGIN_URL = "/desk/dang-nhap/"

actor_of = request_actor


def can_supervise(actor: Actor) -> bool:
    return actor.is_admin or actor.has_role_anywhere(Role.SUPERVISOR) or actor.has_role_anywhere(Role.LEADER)


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "supervision/forbidden.html", status=403)


def supervisor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the desk login; citizens and officials without a supervising role
    get a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        if getattr(user, "kind", None) != UserKind.OFFICIAL or not user.is_active:
            return forbidden(request)
        if not can_supervise(actor_of(request)) or not units_of(request):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapper


def units_of(request: HttpRequest) -> list[tuple[str, str]]:
    """:func:`report_units` of the request's actor, read once per request."""
    units = getattr(request, "_motcua_report_units", None)
    if units is None:
        units = report_units(actor_of(request))
        request._motcua_report_units = units  # type: ignore[attr-defined]
    return units


def report_units(actor: Actor) -> list[tuple[str, str]]:
    """(code, label) of the units whose reports the actor may read, in tree order, each label
    indented by its depth under the actor's top units."""
    qs = Unit.objects.filter(is_active=True)
    if not actor.is_admin:
        qs = qs.filter(pk__in=actor.supervised_unit_ids())
    rows = list(qs.values_list("id", "code", "name", "parent_id"))
    ids = {r[0] for r in rows}
    children: dict[int | None, list[tuple[int, str, str, int | None]]] = {}
    for row in rows:
        parent = row[3] if row[3] in ids else None
        children.setdefault(parent, []).append(row)
    out: list[tuple[str, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for pk, code, name, _parent in sorted(children.get(parent, []), key=lambda r: r[1]):
            out.append((code, "\u00a0\u00a0\u00a0" * depth + name))
            walk(pk, depth + 1)

    walk(None, 0)
    return out
