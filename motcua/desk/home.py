"""The desk home: worklists with counts, search, and the supervisor's overview."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.dossiers.selectors import dossier_counts_by_unit, dossier_line_rows, dossier_lines, dossier_list
from motcua.dossiers.worklists import WORKLIST_NAMES, WORKLISTS, worklist, worklist_counts
from motcua.workflow.labels import status_labels

from .common import actor_of, official_required
from .forms import SearchForm

LIST_NAMES: dict[str, Any] = {
    "to_check": _("Hồ sơ trực tuyến chờ kiểm tra"),
    "my_steps": _("Đang chờ tôi xử lý"),
    "due_soon": _("Đến hạn trong 1 ngày làm việc"),
    "overdue": _("Quá hạn"),
    "at_risk": _("Có nguy cơ trễ hạn"),
    "paused": _("Tạm dừng (chờ bổ sung, chờ nộp phí)"),
    "to_return": _("Chờ trả kết quả"),
    "consultations": _("Xin ý kiến chờ trả lời"),
}
ALERT_LISTS = {"overdue", "at_risk", "consultations"}


def list_name(name: str) -> Any:
    """The desk's short label, else the worklist's own name (a list added later shows up too)."""
    return LIST_NAMES.get(name) or WORKLIST_NAMES.get(name, name)


@official_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    counts = worklist_counts(actor)
    names = list(WORKLISTS)
    chosen = request.GET.get("ds", "")
    if chosen not in names:
        chosen = next((n for n in names if counts.get(n)), "my_steps")
    page = _lines_page(worklist(actor, chosen), 25, request.GET.get("trang"))
    cards = [{"key": n, "name": list_name(n), "count": counts.get(n, 0), "alert": n in ALERT_LISTS} for n in names]
    return render(request, "desk/home.html", {
        "cards": cards, "chosen": chosen, "chosen_name": list_name(chosen), "page": page,
        "query": f"ds={chosen}", "search": SearchForm(), "is_supervisor": _is_supervisor(actor),
    })


@official_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        page = _lines_page(dossier_list(actor_of(request), q=form.cleaned_data["q"]), 25, request.GET.get("trang"))
    return render(request, "desk/search.html", {"form": form, "page": page,
                                                 "query": f"q={request.GET.get('q', '')}"})


def _lines_page(qs: Any, per_page: int, number: str | None) -> Page:
    """One page of a dossier table: the columns of its lines only, procedure names from memory."""
    page = Paginator(dossier_line_rows(qs), per_page).get_page(number)
    page.object_list = dossier_lines(page.object_list)
    return page


def _is_supervisor(actor: Any) -> bool:
    return actor.is_admin or actor.has_role_anywhere(Role.SUPERVISOR) or actor.has_role_anywhere(Role.LEADER)


@official_required
def supervisor(request: HttpRequest) -> HttpResponse:
    """Counts by status and outcome per handling unit, and the overdue list, over what the
    supervisor may see (their units and those below)."""
    actor = actor_of(request)
    if not _is_supervisor(actor):
        return render(request, "desk/forbidden.html", status=403)
    statuses = status_labels()
    table = [{**u, "cells": [u["status"].get(code, 0) for code, _name in statuses]}
             for u in dossier_counts_by_unit(actor)]
    overdue = _lines_page(dossier_list(actor, overdue=True).order_by("due_at", "id"), 50, request.GET.get("trang"))
    return render(request, "desk/supervisor.html", {"table": table, "statuses": statuses, "overdue": overdue})
