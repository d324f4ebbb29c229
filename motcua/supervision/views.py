"""The report pages for supervisors, leaders and administrators: a dashboard, Biểu II.06a and II.07b,
the Decision 766 index, the dossiers behind a figure and the dossiers that sit without events.

Every figure comes from `motcua.reports` (the same selectors as /api/v1/reports/…); these views
read the form, pick the unit and the period, and lay the figures out. Server-rendered, no
JavaScript needed; charts are inline SVG with a data table under each."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.calendar.selectors import work_calendar
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.reports import charts, dashboard, exports
from motcua.reports.domain import index_definition
from motcua.reports.models import ReportKind
from motcua.reports.selectors import (
    II06A_CELLS,
    Scope,
    ii06a,
    ii07b,
    index_766,
    index_weights,
    report_access,
    report_dossiers,
    report_inline_max_days,
    report_is_long,
    report_scope,
    unprocessed,
    unprocessed_dossiers,
    working_days_between,
)
from motcua.workflow.domain import STATUS_NAMES

from .access import actor_of, supervisor_required, units_of
from .feedback import PART_NAMES, link_group_5, satisfaction_context
from .forms import DossierSetForm, IdleForm, PeriodForm, UnitForm
from .queue import queue_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 25

# The II.06a columns in the order of the official form, with the header cells each data cell
# belongs to (ids in supervision/ii06a.html).
II06A_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("received", "total", "h-rec h-rec-total"),
    ("received", "online", "h-rec h-rec-new h-rec-online"),
    ("received", "direct_postal", "h-rec h-rec-new h-rec-direct"),
    ("received", "carried_over", "h-rec h-rec-carried"),
    ("resolved", "total", "h-res h-res-total"),
    ("resolved", "early", "h-res h-res-of h-res-early"),
    ("resolved", "on_time", "h-res h-res-of h-res-ontime"),
    ("resolved", "late", "h-res h-res-of h-res-late"),
    ("in_progress", "total", "h-prog h-prog-total"),
    ("in_progress", "within_time", "h-prog h-prog-of h-prog-within"),
    ("in_progress", "overdue", "h-prog h-prog-of h-prog-overdue"),
)

CELL_NAMES: dict[str, Any] = {
    "received.total": gettext_lazy("Hồ sơ nhận giải quyết"),
    "received.online": gettext_lazy("Hồ sơ mới tiếp nhận trực tuyến"),
    "received.direct_postal": gettext_lazy("Hồ sơ mới tiếp nhận trực tiếp, qua dịch vụ bưu chính"),
    "received.carried_over": gettext_lazy("Hồ sơ từ kỳ trước chuyển qua"),
    "resolved.total": gettext_lazy("Hồ sơ đã giải quyết"),
    "resolved.early": gettext_lazy("Hồ sơ giải quyết trước hạn"),
    "resolved.on_time": gettext_lazy("Hồ sơ giải quyết đúng hạn"),
    "resolved.late": gettext_lazy("Hồ sơ giải quyết quá hạn"),
    "in_progress.total": gettext_lazy("Hồ sơ đang giải quyết"),
    "in_progress.within_time": gettext_lazy("Hồ sơ đang giải quyết chưa đến hạn"),
    "in_progress.overdue": gettext_lazy("Hồ sơ đang giải quyết quá hạn"),
}
CHANNEL_NAMES = {"online": gettext_lazy("Trực tuyến"), "direct": gettext_lazy("Trực tiếp"),
                 "postal": gettext_lazy("Bưu chính công ích")}
OUTCOME_NAMES = {"early": gettext_lazy("Trước hạn"), "on_time": gettext_lazy("Đúng hạn"),
                 "late": gettext_lazy("Quá hạn")}


# -- the form, the unit and the period --------------------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def bound_form(request: HttpRequest, form_class: type[forms.Form], **defaults: Any) -> Any:
    """The page's form, bound to the query string; what the query does not say takes the default:
    the user's top unit, this year up to today (a page opened without a query shows that)."""
    units = units_of(request)
    today = clock.today()
    values: dict[str, Any] = {"unit": units[0][0] if units else ""}
    if issubclass(form_class, PeriodForm):
        values |= {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()}
    values |= {k: _iso(v) for k, v in defaults.items()}
    form_fields = form_class.base_fields
    values |= {k: request.GET.get(k, "") for k in form_fields if k in request.GET}
    kwargs: dict[str, Any] = {"units": units}
    if issubclass(form_class, PeriodForm):
        kwargs["today"] = today
    return form_class(values, **kwargs)


def scope_of(request: HttpRequest, form: UnitForm) -> Scope | None:
    """The unit's scope once the reader's right to it is checked (None, with the error on the
    unit field, when it is not)."""
    try:
        scope = report_scope(form.cleaned_data["unit"])
        report_access(actor_of(request), scope)
    except DomainError as exc:
        form.add_error("unit", exc.message)
        return None
    return scope


def period_query(form: PeriodForm) -> str:
    d = form.cleaned_data
    return urlencode({"unit": d["unit"], "date_from": d["date_from"].isoformat(), "date_to": d["date_to"].isoformat()})


def quick_periods(today: date) -> list[tuple[Any, date, date]]:
    """This month, this quarter, this year so far, last year."""
    quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return [
        (_("Tháng này"), today.replace(day=1), today),
        (_("Quý này"), quarter, today),
        (_("Từ đầu năm"), today.replace(month=1, day=1), today),
        (_("Năm trước"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


def _context(request: HttpRequest, form: Any, page_name: str, **extra: Any) -> dict[str, Any]:
    """What every report page shows: the form, the sub-navigation (keeping the unit and the period),
    quick periods, and the name of the chosen unit."""
    valid = form.is_bound and not form.errors
    unit = form.cleaned_data.get("unit", "") if valid else str(form.data.get("unit", ""))
    query = ""
    if valid:
        query = period_query(form) if "date_from" in form.cleaned_data else urlencode({"unit": unit})
    periods = []
    if "date_from" in form.fields:
        periods = [{"name": name, "href": "?" + urlencode({"unit": unit, "date_from": first.isoformat(),
                                                           "date_to": last.isoformat()})}
                   for name, first, last in quick_periods(clock.today())]
    unit_names = {code: label.strip("\u00a0") for code, label in units_of(request)}
    return {"form": form, "page_name": page_name, "nav_query": query, "unit_name": unit_names.get(unit, ""),
            "periods": periods, **extra}


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_name(kind: str, form: PeriodForm, ext: str) -> str:
    d = form.cleaned_data
    return f"{kind}_{d['unit']}_{d['date_from']:%Y%m%d}-{d['date_to']:%Y%m%d}.{ext}"


def _job_offer(form: PeriodForm, kind: str, formats: tuple[str, ...]) -> dict[str, Any]:
    d = form.cleaned_data
    return {"kind": kind, "unit": d["unit"], "date_from": d["date_from"].isoformat(),
            "date_to": d["date_to"].isoformat(), "formats": formats, "max_days": report_inline_max_days()}


def dossiers_href(query: str, set_key: str, **extra: str) -> str:
    params = {"set": set_key, **{k: v for k, v in extra.items() if v}}
    return f"{reverse('supervision:dossiers')}?{query}&{urlencode(params)}"


# -- charts -----------------------------------------------------------------------------------------


def inline_chart(svg: str, prefix: str) -> SafeString:
    """A chart of `motcua.reports.charts` ready to sit inline among others: its <title>/<desc> ids
    made unique on the page, and scaled down to narrow screens."""
    svg = svg.replace('aria-labelledby="t d"', f'aria-labelledby="{prefix}-t {prefix}-d"', 1)
    svg = svg.replace('<title id="t">', f'<title id="{prefix}-t">', 1).replace('<desc id="d">', f'<desc id="{prefix}-d">', 1)
    svg = svg.replace(' style="', ' style="max-width:100%;height:auto;', 1)
    return mark_safe(svg)  # noqa: S308 - the chart renderers escape every label they draw


def _month(label: str) -> str:
    year, month = label.split("-")
    return f"{month}/{year}"


# -- pages ------------------------------------------------------------------------------------------


@supervisor_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """On-time rate by month, ranking of units, channel mix, overdue dossiers now by unit and by
    procedure, and each official's hand-overs and their outcomes."""
    form = bound_form(request, PeriodForm)
    template = "supervision/dashboard.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "dashboard"), status=400)
    period = form.period()
    if report_is_long(period):
        form.add_error("date_to", _("Bảng điều khiển xem được kỳ tối đa %(n)s ngày; vui lòng chọn kỳ ngắn hơn.")
                       % {"n": report_inline_max_days()})
        return render(request, template, _context(request, form, "dashboard"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "dashboard"), status=403)
    query = period_query(form)
    months = [{**m, "label": _month(m["month"])} for m in dashboard.on_time_by_month(scope, period)]
    ranking = dashboard.unit_ranking(scope, period)
    for row in ranking:
        unit_query = urlencode({"unit": row["unit"]["code"], "date_from": period.first.isoformat(),
                                "date_to": period.last.isoformat()})
        row["links"] = {key: dossiers_href(unit_query, cell) for key, cell in (
            ("received", "received.total"), ("resolved", "resolved.total"), ("late", "resolved.late"),
            ("overdue", "in_progress.overdue"))}
        row["dashboard"] = f"{reverse('supervision:dashboard')}?{unit_query}"
    mix = dashboard.channel_mix(scope, period)
    channels = [{"key": k, "name": CHANNEL_NAMES[k], "count": mix[k]} for k in ("online", "direct", "postal")]
    overdue = dashboard.overdue_now(scope)
    officials = dashboard.official_workload(scope, period)
    totals = {key: sum(r[key] for r in ranking) for key in ("received", "resolved", "late", "overdue")}
    chart = {
        "on_time": inline_chart(charts.line_chart(_("Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng"),
                                                  [(m["label"], m["rate"]) for m in months]), "chart-on-time"),
        "units": inline_chart(charts.bar_chart(_("Xếp hạng đơn vị theo tỷ lệ đúng hạn"),
                                               [(r["unit"]["name"], r["rate"]) for r in ranking[:30]],
                                               percent=True, highlight_below=0.9), "chart-units"),
        "channels": inline_chart(charts.bar_chart(_("Hồ sơ mới tiếp nhận theo kênh"),
                                                  [(str(c["name"]), int(c["count"])) for c in channels]), "chart-channels"),
        "overdue_units": inline_chart(charts.bar_chart(_("Hồ sơ đang quá hạn theo đơn vị"),
                                                       [(r["unit"]["name"], r["overdue"]) for r in overdue["by_unit"]]),
                                      "chart-overdue-units"),
        "overdue_procedures": inline_chart(charts.bar_chart(
            _("Hồ sơ đang quá hạn theo thủ tục"), [(r["procedure"]["name"], r["overdue"])
                                                    for r in overdue["by_procedure"]]), "chart-overdue-procedures"),
        "officials": inline_chart(charts.bar_chart(
            _("Số lượt xử lý của cán bộ"), [(o["official"]["full_name"] or o["official"]["username"], o["actions"])
                                             for o in officials[:15]]), "chart-officials"),
    }
    return render(request, template, _context(
        request, form, "dashboard", months=months, ranking=ranking, channels=channels,
        channel_total=sum(c["count"] for c in channels), overdue=overdue, officials=officials, totals=totals,
        chart=chart, now=clock.now(), query=query, **satisfaction_context(scope, period, inline_chart),
        **queue_context(scope, period)))


@supervisor_required
def ii06a_page(request: HttpRequest) -> HttpResponse:
    """Biểu II.06a laid out like the official form; every number links to its dossiers."""
    form = bound_form(request, PeriodForm)
    template = "supervision/ii06a.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "ii06a"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "ii06a"), status=403)
    period = form.period()
    if report_is_long(period):
        return render(request, template, _context(request, form, "ii06a",
                                                  job=_job_offer(form, ReportKind.II06A, ("xlsx", "pdf"))))
    report = ii06a(scope, period)
    fmt = request.GET.get("dinh-dang", "")
    if fmt == "xlsx":
        return _file(exports.ii06a_xlsx(report), XLSX, _file_name("bieu-II.06a", form, "xlsx"))
    if fmt == "pdf":
        return _file(exports.ii06a_pdf(report), "application/pdf", _file_name("bieu-II.06a", form, "pdf"))
    query = period_query(form)

    def cells(counts: dict[str, dict[str, int]], row_id: str, field: str = "") -> list[dict[str, Any]]:
        out = []
        for group, key, headers in II06A_COLUMNS:
            value = counts[group][key]
            out.append({"value": value, "cell": f"{group}.{key}", "headers": f"{row_id} {headers}",
                        "href": dossiers_href(query, f"{group}.{key}", field=field) if value else ""})
        return out

    rows = [{"index": i, "id": f"r{i}", "code": row["field"]["code"], "name": row["field"]["name"],
             "cells": cells(row, f"r{i}", row["field"]["code"])} for i, row in enumerate(report["rows"], start=1)]
    return render(request, template, _context(
        request, form, "ii06a", report=report, rows=rows, totals=cells(report["totals"], "r-total"), query=query))


@supervisor_required
def ii07b_page(request: HttpRequest) -> HttpResponse:
    """Biểu II.07b: procedures by level under the unit's authority (the catalogue as it stands)."""
    form = bound_form(request, PeriodForm)
    template = "supervision/ii07b.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "ii07b"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "ii07b"), status=403)
    report = ii07b(scope, form.period())
    if request.GET.get("dinh-dang", "") == "xlsx":
        return _file(exports.ii07b_xlsx(report), XLSX, _file_name("bieu-II.07b", form, "xlsx"))
    return render(request, template, _context(request, form, "ii07b", report=report, query=period_query(form)))


@supervisor_required
def index_766_page(request: HttpRequest) -> HttpResponse:
    """The Decision 766 index: five groups, each indicator with its numerator, denominator, rate,
    points and the dossiers behind it, or why the system holds no data for it."""
    form = bound_form(request, PeriodForm)
    template = "supervision/index_766.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "index_766"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "index_766"), status=403)
    period = form.period()
    if report_is_long(period):
        return render(request, template, _context(request, form, "index_766",
                                                  job=_job_offer(form, ReportKind.INDEX_766, ("xlsx", "pdf"))))
    report = index_766(scope, period)
    fmt = request.GET.get("dinh-dang", "")
    if fmt == "xlsx":
        return _file(exports.index_766_xlsx(report), XLSX, _file_name("chi-so-766", form, "xlsx"))
    if fmt == "pdf":
        return _file(exports.index_766_pdf(report), "application/pdf", _file_name("chi-so-766", form, "pdf"))
    query = period_query(form)
    for number, group in enumerate(report["groups"], start=1):
        group["number"] = number
        for ind in group["indicators"]:
            key = ind.get("dossiers")
            ind["numerator_href"] = dossiers_href(query, key) if key and ind["numerator"] else ""
            ind["denominator_href"] = (dossiers_href(query, key, part="denominator")
                                       if key and ind["denominator"] else "")
            link_group_5(ind, query, dossiers_href)
    return render(request, template, _context(request, form, "index_766", report=report, query=query))


def set_name(key: str, part: str) -> str:
    """What a dossier set is, in words: an II.06a cell, or a 766 indicator's numerator or denominator."""
    if key in II06A_CELLS:
        return str(CELL_NAMES[key])
    if key in PART_NAMES:
        return str(PART_NAMES[key])
    names = {f"{g.key}.{i.key}": i.name for g in index_definition(index_weights()) for i in g.indicators}
    which = _("mẫu số") if part == "denominator" else _("tử số")
    return f"{names.get(key, key)} ({which})"


@supervisor_required
def dossiers_page(request: HttpRequest) -> HttpResponse:
    """The dossiers counted in one figure (the selector of /api/v1/reports/dossiers), with links to
    each dossier at the desk."""
    form = bound_form(request, DossierSetForm)
    template = "supervision/dossiers.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "dossiers"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "dossiers"), status=403)
    d = form.cleaned_data
    part = d["part"] or "numerator"
    try:
        qs = report_dossiers(scope, form.period(), d["set"], part=part, field=d["field"] or None)
    except DomainError as exc:
        form.add_error("set", exc.message)
        return render(request, template, _context(request, form, "dossiers"), status=400)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = period_query(form)
    own = urlencode({k: v for k, v in (("set", d["set"]), ("part", d["part"]), ("field", d["field"])) if v})
    back = reverse("supervision:ii06a") if d["set"] in II06A_CELLS else reverse("supervision:index_766")
    return render(request, template, _context(
        request, form, "dossiers", page=page, set_name=set_name(d["set"], part), field=d["field"],
        back=f"{back}?{query}", query=f"{query}&{own}", statuses=STATUS_NAMES, channels=CHANNEL_NAMES,
        outcomes=OUTCOME_NAMES))


@supervisor_required
def idle_page(request: HttpRequest) -> HttpResponse:
    """"Entered but not processed": units and officials whose dossiers sit without any event for N
    working days (2 unless the form says otherwise), and those dossiers."""
    form = bound_form(request, IdleForm, days=2)
    template = "supervision/idle.html"
    if not form.is_valid():
        return render(request, template, _context(request, form, "idle"), status=400)
    scope = scope_of(request, form)
    if scope is None:
        return render(request, template, _context(request, form, "idle"), status=403)
    now = clock.now()
    data = unprocessed(scope, working_days=form.cleaned_data["days"], now=now)
    page = Paginator(unprocessed_dossiers(scope, data["cutoff"]), PAGE_SIZE).get_page(request.GET.get("trang"))
    cal = work_calendar()
    rows = [{"dossier": d, "since": d.last_event_at or d.entered_at,
             "days": working_days_between(cal, d.last_event_at or d.entered_at, now)} for d in page.object_list]
    query = urlencode({"unit": form.cleaned_data["unit"], "days": form.cleaned_data["days"]})
    return render(request, template, _context(request, form, "idle", data=data, page=page, rows=rows, query=query,
                                              statuses=STATUS_NAMES))
