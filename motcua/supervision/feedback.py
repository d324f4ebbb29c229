"""766 group 5 on the report pages: the petitions behind "feedback handled in time", the parts of
satisfaction (dossiers late, dossiers complained about) and the satisfaction chart of the dashboard.
The figures come from `motcua.reports` (the selectors of /api/v1/reports/…)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.feedback.domain import missed_deadlines
from motcua.feedback.models import Category, PetitionStatus
from motcua.feedback.services import times_of
from motcua.reports import charts, dashboard
from motcua.reports.domain import Period
from motcua.reports.selectors import PETITION_SET_KEYS, Scope, petitions_at, report_petitions

from .access import supervisor_required
from .forms import PeriodForm

PAGE_SIZE = 25

PART_NAMES: dict[str, Any] = {
    "satisfaction.late": gettext_lazy("Hồ sơ trễ hạn (đã giải quyết quá hạn hoặc đang quá hạn cuối kỳ)"),
    "satisfaction.complaints": gettext_lazy("Hồ sơ đúng hạn nhưng có phản ánh, kiến nghị hoặc đánh giá không hài "
                                            "lòng"),
}
PETITION_PARTS: dict[str, Any] = {
    "numerator": gettext_lazy("Phản ánh, kiến nghị được xử lý đúng hạn"),
    "denominator": gettext_lazy("Phản ánh, kiến nghị phải xử lý trong kỳ"),
    "late": gettext_lazy("Phản ánh, kiến nghị bị trễ hạn"),
}
MISSED_NAMES: dict[str, Any] = {
    "decide": gettext_lazy("trễ hạn phân loại (2 ngày làm việc)"),
    "request_info": gettext_lazy("trễ hạn đề nghị bổ sung (5 ngày làm việc)"),
    "answer": gettext_lazy("trễ hạn trả lời (15 ngày làm việc)"),
    "publish": gettext_lazy("trễ hạn công khai (2 ngày làm việc)"),
}


def petitions_href(query: str, set_key: str, part: str) -> str:
    return f"{reverse('supervision:petitions')}?{query}&{urlencode({'set': set_key, 'part': part})}"


def link_group_5(ind: dict[str, Any], query: str, dossiers_href: Any) -> None:
    """The links of a group 5 indicator on the 766 page: to its petitions, and to the dossiers of
    each part satisfaction subtracts."""
    key = ind.get("petitions")
    if key:
        ind["numerator_href"] = petitions_href(query, key, "numerator") if ind["numerator"] else ""
        ind["denominator_href"] = petitions_href(query, key, "denominator") if ind["denominator"] else ""
        late = (ind["denominator"] or 0) - (ind["numerator"] or 0)
        ind["late"] = {"count": late, "href": petitions_href(query, key, "late") if late else ""}
    for part in ind.get("parts") or []:
        part["name"] = PART_NAMES.get(part["key"], part["name"])
        part["href"] = dossiers_href(query, part["key"]) if part["count"] else ""


def satisfaction_context(scope: Scope, period: Period, inline_chart: Any) -> dict[str, Any]:
    """The dashboard's satisfaction section: rates per unit and their chart."""
    rows = dashboard.satisfaction_by_unit(scope, period)
    chart = inline_chart(charts.bar_chart(
        _("Mức độ hài lòng theo đơn vị (đánh giá hài lòng, rất hài lòng)"),
        [(r["unit"]["name"], r["satisfaction_rate"]) for r in rows[:30]], percent=True, highlight_below=0.9),
        "chart-satisfaction")
    return {"satisfaction": rows, "satisfaction_chart": chart}


class PetitionSetForm(PeriodForm):
    set = forms.ChoiceField(label=gettext_lazy("Số liệu"), choices=[(k, k) for k in PETITION_SET_KEYS],
                            error_messages={"required": gettext_lazy("Vui lòng chọn số liệu."),
                                            "invalid_choice": gettext_lazy("Không có số liệu này.")})
    part = forms.ChoiceField(label=gettext_lazy("Phần"), required=False, choices=list(PETITION_PARTS.items()),
                             error_messages={"invalid_choice": gettext_lazy("Phần không hợp lệ.")})


@supervisor_required
def petitions_page(request: HttpRequest) -> HttpResponse:
    """The petitions counted in "feedback handled in time" (its numerator, denominator, or those
    late), each with the deadlines it missed and a link to it at the desk."""
    from .views import _context, bound_form, period_query, scope_of

    form = bound_form(request, PetitionSetForm)
    template = "supervision/petitions.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "petitions"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "petitions"), status=403)
    d = form.cleaned_data
    part = d["part"] or "numerator"
    period = form.period()
    try:
        qs = report_petitions(scope, period, d["set"], part=part)
    except DomainError as exc:  # pragma: no cover - the form allows known sets only
        form.add_error("set", exc.message)
        return render(request, template, _context(request, form, "petitions"), status=400)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    at = petitions_at(period)
    rows = [{"p": p, "missed": [MISSED_NAMES[m] for m in missed_deadlines(times_of(p), at)]}
            for p in page.object_list]
    query = period_query(form)
    return render(request, template, _context(
        request, form, "petitions", page=page, rows=rows, part_name=PETITION_PARTS[part],
        back=f"{reverse('supervision:index_766')}?{query}#group-satisfaction",
        query=f"{query}&{urlencode({'set': d['set'], 'part': part})}",
        statuses=dict(PetitionStatus.choices), categories=dict(Category.choices)))
