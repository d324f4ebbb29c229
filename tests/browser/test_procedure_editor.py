"""The procedure-version editor in Chromium: the province's administrator adds a document, makes a
mistake and reads it in Vietnamese beside the field, previews the due date and the citizen's page,
confirms, and a citizen sees the new version on the portal. axe-core checks every page, at desktop
and at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.catalog.models import Procedure

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)
EDITOR = "/quan-tri/thu-tuc/1.001193/phien-ban-moi/"


def fits_a_phone(person: Any) -> None:
    page = person.page
    page.set_viewport_size(PHONE)
    person.audit()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def test_an_administrator_publishes_a_version_with_the_editor(people: Any) -> None:
    lan = people("Lan")
    page = lan.go(EDITOR)
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    lan.submit(page.locator("input[type=submit], button[type=submit]").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Soạn phiên bản mới (đang áp dụng: phiên bản 1)")
    fits_a_phone(lan)

    # A new document, added with the row button (no script needed).
    lan.submit(page.get_by_role("button", name="Thêm thành phần hồ sơ"))
    row = page.get_by_role("group", name="Thành phần 7")
    row.get_by_label("Tên giấy tờ").fill("Giấy xác nhận nơi cư trú của cha, mẹ")
    row.get_by_label("Loại bản").select_option(label="Bản sao có chứng thực")
    row.get_by_label("Số lượng").fill("2")
    # Two working days, and a mistake: the approval step loses its name, the handling step takes too long.
    page.get_by_label("Thời hạn giải quyết", exact=True).fill("2")
    page.get_by_role("group", name="Bước 3").get_by_label("Tên bước").fill("")
    page.get_by_role("group", name="Bước 2").get_by_label("Số giờ làm việc").fill("20")
    lan.submit(page.get_by_role("button", name="Kiểm tra và xem trước").first)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Bước 3 — Tên bước: Không được để trống.")
    expect(summary).to_contain_text("Tổng thời gian các bước vượt quá thời hạn giải quyết.")
    expect(page.locator("#id_workflow-2-name-error")).to_have_text("Không được để trống.")
    expect(page.get_by_role("group", name="Thành phần 7").get_by_label("Tên giấy tờ")).to_have_value(
        "Giấy xác nhận nơi cư trú của cha, mẹ")  # nothing typed is lost
    lan.shot("procedure-editor-errors")
    fits_a_phone(lan)

    page.get_by_role("group", name="Bước 3").get_by_label("Tên bước").fill("Phê duyệt, ký kết quả")
    page.get_by_role("group", name="Bước 2").get_by_label("Số giờ làm việc").fill("12")
    lan.submit(page.get_by_role("button", name="Kiểm tra và xem trước").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem trước và xác nhận phát hành phiên bản 2")
    expect(page.get_by_test_id("due-preview")).to_contain_text(
        "Nộp trực tiếp bây giờ (Thứ Ba, 10/03/2026 lúc 09:")
    expect(page.get_by_test_id("due-preview")).to_contain_text("hạn trả Thứ Năm, 12/03/2026")
    expect(page.get_by_role("region", name="Trang thủ tục công dân sẽ thấy")).to_contain_text(
        "Giấy xác nhận nơi cư trú của cha, mẹ")
    assert Procedure.objects.get(code="1.001193").current.version == 1  # not yet
    lan.shot("procedure-editor-preview")
    fits_a_phone(lan)

    lan.submit(page.get_by_role("button", name="Xác nhận phát hành phiên bản 2"))
    expect(page.get_by_role("status")).to_contain_text("Đã phát hành phiên bản 2 của thủ tục 1.001193.")
    assert Procedure.objects.get(code="1.001193").current.version == 2
    page = lan.go("/quan-tri/thu-tuc/moi/")  # a new procedure starts from one document and the 4 standard steps
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm thủ tục hành chính")
    expect(page.get_by_role("group", name="Bước 4")).to_be_visible()
    fits_a_phone(lan)

    an = people("An")
    page = an.go("/thu-tuc/1.001193/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.locator("body")).to_contain_text("Phiên bản 2")
    expect(page.get_by_role("table").first).to_contain_text("Giấy xác nhận nơi cư trú của cha, mẹ")
    expect(page.get_by_role("table").first).to_contain_text("Bản sao có chứng thực")
    expect(page.get_by_test_id("expected-due")).to_contain_text("Thứ Năm, 12/03/2026")
