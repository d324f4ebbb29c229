"""The report pages (/bao-cao/, motcua.supervision; their page tests are in tests/supervision) in
Chromium: a provincial supervisor reads the dashboard, Biểu II.06a (following a number to its
dossiers), the 766 index and the idle dossiers, then queues a long report and downloads it; axe-core
checks every page, at desktop and at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.reports.services import report_jobs_run_pending
from tests.reports.histories import PROVINCE, VIET_TRI_COMMUNE, import_histories

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)
FEB = f"unit={VIET_TRI_COMMUNE}&date_from=2026-02-01&date_to=2026-02-28"


def fits_a_phone(person: Any) -> None:
    """At phone width the page is checked again and does not scroll sideways (wide tables scroll
    inside their own region)."""
    page = person.page
    page.set_viewport_size(PHONE)
    person.audit()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def test_a_supervisor_reads_the_reports(people: Any, api: Any) -> None:
    import_histories(api("admin"))
    hanh = people("Hạnh")
    page = hanh.go("/bao-cao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập bàn làm việc một cửa")
    page.get_by_label("Tên đăng nhập").fill("giamsat.tinh")
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    hanh.submit(page.get_by_role("button", name="Đăng nhập"))

    page = hanh.go(f"/bao-cao/?unit={PROVINCE}&date_from=2026-02-01&date_to=2026-02-28")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan tình hình giải quyết hồ sơ")
    expect(page.get_by_role("img", name="Xếp hạng đơn vị theo tỷ lệ đúng hạn")).to_be_visible()
    hanh.shot("reports-dashboard")
    fits_a_phone(hanh)

    page = hanh.go(f"/bao-cao/ii06a/?{FEB}")
    expect(page.get_by_role("table").first).to_contain_text("Tổng cộng")
    hanh.shot("reports-ii06a")
    fits_a_phone(hanh)
    hanh.submit(page.locator('tr[data-field="HOTICH"] td[data-cell="received.online"] a'))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ mới tiếp nhận trực tuyến")
    expect(page.get_by_role("heading", level=2)).to_have_text("1 hồ sơ")

    page = hanh.go(f"/bao-cao/chi-so-766/?{FEB}")
    expect(page.locator('tr[data-indicator="progress.on_time"] td[data-cell="points"]')).to_have_text("12,73/20")
    hanh.shot("reports-index-766")
    fits_a_phone(hanh)
    page = hanh.go(f"/bao-cao/ton-dong/?unit={VIET_TRI_COMMUNE}&days=2")
    page.get_by_label("Số ngày làm việc không có thao tác").fill("0")
    hanh.submit(page.get_by_role("button", name="Xem"))
    expect(page.locator("#id_days-error")).to_have_text("Số ngày phải từ 1 trở lên.")

    page = hanh.go(f"/bao-cao/ii06a/?unit={PROVINCE}&date_from=2024-01-01&date_to=2026-02-28")
    # Hạnh reads with a screen reader: she turns off the page's reloading before queuing (WCAG 2.2.1).
    page.get_by_label("Trang theo dõi tự động tải lại cho đến khi xong").uncheck()
    hanh.submit(page.get_by_role("button", name="Tạo báo cáo nền"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo nền: Biểu II.06a")
    assert report_jobs_run_pending() == 1
    hanh.submit(page.get_by_role("link", name="Tải lại ngay"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về").click()
    assert download.value.suggested_filename.endswith(".xlsx")
