"""Waiting and serving times at the centres (bốc số): per centre, area, counter and hour of the
day, for the tickets issued in the period at the centres the reader supervises."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.queueing.selectors import queue_stats
from motcua.reports.domain import Period
from motcua.reports.selectors import Scope, report_inline_max_days, report_is_long
from motcua.units.models import Unit, UnitLevel

from .access import supervisor_required
from .forms import PeriodForm


def _centre_ids(scope: Scope) -> set[int]:
    centres = Unit.objects.filter(level=UnitLevel.CENTRE)
    if scope.unit_ids is not None:
        centres = centres.filter(pk__in=sorted(scope.unit_ids))
    return set(centres.values_list("pk", flat=True))


def queue_context(scope: Scope, period: Period) -> dict[str, Any]:
    """The dashboard's section: waiting and serving times per centre (the details on their page)."""
    return {"queue_centres": queue_stats(_centre_ids(scope), period.first, period.last)["centre"]}


@supervisor_required
def queue_page(request: HttpRequest) -> HttpResponse:
    from .views import _context, bound_form, scope_of

    form = bound_form(request, PeriodForm)
    template = "supervision/queue.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "queue"), status=400)
    period = form.period()
    if report_is_long(period):
        form.add_error("date_to", _("Bảng điều khiển xem được kỳ tối đa %(n)s ngày; vui lòng chọn kỳ ngắn hơn.")
                       % {"n": report_inline_max_days()})
        return render(request, template, _context(request, form, "queue"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "queue"), status=403)
    stats = queue_stats(_centre_ids(scope), period.first, period.last)
    return render(request, template, _context(request, form, "queue", stats=stats, period=period))
