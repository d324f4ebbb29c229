"""Report endpoints: Biểu II.06a, Biểu II.07b, the Decision 766 index and the dossiers behind a
figure. Roles supervisor and admin, and leaders, for their unit and the units below it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField

from motcua.core import clock
from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.feedback.domain import missed_deadlines
from motcua.feedback.services import times_of
from motcua.reports import charts, dashboard, exports
from motcua.reports.domain import Period
from motcua.reports.models import ReportJob
from motcua.reports.selectors import (
    Scope,
    ii06a,
    ii07b,
    index_766,
    petitions_at,
    report_access,
    report_dossiers,
    report_period,
    report_petitions,
    report_scope,
)
from motcua.reports.services import report_job_create
from motcua.workflow.domain import STATUS_NAMES

from .common import AUTH, actor_of, page_bounds
from .schemas import Error, UnitRef

router = Router(tags=["reports"])
ERRORS = {400: Error, 401: Error, 403: Error}
FORMATS = {"json", "xlsx", "pdf"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Named(BaseModel):
    code: str
    name: str


class ReceivedOut(BaseModel):
    total: int
    online: int
    direct_postal: int
    carried_over: int


class ResolvedOut(BaseModel):
    total: int
    early: int
    on_time: int
    late: int


class InProgressOut(BaseModel):
    total: int
    within_time: int
    overdue: int


class CountsOut(BaseModel):
    received: ReceivedOut
    resolved: ResolvedOut
    in_progress: InProgressOut


class II06aRowOut(CountsOut):
    field: Named


class PeriodOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    unit: UnitRef
    date_from: date = PField(alias="from")
    date_to: date = PField(alias="to")


class II06aOut(PeriodOut):
    rows: list[II06aRowOut]
    totals: CountsOut


class II07bCounts(BaseModel):
    total: int
    one_stop: int
    with_workflow: int
    online_full: int
    online_partial: int


class II07bRowOut(II07bCounts):
    level: Named


class II07bOut(PeriodOut):
    rows: list[II07bRowOut]
    totals: II07bCounts


class PartOut(BaseModel):
    key: str
    name: str
    count: int
    dossiers: str


class IndicatorOut(BaseModel):
    key: str
    name: str
    numerator: int | None
    denominator: int | None
    rate: float | None
    points: float
    max_points: int | float
    threshold: float
    no_data: bool = False
    note: str = ""
    dossiers: str | None = None
    petitions: str | None = None
    parts: list[PartOut] | None = None


class GroupOut(BaseModel):
    key: str
    name: str
    points: float
    max_points: int | float
    indicators: list[IndicatorOut]


class IndexOut(PeriodOut):
    total_points: float
    max_points: int
    groups: list[GroupOut]


class ReportDossierOut(BaseModel):
    code: str
    procedure: Named
    status: dict[str, Any]
    channel: str
    handling_unit: Named
    received_at: str | None
    due_at: str | None
    finished_at: str | None
    outcome: str | None


class ReportDossierList(BaseModel):
    items: list[ReportDossierOut]
    count: int


def _prepare(request: HttpRequest, unit: str, first: date, last: date) -> tuple[Scope, Period]:
    actor = actor_of(request)
    period = report_period(first, last)
    scope = report_scope(unit)
    report_access(actor, scope)
    return scope, period


def _format(value: str) -> str:
    if value not in FORMATS:
        raise ValidationFailed("invalid_format", "Định dạng phải là json, xlsx hoặc pdf.",
                               details={"format": value, "allowed": sorted(FORMATS)})
    return value


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _name(kind: str, scope: Scope, period: Period, ext: str) -> str:
    return f"{kind}_{scope.unit.code}_{period.first:%Y%m%d}-{period.last:%Y%m%d}.{ext}"


@router.get("/reports/ii06a", response={200: II06aOut, **ERRORS}, auth=AUTH, by_alias=True)
def report_ii06a(request: HttpRequest, unit: str, date_from: date = Query(..., alias="from"),
                 date_to: date = Query(..., alias="to"), format: str = "json") -> Any:
    """Biểu II.06a: dossiers received, resolved and in progress per field; `format=xlsx|pdf` for
    the file laid out like the official form."""
    fmt = _format(format)
    scope, period = _prepare(request, unit, date_from, date_to)
    report = ii06a(scope, period)
    if fmt == "xlsx":
        return _file(exports.ii06a_xlsx(report), XLSX, _name("bieu-II.06a", scope, period, "xlsx"))
    if fmt == "pdf":
        return _file(exports.ii06a_pdf(report), "application/pdf", _name("bieu-II.06a", scope, period, "pdf"))
    return report


@router.get("/reports/ii07b", response={200: II07bOut, **ERRORS}, auth=AUTH, by_alias=True)
def report_ii07b(request: HttpRequest, unit: str, date_from: date = Query(..., alias="from"),
                 date_to: date = Query(..., alias="to"), format: str = "json") -> Any:
    """Biểu II.07b: procedures by level under the unit's authority, handled at the one-stop desk and
    with an approved internal workflow (the catalogue as it stands)."""
    fmt = _format(format)
    if fmt == "pdf":
        raise ValidationFailed("invalid_format", "Biểu II.07b xuất được dạng json hoặc xlsx.")
    scope, period = _prepare(request, unit, date_from, date_to)
    report = ii07b(scope, period)
    if fmt == "xlsx":
        return _file(exports.ii07b_xlsx(report), XLSX, _name("bieu-II.07b", scope, period, "xlsx"))
    return report


@router.get("/reports/index-766", response={200: IndexOut, **ERRORS}, auth=AUTH, by_alias=True)
def report_index_766(request: HttpRequest, unit: str, date_from: date = Query(..., alias="from"),
                     date_to: date = Query(..., alias="to"), format: str = "json") -> Any:
    """The Decision 766 index: 5 groups, 100 points; each indicator with its numerator,
    denominator, rate, points and a link to the dossiers behind it (`no_data` where the system
    holds no data for it yet)."""
    fmt = _format(format)
    scope, period = _prepare(request, unit, date_from, date_to)
    report = index_766(scope, period)
    base = {"unit": scope.unit.code, "from": period.first.isoformat(), "to": period.last.isoformat()}
    for group in report["groups"]:
        for ind in group["indicators"]:
            if ind.get("dossiers"):
                ind["dossiers"] = f"/api/v1/reports/dossiers?{urlencode({**base, 'set': ind['dossiers']})}"
            if ind.get("petitions"):
                ind["petitions"] = f"/api/v1/reports/petitions?{urlencode({**base, 'set': ind['petitions']})}"
            for part in ind.get("parts") or []:
                part["dossiers"] = f"/api/v1/reports/dossiers?{urlencode({**base, 'set': part['dossiers']})}"
    if fmt == "xlsx":
        return _file(exports.index_766_xlsx(report), XLSX, _name("chi-so-766", scope, period, "xlsx"))
    if fmt == "pdf":
        return _file(exports.index_766_pdf(report), "application/pdf", _name("chi-so-766", scope, period, "pdf"))
    return report


def _dt(value: Any) -> str | None:
    return clock.local(value).isoformat() if value else None


@router.get("/reports/dossiers", response={200: ReportDossierList, **ERRORS}, auth=AUTH)
def report_dossier_list(request: HttpRequest, unit: str, set: str, date_from: date = Query(..., alias="from"),
                        date_to: date = Query(..., alias="to"), part: str = "numerator", field: str | None = None,
                        page: int = 1, page_size: int = 20) -> dict[str, Any]:
    """The dossiers behind one figure: an II.06a cell (`received.online`, `in_progress.overdue`, …)
    or a 766 indicator (`progress.on_time`, …; `part=denominator` for its denominator)."""
    start, end = page_bounds(page, page_size)
    if part not in {"numerator", "denominator"}:
        raise ValidationFailed("invalid_part", "part phải là numerator hoặc denominator.")
    scope, period = _prepare(request, unit, date_from, date_to)
    qs = report_dossiers(scope, period, set, part=part, field=field)
    items = [{
        "code": d.code, "procedure": {"code": d.procedure.code, "name": d.procedure_version.name},
        "status": {"code": d.status, "name": STATUS_NAMES[d.status]}, "channel": d.channel,
        "handling_unit": {"code": d.handling_unit.code, "name": d.handling_unit.name},
        "received_at": _dt(d.received_at), "due_at": _dt(d.due_at), "finished_at": _dt(d.finished_at),
        "outcome": d.outcome or None,
    } for d in qs[start:end]]
    return {"items": items, "count": qs.count()}


class ReportPetitionOut(BaseModel):
    id: int
    code: str
    category: str
    title: str
    unit: Named
    status: str
    received_at: str
    deadlines: dict[str, str | None]
    closed_at: str | None
    missed: list[str]


class ReportPetitionList(BaseModel):
    items: list[ReportPetitionOut]
    count: int


@router.get("/reports/petitions", response={200: ReportPetitionList, **ERRORS}, auth=AUTH)
def report_petition_list(request: HttpRequest, unit: str, set: str, date_from: date = Query(..., alias="from"),
                         date_to: date = Query(..., alias="to"), part: str = "numerator", page: int = 1,
                         page_size: int = 20) -> dict[str, Any]:
    """The petitions behind a 766 group 5 figure (`set=satisfaction.feedback_in_time`): the period's
    petitions (`part=denominator`), those that kept every deadline (`numerator`) or missed one
    (`late`), each with the deadlines it missed."""
    start, end = page_bounds(page, page_size)
    if part not in {"numerator", "denominator", "late"}:
        raise ValidationFailed("invalid_part", "part phải là numerator, denominator hoặc late.")
    scope, period = _prepare(request, unit, date_from, date_to)
    qs = report_petitions(scope, period, set, part=part)
    at = petitions_at(period)
    items = [{
        "id": p.pk, "code": p.code, "category": p.category, "title": p.title,
        "unit": {"code": p.unit.code, "name": p.unit.name}, "status": p.status, "received_at": _dt(p.received_at),
        "deadlines": {"decide_by": _dt(p.decide_by), "request_info_by": _dt(p.info_by), "answer_by": _dt(p.answer_by),
                      "publish_by": _dt(p.publish_by)},
        "closed_at": _dt(p.closed_at), "missed": missed_deadlines(times_of(p), at),
    } for p in qs[start:end]]
    return {"items": items, "count": qs.count()}


CHARTS = ("on-time", "units", "channels", "overdue-units", "satisfaction")


@router.get("/reports/dashboard", response={200: dict[str, Any], **ERRORS}, auth=AUTH)
def report_dashboard(request: HttpRequest, unit: str, date_from: date = Query(..., alias="from"),
                     date_to: date = Query(..., alias="to")) -> dict[str, Any]:
    """Dashboard data: on-time rate by month, ranking of units, channel mix, overdue dossiers by
    unit and procedure (now), per-official workload and outcomes, dossiers idle for 3+ days."""
    scope, period = _prepare(request, unit, date_from, date_to)
    body = dashboard.dashboard(scope, period)
    base = urlencode({"unit": scope.unit.code, "from": period.first.isoformat(), "to": period.last.isoformat()})
    body["charts"] = {name: f"/api/v1/reports/charts/{name}.svg?{base}" for name in CHARTS}
    return body


@router.get("/reports/charts/{name}.svg", response={200: None, 404: Error, **ERRORS}, auth=AUTH)
def report_chart(request: HttpRequest, name: str, unit: str, date_from: date = Query(..., alias="from"),
                 date_to: date = Query(..., alias="to")) -> HttpResponse:
    """A dashboard chart as SVG (works as an <img> without JavaScript)."""
    if name not in CHARTS:
        raise NotFound("not_found", "Không có biểu đồ này.", details={"known": list(CHARTS)})
    scope, period = _prepare(request, unit, date_from, date_to)
    if name == "on-time":
        svg = charts.line_chart("Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng",
                                [(r["month"], r["rate"]) for r in dashboard.on_time_by_month(scope, period)])
    elif name == "units":
        svg = charts.bar_chart("Xếp hạng đơn vị theo tỷ lệ đúng hạn",
                               [(r["unit"]["name"], r["rate"]) for r in dashboard.unit_ranking(scope, period)[:30]],
                               percent=True, highlight_below=0.9)
    elif name == "channels":
        mix = dashboard.channel_mix(scope, period)
        svg = charts.bar_chart("Hồ sơ tiếp nhận theo kênh", [("Trực tuyến", mix["online"]),
                                                             ("Trực tiếp", mix["direct"]),
                                                             ("Bưu chính công ích", mix["postal"])])
    elif name == "satisfaction":
        svg = charts.bar_chart("Mức độ hài lòng theo đơn vị (đánh giá hài lòng, rất hài lòng)",
                               [(r["unit"]["name"], r["satisfaction_rate"])
                                for r in dashboard.satisfaction_by_unit(scope, period)[:30]],
                               percent=True, highlight_below=0.9)
    else:
        svg = charts.bar_chart("Hồ sơ quá hạn theo đơn vị (hiện tại)",
                               [(r["unit"]["name"], r["overdue"]) for r in dashboard.overdue_now(scope)["by_unit"]])
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


class ReportJobIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    kind: str
    unit: str
    date_from: date = PField(alias="from")
    date_to: date = PField(alias="to")
    format: str = "xlsx"


class ReportJobOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str
    kind: str
    unit: str
    date_from: date = PField(alias="from")
    date_to: date = PField(alias="to")
    format: str
    status: str
    progress: int
    created_at: str
    finished_at: str | None
    error: str
    download: str | None


def _job(job: ReportJob) -> dict[str, Any]:
    return {"id": str(job.pk), "kind": job.kind, "unit": job.unit.code, "from": job.date_from, "to": job.date_to,
            "format": job.format, "status": job.status, "progress": job.progress,
            "created_at": clock.local(job.created_at).isoformat(), "finished_at": _dt(job.finished_at),
            "error": job.error, "download": f"/api/v1/reports/jobs/{job.pk}/download" if job.status == "done" else None}


def _own_job(request: HttpRequest, job_id: str) -> ReportJob:
    actor = actor_of(request)
    try:
        job = ReportJob.objects.select_related("unit").filter(pk=uuid.UUID(job_id)).first()
    except ValueError:
        job = None
    if job is None or not (actor.is_admin or (actor.user is not None and job.requested_by_id == actor.user.pk)):
        raise NotFound("not_found", "Không tìm thấy yêu cầu lập báo cáo.")
    return job


@router.post("/reports/jobs", response={201: ReportJobOut, **ERRORS}, auth=AUTH, by_alias=True)
def report_job_submit(request: HttpRequest, body: ReportJobIn) -> tuple[int, dict[str, Any]]:
    """Queue a report for a long period; poll `GET /reports/jobs/{id}` for its progress and download
    it when `status` is `done` (a worker runs `manage.py report_worker`)."""
    job = report_job_create(actor=actor_of(request), kind=body.kind, unit_code=body.unit, date_from=body.date_from,
                            date_to=body.date_to, fmt=body.format)
    return 201, _job(ReportJob.objects.select_related("unit").get(pk=job.pk))


@router.get("/reports/jobs/{job_id}", response={200: ReportJobOut, 404: Error, **ERRORS}, auth=AUTH, by_alias=True)
def report_job_status(request: HttpRequest, job_id: str) -> dict[str, Any]:
    return _job(_own_job(request, job_id))


@router.get("/reports/jobs/{job_id}/download", response={200: None, 404: Error, 409: Error, **ERRORS}, auth=AUTH)
def report_job_download(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _own_job(request, job_id)
    if job.status != "done" or job.result is None:
        raise Conflict("report_not_ready", "Báo cáo chưa lập xong.", details={"status": job.status,
                                                                              "progress": job.progress})
    return _file(bytes(job.result), job.content_type, job.filename)
