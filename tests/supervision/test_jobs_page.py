"""Long periods: the page offers a background report; its page follows the progress without
JavaScript (meta refresh) and offers the file when done."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from motcua.reports.models import ReportJob
from motcua.reports.services import report_jobs_run_pending
from tests.reports.histories import PROVINCE, VIET_TRI_COMMUNE

from .conftest import field_error, text

pytestmark = pytest.mark.django_db
LONG = {"unit": PROVINCE, "date_from": "2024-01-01", "date_to": "2026-02-28"}  # 790 days


def offer_form(html: str) -> dict[str, str]:
    form = re.search(r'data-testid="job-offer".*?<form[^>]*action="/bao-cao/bao-cao-nen/"(.*?)</form>', html, re.S)
    assert form, "no job offer"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(1)))
    fields.pop("csrfmiddlewaretoken", None)
    return {k: unescape(v) for k, v in fields.items()}


def test_a_long_ii06a_is_queued_followed_and_downloaded(imported, page):
    client = page("giamsat.tinh")
    r = client.get("/bao-cao/ii06a/", LONG)
    assert r.status_code == 200
    html = text(r)
    assert "Tạo báo cáo nền" in html and 'data-testid="ii06a"' not in html  # not computed while waiting
    fields = offer_form(html)
    assert fields == {"kind": "ii06a", **LONG}
    assert 'data-testid="ii06a"' not in text(client.get("/bao-cao/ii06a/", {**LONG, "dinh-dang": "xlsx"}))

    assert '<input type="checkbox" id="job-auto" name="tu-dong" value="1" checked>' in html

    r = client.post("/bao-cao/bao-cao-nen/", {**fields, "format": "xlsx", "tu-dong": "1"})
    assert r.status_code == 302
    job = ReportJob.objects.get()
    assert r["Location"] == f"/bao-cao/bao-cao-nen/{job.pk}/"
    r = client.get(r["Location"])
    assert r.status_code == 200 and r["Refresh"] == "10"
    html = text(r)
    assert '<meta http-equiv="refresh" content="10">' in html  # follows the progress without JavaScript
    assert 'data-status="queued"' in html and '<progress id="job-progress" max="100" value="0">' in html
    # The reader may turn the reloading off (WCAG 2.2.1).
    r = client.get(f"/bao-cao/bao-cao-nen/{job.pk}/", {"tu-dong": "0"})
    assert "Refresh" not in r and 'http-equiv="refresh"' not in text(r) and "Tải lại ngay" in text(r)
    assert client.get(f"/bao-cao/bao-cao-nen/{job.pk}/tai-ve/")["Location"] == f"/bao-cao/bao-cao-nen/{job.pk}/"

    assert report_jobs_run_pending() == 1

    r = client.get(f"/bao-cao/bao-cao-nen/{job.pk}/")
    html = text(r)
    assert "Refresh" not in r and 'http-equiv="refresh"' not in html
    assert 'data-status="done"' in html and f'href="/bao-cao/bao-cao-nen/{job.pk}/tai-ve/"' in html
    r = client.get(f"/bao-cao/bao-cao-nen/{job.pk}/tai-ve/")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(r.content)).active
    total = next(row for row in ws.iter_rows(min_row=11, values_only=True) if row[0] == "Tổng cộng")
    # 1/1/2024 – 28/2/2026, the whole province: every dossier received by then but F (refused) and
    # L (2/3): 14, none carried over; E and P online.
    assert list(total[2:6]) == [14, 2, 12, 0]
    # The reader's jobs; another supervisor does not see it.
    assert f"/bao-cao/bao-cao-nen/{job.pk}/" in text(client.get("/bao-cao/bao-cao-nen/"))
    other = page("giamsat.viettri")
    assert other.get(f"/bao-cao/bao-cao-nen/{job.pk}/").status_code == 404
    assert other.get(f"/bao-cao/bao-cao-nen/{job.pk}/tai-ve/").status_code == 404
    assert other.get("/bao-cao/bao-cao-nen/khong-phai-ma/").status_code == 404
    assert page("admin").get(f"/bao-cao/bao-cao-nen/{job.pk}/").status_code == 200


def test_the_766_index_offers_a_pdf_job(imported, page):
    client = page("giamsat.tinh")
    fields = offer_form(text(client.get("/bao-cao/chi-so-766/", LONG)))
    assert fields["kind"] == "index-766"
    r = client.post("/bao-cao/bao-cao-nen/", {**fields, "format": "pdf"})  # reloading turned off
    assert r.status_code == 302 and r["Location"].endswith("/?tu-dong=0")
    report_jobs_run_pending()
    job = ReportJob.objects.get()
    assert job.status == "done" and bytes(job.result).startswith(b"%PDF")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "ii07b", "format": "pdf"}, "id_format", "Biểu II.07b chỉ xuất được dạng Excel."),
    ({"kind": "ii99"}, "id_kind", "Loại báo cáo không hợp lệ."),
    ({"unit": PROVINCE}, "id_unit", "Bạn không có quyền xem báo cáo của đơn vị này, hoặc đơn vị không tồn tại."),
    ({"date_from": "2026-03-01", "date_to": "2026-01-01"}, "id_date_to",
     "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."),
])
def test_a_bad_request_is_explained_next_to_the_field(frozen, page, data, field, message):
    body = {"kind": "ii06a", "unit": VIET_TRI_COMMUNE, "date_from": "2024-01-01", "date_to": "2026-02-28",
            "format": "xlsx", **data}
    r = page("giamsat.viettri").post("/bao-cao/bao-cao-nen/", body)
    assert r.status_code == 400
    assert field_error(text(r), field) == message
    assert not ReportJob.objects.exists()
