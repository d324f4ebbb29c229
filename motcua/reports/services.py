"""Report jobs: queue a report for a long period, run it in a worker with progress, download it.

The worker (`manage.py report_worker`) takes the oldest queued job with SKIP LOCKED, so several
workers can share the queue; the result (a small file) is kept in the row.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core import clock
from motcua.core.errors import ValidationFailed

from . import exports
from .models import JobStatus, ReportFormat, ReportJob, ReportKind
from .selectors import Scope, ii06a, ii07b, index_766, report_access, report_period, report_scope

log = logging.getLogger("motcua.reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@transaction.atomic
def report_job_create(*, actor: Actor, kind: str, unit_code: str, date_from: date, date_to: date,
                      fmt: str = "xlsx") -> ReportJob:
    if kind not in ReportKind.values:
        raise ValidationFailed("invalid_kind", "Loại báo cáo không hợp lệ.", details={"allowed": ReportKind.values})
    if fmt not in ReportFormat.values or (kind == ReportKind.II07B and fmt == ReportFormat.PDF):
        raise ValidationFailed("invalid_format", "Định dạng báo cáo không hợp lệ.")
    period = report_period(date_from, date_to)
    scope = report_scope(unit_code)
    report_access(actor, scope)
    job = ReportJob.objects.create(kind=kind, unit=scope.unit, date_from=period.first, date_to=period.last,
                                   format=fmt, requested_by=actor.user, created_at=clock.now())
    audit_record(actor=actor, action="report_job.create", obj=job, data={"kind": kind, "unit": unit_code,
                                                                          "from": str(period.first),
                                                                          "to": str(period.last)})
    return job


def _progress(job: ReportJob, value: int, **fields: Any) -> None:
    job.progress = value
    for key, item in fields.items():
        setattr(job, key, item)
    ReportJob.objects.filter(pk=job.pk).update(progress=value, **fields)


def report_job_claim() -> ReportJob | None:
    """The oldest queued job, marked running (None when the queue is empty)."""
    with transaction.atomic():
        job = (ReportJob.objects.select_for_update(skip_locked=True).filter(status=JobStatus.QUEUED)
               .order_by("created_at").first())
        if job is None:
            return None
        job.status, job.started_at, job.progress = JobStatus.RUNNING, clock.now(), 5
        job.save(update_fields=["status", "started_at", "progress"])
        return job


def report_job_run(job: ReportJob) -> ReportJob:
    """Compute, render and store the report of a claimed job; a failure is recorded, not raised."""
    try:
        scope = report_scope(job.unit.code)
        period = report_period(job.date_from, job.date_to)
        _progress(job, 10)
        body = _compute(job.kind, scope, period)
        _progress(job, 70)
        content, content_type, ext = _render(job.kind, job.format, body)
        name = f"{job.kind}_{scope.unit.code}_{period.first:%Y%m%d}-{period.last:%Y%m%d}.{ext}"
        _progress(job, 100, status=JobStatus.DONE, finished_at=clock.now(), result=content, filename=name,
                  content_type=content_type)
    except Exception as exc:  # the job records why it failed; the worker goes on
        log.exception("report job %s failed", job.pk)
        _progress(job, job.progress, status=JobStatus.FAILED, finished_at=clock.now(), error=str(exc)[:2000])
    return job


def _compute(kind: str, scope: Scope, period: Any) -> dict[str, Any]:
    if kind == ReportKind.II06A:
        return ii06a(scope, period)
    if kind == ReportKind.II07B:
        return ii07b(scope, period)
    return index_766(scope, period)


def _render(kind: str, fmt: str, body: dict[str, Any]) -> tuple[bytes, str, str]:
    if fmt == ReportFormat.JSON:
        return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode(), "application/json", "json"
    if fmt == ReportFormat.PDF:
        pdf = exports.ii06a_pdf(body) if kind == ReportKind.II06A else exports.index_766_pdf(body)
        return pdf, "application/pdf", "pdf"
    renderers = {ReportKind.II06A: exports.ii06a_xlsx, ReportKind.II07B: exports.ii07b_xlsx,
                 ReportKind.INDEX_766: exports.index_766_xlsx}
    return renderers[ReportKind(kind)](body), XLSX, "xlsx"


def report_jobs_run_pending(limit: int | None = None) -> int:
    """Run queued jobs until the queue is empty (or `limit` jobs ran); returns how many ran."""
    done = 0
    while limit is None or done < limit:
        job = report_job_claim()
        if job is None:
            break
        report_job_run(job)
        done += 1
    return done
