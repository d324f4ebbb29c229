"""Long-period reports as background jobs: queue, run with progress, download."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from motcua.reports import services

from .conftest import period
from .histories import FEB_PROVINCE_TOTALS, PROVINCE, VIET_TRI_COMMUNE

pytestmark = pytest.mark.django_db


def test_a_job_runs_in_the_worker_and_its_file_downloads(imported):
    supervisor = imported.api("giamsat.tinh")
    r = supervisor.post("/reports/jobs", {"kind": "ii06a", "unit": PROVINCE, **period("2026-02-01", "2026-02-28"),
                                          "format": "xlsx"})
    assert r.status_code == 201, r.content
    job = r.json()
    assert (job["status"], job["progress"], job["download"], job["from"]) == ("queued", 0, None, "2026-02-01")
    r = supervisor.get(f"/reports/jobs/{job['id']}/download")
    assert (r.status_code, r.json()["code"]) == (409, "report_not_ready")
    assert imported.api("giamsat.viettri").get(f"/reports/jobs/{job['id']}").status_code == 404  # not theirs

    call_command("report_worker", "--once")

    done = supervisor.get(f"/reports/jobs/{job['id']}").json()
    assert (done["status"], done["progress"]) == ("done", 100)
    assert done["download"] == f"/api/v1/reports/jobs/{job['id']}/download"
    r = supervisor.get(done["download"].removeprefix("/api/v1"))
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(r.content)).active
    total_row = next(row for row in ws.iter_rows(min_row=11, values_only=True) if row[0] == "Tổng cộng")
    assert list(total_row[2:5]) == [FEB_PROVINCE_TOTALS["received"][k] for k in ("total", "online", "direct_postal")]


def test_jobs_check_the_request_and_record_failures(imported, monkeypatch):
    viettri = imported.api("giamsat.viettri")
    feb = period("2026-02-01", "2026-02-28")
    assert viettri.post("/reports/jobs", {"kind": "ii06a", "unit": PROVINCE, **feb}).status_code == 403
    r = viettri.post("/reports/jobs", {"kind": "ii99", "unit": VIET_TRI_COMMUNE, **feb})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_kind")
    r = viettri.post("/reports/jobs", {"kind": "ii07b", "unit": VIET_TRI_COMMUNE, **feb, "format": "pdf"})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_format")
    job = viettri.post("/reports/jobs", {"kind": "index-766", "unit": VIET_TRI_COMMUNE, **feb, "format": "json"}).json()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_compute", broken)
    assert services.report_jobs_run_pending() == 1
    failed = viettri.get(f"/reports/jobs/{job['id']}").json()
    assert (failed["status"], failed["error"], failed["download"]) == ("failed", "database went away", None)
    assert services.report_jobs_run_pending() == 0  # nothing left in the queue
