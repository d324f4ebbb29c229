"""Reports for long periods as background jobs: queue one ("Tạo báo cáo nền"), follow its progress on
a page that reloads itself without JavaScript, and download the file when it is done. The jobs are
`motcua.reports` ReportJobs, run by `manage.py report_worker`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from motcua.core import clock
from motcua.core.errors import DomainError, NotFound
from motcua.reports.models import JobStatus, ReportFormat, ReportJob, ReportKind
from motcua.reports.selectors import report_job_get, report_jobs_of
from motcua.reports.services import report_job_create

from .access import actor_of, supervisor_required, units_of
from .forms import JobForm

# Seconds between two automatic reloads of a job page while the job is queued or running. The
# reader chooses, before reaching the page (a checkbox of the form that queues the job) and on it,
# whether it reloads itself (WCAG 2.2.1: a timed refresh the user can turn off).
REFRESH_SECONDS = 10
AUTO = "tu-dong"
# Where the services' refusals go on the form.
JOB_FIELDS = {"invalid_kind": "kind", "invalid_format": "format", "invalid_period": "date_to",
              "forbidden": "unit", "unknown_unit": "unit", "not_found": "unit"}


@supervisor_required
@require_http_methods(["GET", "POST"])
def jobs_page(request: HttpRequest) -> HttpResponse:
    """GET: the reader's latest jobs. POST: queue a job, then follow it on its page."""
    actor = actor_of(request)
    units, today = units_of(request), clock.today()
    status = 200
    if request.method != "POST":
        initial = {"kind": ReportKind.II06A, "unit": units[0][0], "date_from": today.replace(month=1, day=1),
                   "date_to": today, "format": ReportFormat.XLSX}
        form = JobForm(initial=initial, units=units, today=today)
    else:
        form = JobForm(request.POST, units=units, today=today)
        if form.is_valid():
            d = form.cleaned_data
            try:
                job = report_job_create(actor=actor, kind=d["kind"], unit_code=d["unit"], date_from=d["date_from"],
                                        date_to=d["date_to"], fmt=d["format"])
            except DomainError as exc:
                form.add_error(JOB_FIELDS.get(exc.code), exc.message)
                status = exc.status
            else:
                target = reverse("supervision:job", kwargs={"job_id": job.pk})
                return redirect(target if request.POST.get(AUTO) == "1" else f"{target}?{AUTO}=0")
        else:
            status = 400
    auto = request.method != "POST" or request.POST.get(AUTO) == "1"
    return render(request, "supervision/jobs.html", {"jobs": list(report_jobs_of(actor)), "form": form, "auto": auto,
                                                      "page_name": "jobs", "nav_query": ""}, status=status)


def _job_or_404(request: HttpRequest, job_id: str) -> ReportJob:
    try:
        return report_job_get(actor_of(request), job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@supervisor_required
def job_page(request: HttpRequest, job_id: str) -> HttpResponse:
    """A job's progress; reloads itself every few seconds until the job is done or failed, unless
    the reader turned that off (`?tu-dong=0`)."""
    job = _job_or_404(request, job_id)
    pending = job.status in {JobStatus.QUEUED, JobStatus.RUNNING}
    auto = request.GET.get(AUTO) != "0"
    response = render(request, "supervision/job.html", {
        "job": job, "pending": pending, "auto": auto, "refresh": REFRESH_SECONDS, "page_name": "jobs",
        "nav_query": ""})
    if pending and auto:
        response["Refresh"] = str(REFRESH_SECONDS)  # the header twin of <meta http-equiv="refresh">
    response["Cache-Control"] = "no-store"
    return response


@supervisor_required
def job_download(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job_or_404(request, job_id)
    if job.status != JobStatus.DONE or job.result is None:
        return redirect("supervision:job", job_id=job_id)
    response = HttpResponse(bytes(job.result), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
