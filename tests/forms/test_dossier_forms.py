"""Mẫu 01–05 of real dossiers moved through the API at frozen times; the PDF text is checked
against values computed by hand (working hours 07:00–11:30, 13:30–17:00; no holidays in March 2026)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import VIETTRI, Desk, pdf_pages, pdf_text, vn

APPLICANT = {"name": "Lê Thị Hoa", "phone": "0912000111", "address": "Số 5 phố Hòa Phong, phường Việt Trì",
             "email": "hoa@example.vn"}
DEPT_NAME = "Sở Tư pháp tỉnh Phú Thọ"
DESK_NAME = "Trung tâm Phục vụ hành chính công phường Việt Trì"


def assert_in_order(text: str, *parts: str) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} not found after position {position} in:\n{text}"
        position = found + len(part)


def form(desk: Desk, username: str, moment: Any, code: str, name: str) -> Any:
    return desk.get(username, moment, f"/dossiers/{code}/forms/{name}")


def pdf_of(desk: Desk, username: str, moment: Any, code: str, name: str) -> bytes:
    r = form(desk, username, moment, code, name)
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'inline; filename="{code}-{name}.pdf"'
    return r.content


@pytest.fixture
def birth(desk: Desk) -> str:
    """Walk-in birth registration (1 working day) received Tue 3/3/2026 08:15 → due Wed 4/3 08:15;
    a supplement round pauses it one working hour (09:15–10:15), then an apology moves it to Fri 6/3 16:00."""
    d = desk.create("tiepnhan.viettri", vn(2026, 3, 3, 8, 15), {
        "procedure": "1.001193", "channel": "direct", "receiving_unit": VIETTRI, "applicant": APPLICANT, "sets": 2})
    code = d["code"]
    assert d["due_at"] == "2026-03-04T08:15:00+07:00"
    desk.act("tiepnhan.viettri", vn(2026, 3, 3, 9, 15), code, "request-supplement", {
        "reason": "Giấy chứng sinh bị rách, tờ khai thiếu chữ ký",
        "items": [{"document": "GT01", "name": "Giấy chứng sinh", "note": "Bản rõ, không tẩy xóa"},
                  {"document": "GT04", "name": "Thẻ Căn cước của người đi khai"},
                  {"name": "Giấy xác nhận cư trú"}]})
    d = desk.act("tiepnhan.viettri", vn(2026, 3, 3, 10, 15), code, "supplement", {"note": "Đã nộp đủ"})
    assert d["due_at"] == "2026-03-04T09:15:00+07:00"
    d = desk.act("lanhdao.viettri", vn(2026, 3, 3, 14, 0), code, "apologize", {
        "reason": "Cơ sở dữ liệu hộ tịch gián đoạn kết nối", "new_due_at": "2026-03-06T16:00:00+07:00"})
    assert d["due_at"] == "2026-03-06T16:00:00+07:00"
    return str(code)


def test_mau_01_prints_the_receipt_as_given(desk: Desk, birth: str) -> None:
    text = pdf_pages(pdf_of(desk, "tiepnhan.viettri", vn(2026, 3, 3, 15), birth, "mau-01"))[0]
    assert_in_order(
        text,
        "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG VIỆT TRÌ",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Phú Thọ, ngày 03 tháng 3 năm 2026", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {birth}",
        "(Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả)",
        f"Bộ phận tiếp nhận và trả kết quả: {DESK_NAME}",
        "Tiếp nhận hồ sơ của: Lê Thị Hoa", "Địa chỉ: Số 5 phố Hòa Phong, phường Việt Trì",
        "Số điện thoại: 0912000111", "Email: hoa@example.vn", "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "1. Thành phần hồ sơ nộp gồm:", "Tờ khai đăng ký khai sinh (Bản chính: 1 bản)", "Giấy chứng sinh;",
        "Hộ chiếu, thẻ Căn cước/Căn cước công dân", "(Bản sao: 1 bản)",
        "2. Số lượng hồ sơ: 2 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 1 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 03 tháng 3 năm 2026",
        # The due date given at receipt: neither the pause nor the apology changes Mẫu 01.
        "5. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 15 phút, ngày 04 tháng 3 năm 2026",
        f"6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả, {DESK_NAME}",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2026 Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ", "Lê Thị Hoa", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Thu",
        "Ghi chú:", "được lập thành 2 liên", "qua dịch vụ bưu chính",
        f"Tra cứu tình trạng hồ sơ: http://127.0.0.1:8000/tra-cuu/?code={birth}",
    )
    # The optional documents not submitted are not listed.
    assert "bị bỏ rơi" not in text and "mang thai hộ" not in text
    assert "06 tháng 3 năm 2026" not in text


def test_mau_01_qr_points_to_the_public_lookup(desk: Desk, birth: str, settings: Any) -> None:
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.official_form_data import build_form
    from motcua.official_forms.rendering import qr_data_uri, render_form_html
    from motcua.official_forms.versions import TT01_2018

    dossier = Dossier.objects.get(code=birth)
    default = build_form(dossier, "mau-01")
    assert default.lookup_url == f"http://127.0.0.1:8000/tra-cuu/?code={birth}"  # type: ignore[union-attr]
    settings.MOTCUA = {**settings.MOTCUA, "PUBLIC_BASE_URL": "https://dichvucong.phutho.gov.vn/"}
    data = build_form(dossier, "mau-01")
    url = f"https://dichvucong.phutho.gov.vn/tra-cuu/?code={birth}"
    assert data.lookup_url == url  # type: ignore[union-attr]
    assert qr_data_uri(url) in render_form_html("mau-01", data, TT01_2018)


def test_mau_01_carries_a_second_qr_code_to_rate_the_dossier(desk: Desk, birth: str) -> None:
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.official_form_data import build_form
    from motcua.official_forms.rendering import qr_data_uri, render_form_html
    from motcua.official_forms.versions import TT01_2018

    data = build_form(Dossier.objects.get(code=birth), "mau-01")
    url = f"http://127.0.0.1:8000/danh-gia/?ma={birth}"
    assert data.rating_url == url  # type: ignore[union-attr]
    html = render_form_html("mau-01", data, TT01_2018)
    assert qr_data_uri(url) in html and "Quét mã để đánh giá sự hài lòng" in html
    pages = pdf_pages(pdf_of(desk, "tiepnhan.viettri", vn(2026, 3, 3, 15), birth, "mau-01"))
    assert len(pages) == 2  # one A5 page per copy: the second code does not push the form onto a third page
    assert all("Quét mã để đánh giá sự hài lòng" in page for page in pages)


def test_mau_02_from_the_supplement_request(desk: Desk, birth: str) -> None:
    text = pdf_text(pdf_of(desk, "chuyenvien.viettri", vn(2026, 3, 3, 15), birth, "mau-02"))
    assert_in_order(
        text,
        "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "Số: 1/HDHS",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Phú Thọ, ngày 03 tháng 3 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", f"Mã hồ sơ: {birth}", "Hồ sơ của: Lê Thị Hoa",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh", "Địa chỉ: Số 5 phố Hòa Phong, phường Việt Trì",
        "Số điện thoại: 0912000111", "Email: hoa@example.vn",
        "Bản chính", "Bản sao chứng thực", "Bản photo",
        # GT01 is an original (1), GT04 a copy (photo column), the third has no catalogue entry.
        "1 Giấy chứng sinh 1 Bản rõ, không tẩy xóa",
        "2 Thẻ Căn cước của người đi khai 1",
        "3 Giấy xác nhận cư trú",
        "Lý do: Giấy chứng sinh bị rách, tờ khai thiếu chữ ký",
        f"liên hệ với Nguyễn Thị Thu, {DESK_NAME}, email tiepnhan.viettri@phutho.gov.vn để được hướng dẫn",
        "NGƯỜI HƯỚNG DẪN", "Nguyễn Thị Thu",
    )


def test_mau_04_from_the_apology(desk: Desk, birth: str) -> None:
    text = pdf_text(pdf_of(desk, "lanhdao.viettri", vn(2026, 3, 3, 15), birth, "mau-04"))
    assert_in_order(
        text,
        "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG VIỆT TRÌ", "Số: 1/PXL",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Phú Thọ, ngày 03 tháng 3 năm 2026",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Kính gửi: Lê Thị Hoa",
        f"Ngày 03 tháng 3 năm 2026, {DESK_NAME} tiếp nhận giải quyết hồ sơ đề nghị Đăng ký khai sinh",
        f"Mã hồ sơ: {birth}",
        # The due date before the apology (moved by the one-hour pause).
        "Thời hạn giải quyết theo quy định: 09 giờ 15 phút, ngày 04 tháng 3 năm 2026",
        "chưa trả kết quả giải quyết hồ sơ của ông (bà) theo đúng thời hạn",
        "Lý do: Cơ sở dữ liệu hộ tịch gián đoạn kết nối",
        "vào 16 giờ 00 phút, ngày 06 tháng 3 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN", "Đặng Văn Hùng",
    )
    # The processing agency signs, not the desk.
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" not in text


def test_mau_05_shows_pause_and_new_date(desk: Desk, birth: str) -> None:
    text = pdf_text(pdf_of(desk, "tiepnhan.viettri", vn(2026, 3, 3, 15), birth, "mau-05"))
    assert_in_order(
        text,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {birth}",
        "Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 03 tháng 3 năm 2026",
        "Thời gian hẹn trả kết quả: 08 giờ 15 phút, ngày 04 tháng 3 năm 2026",
        "Hẹn lại ngày trả kết quả (Phiếu xin lỗi): 16 giờ 00 phút, ngày 06 tháng 3 năm 2026",
        f"Cơ quan (bộ phận) giải quyết hồ sơ: {DESK_NAME}", "Cơ quan phối hợp giải quyết hồ sơ: Không có",
        f"1. Giao: {DESK_NAME} Nhận: {DESK_NAME}", "09:15 03/03/2026",
        "Yêu cầu bổ sung: Giấy chứng sinh bị rách, tờ khai thiếu chữ ký",
        f"2. Giao: {DESK_NAME} Nhận: {DESK_NAME}", "10:15 03/03/2026", "Đã bổ sung hồ sơ: Đã nộp đủ",
    )


def test_forms_that_do_not_apply_are_409(desk: Desk, birth: str) -> None:
    r = form(desk, "tiepnhan.viettri", vn(2026, 3, 3, 15), birth, "mau-03")
    assert r.status_code == 409 and r.json()["code"] == "form_not_applicable"
    other = desk.create("tiepnhan.viettri", vn(2026, 3, 3, 15), {
        "procedure": "1.001193", "channel": "direct", "receiving_unit": VIETTRI, "applicant": APPLICANT})
    for name in ("mau-02", "mau-03", "mau-04"):
        r = form(desk, "tiepnhan.viettri", vn(2026, 3, 3, 15, 5), other["code"], name)
        assert r.status_code == 409, name
        assert r.json()["code"] == "form_not_applicable"
        assert r.json()["details"] == {"form": name}
    for name in ("mau-01", "mau-05"):
        assert form(desk, "tiepnhan.viettri", vn(2026, 3, 3, 15, 5), other["code"], name).status_code == 200


def test_visibility_unknown_forms_and_auth(desk: Desk, birth: str, api: Any) -> None:
    moment = vn(2026, 3, 3, 15)
    r = form(desk, "025195000456", moment, birth, "mau-01")  # another citizen
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = form(desk, "chuyenvien.vinhyen", moment, birth, "mau-05")  # an official of another commune
    assert r.status_code == 404
    assert form(desk, "giamsat.viettri", moment, birth, "mau-05").status_code == 200  # supervisor above the unit
    assert form(desk, "admin", moment, birth, "mau-04").status_code == 200
    r = form(desk, "tiepnhan.viettri", moment, birth, "mau-06")
    assert r.status_code == 404 and r.json()["code"] == "unknown_form"
    r = form(desk, "tiepnhan.viettri", moment, birth, "mau-7%20")
    assert r.status_code == 404
    r = form(desk, "tiepnhan.viettri", moment, "000.01.31.H45-260303-9999", "mau-01")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = api().get(f"/dossiers/{birth}/forms/mau-01")
    assert r.status_code == 401


def test_online_submission_mau_01_after_acceptance_and_refusal_mau_03(desk: Desk) -> None:
    # Submitted online on Sunday evening; not received yet → no Mẫu 01.
    d = desk.create("025090000123", vn(2026, 3, 1, 20, 0), {
        "procedure": "1.001193", "channel": "online", "receiving_unit": VIETTRI, "result_delivery": "postal"})
    r = form(desk, "025090000123", vn(2026, 3, 1, 20, 5), d["code"], "mau-01")
    assert r.status_code == 409 and r.json()["code"] == "form_not_applicable"
    desk.act("tiepnhan.viettri", vn(2026, 3, 2, 8, 10), d["code"], "accept")
    text = pdf_pages(pdf_of(desk, "025090000123", vn(2026, 3, 2, 9), d["code"], "mau-01"))[0]
    assert_in_order(
        text, "Phú Thọ, ngày 02 tháng 3 năm 2026", f"Mã hồ sơ: {d['code']}", "Tiếp nhận hồ sơ của: Nguyễn Văn An",
        "Địa chỉ: Phường Việt Trì, tỉnh Phú Thọ", "Số điện thoại: 0912345678", "Email: an@example.vn",
        "2. Số lượng hồ sơ: 1 (bộ)",
        # The clock starts at acceptance (Mon 08:10), not at the Sunday submission.
        "4. Thời gian nhận hồ sơ: 08 giờ 10 phút, ngày 02 tháng 3 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 10 phút, ngày 03 tháng 3 năm 2026",
        "6. Đăng ký nhận kết quả tại: Nhận qua dịch vụ bưu chính công ích tại: Phường Việt Trì, tỉnh Phú Thọ",
        "Quyển số: 2026 Số thứ tự: 1", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Thu",
    )

    refused = desk.create("025195000456", vn(2026, 3, 2, 7, 30), {
        "procedure": "1.000894", "channel": "online", "receiving_unit": VIETTRI})
    desk.act("tiepnhan.viettri", vn(2026, 3, 2, 9, 40), refused["code"], "refuse",
             {"reason": "Hai bên nam, nữ đều không cư trú trên địa bàn phường Việt Trì"})
    text = pdf_text(pdf_of(desk, "025195000456", vn(2026, 3, 2, 10), refused["code"], "mau-03"))
    assert_in_order(
        text, "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "Phú Thọ, ngày 02 tháng 3 năm 2026", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {refused['code']}",
        "Tiếp nhận hồ sơ của: Trần Thị Bình", "Địa chỉ: Xã Lạc Sơn, tỉnh Phú Thọ", "Số điện thoại: 0987654321",
        "Email: binh@example.vn", "Nội dung yêu cầu giải quyết: Đăng ký kết hôn",
        "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        "Hai bên nam, nữ đều không cư trú trên địa bàn phường Việt Trì",
        f"Mọi vướng mắc xin liên hệ: {DESK_NAME}", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Thu",
    )
    # A refused dossier was never received: no receipt slip.
    assert form(desk, "025195000456", vn(2026, 3, 2, 10), refused["code"], "mau-01").status_code == 409


# --- Mẫu 05: from a commune desk to a province department and back ---------------------------

# Procedure 3.000333 (judicial record, 10 working days) is decided by the Department of Justice.
# Steps: reception 4 h at the receiving unit, specialist 52 h and 12 h and leader 8 h at the
# department, return 4 h at the receiving unit. Received Mon 2/3/2026 08:00 → due Mon 16/3 08:00.
# Hand-computed step deadlines and outcomes:
#   step 1 from Mon 2/3 08:00 + 4 h  → Mon 2/3 14:00;  done Mon 2/3 10:00  → same date  → Đúng hạn
#   step 2 from Mon 2/3 10:00 + 52 h → Tue 10/3 16:00; done Wed 11/3 09:00 → after      → Quá hạn
#   step 3 from Wed 11/3 09:00 + 12 h → Thu 12/3 15:00; done Wed 11/3 16:00 → earlier date → Trước hạn
#   step 4 from Wed 11/3 16:00 + 8 h → Thu 12/3 16:00; done Thu 12/3 16:00 → at the deadline → Đúng hạn
#   step 5 from Thu 12/3 16:00 + 4 h → Fri 13/3 10:00; done Fri 13/3 09:30 → same date  → Đúng hạn
STEP_DUE = ["2026-03-02T14:00:00+07:00", "2026-03-10T16:00:00+07:00", "2026-03-12T15:00:00+07:00",
            "2026-03-12T16:00:00+07:00", "2026-03-13T10:00:00+07:00"]


def test_mau_05_commune_desk_to_department_and_back(desk: Desk) -> None:
    d = desk.create("tiepnhan.viettri", vn(2026, 3, 2, 8, 0), {
        "procedure": "3.000333", "channel": "direct", "receiving_unit": VIETTRI, "applicant": APPLICANT})
    code = d["code"]
    assert d["due_at"] == "2026-03-16T08:00:00+07:00"
    assert d["handling_unit"]["code"] == "000.00.12.H45"
    desk.act("tiepnhan.viettri", vn(2026, 3, 2, 10, 0), code, "forward", {"note": "Chuyển Sở Tư pháp"})
    desk.act("chuyenvien.stp", vn(2026, 3, 11, 9, 0), code, "forward")
    desk.act("chuyenvien.stp", vn(2026, 3, 11, 16, 0), code, "forward")
    desk.act("lanhdao.stp", vn(2026, 3, 12, 16, 0), code, "resolve", {"decision": "approved", "note": "Cấp phiếu số 1"})
    final = desk.act("tiepnhan.viettri", vn(2026, 3, 13, 9, 30), code, "return")
    assert final["status"]["code"] == 10 and final["outcome"] == "early"

    events = desk.get("tiepnhan.viettri", vn(2026, 3, 13, 10), f"/dossiers/{code}/events").json()["items"]
    steps = [e for e in events if e["action"] in {"forward", "resolve", "return"}]
    assert [e["step"]["due_at"] for e in steps] == STEP_DUE
    assert [e["step_outcome"] for e in steps] == ["on_time", "late", "early", "on_time", "on_time"]

    text = pdf_text(pdf_of(desk, "lanhdao.stp", vn(2026, 3, 13, 10), code, "mau-05"))
    assert_in_order(
        text,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {code}", "Tên tổ chức, cá nhân: Lê Thị Hoa",
        "Thủ tục: Cấp Phiếu lý lịch tư pháp",
        "Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 02 tháng 3 năm 2026",
        "Thời gian hẹn trả kết quả: 08 giờ 00 phút, ngày 16 tháng 3 năm 2026",
        f"Cơ quan (bộ phận) giải quyết hồ sơ: {DEPT_NAME}",
        f"1. Giao: {DESK_NAME} Nhận: {DEPT_NAME}", "10:00 02/03/2026",
        "Người giao: Nguyễn Thị Thu Người nhận: Phạm Văn Dũng", "Đúng hạn", "Tiếp nhận hồ sơ. Chuyển Sở Tư pháp",
        f"2. Giao: {DEPT_NAME} Nhận: {DEPT_NAME}", "09:00 11/03/2026",
        "Người giao: Phạm Văn Dũng Người nhận: Phạm Văn Dũng", "Quá hạn",
        "Tra cứu, xác minh thông tin lý lịch tư pháp",
        f"3. Giao: {DEPT_NAME} Nhận: {DEPT_NAME}", "16:00 11/03/2026",
        "Người giao: Phạm Văn Dũng Người nhận: Hoàng Văn Thắng", "Trước hạn", "Lập Phiếu lý lịch tư pháp",
        f"4. Giao: {DEPT_NAME} Nhận: {DESK_NAME}", "16:00 12/03/2026",
        "Người giao: Hoàng Văn Thắng Người nhận: Nguyễn Thị Thu", "Đúng hạn",
        "Lãnh đạo ký Phiếu lý lịch tư pháp. Đồng ý: Cấp phiếu số 1",
        f"5. Giao: {DESK_NAME} Nhận: Tổ chức, cá nhân: Lê Thị Hoa", "09:30 13/03/2026",
        "Người giao: Nguyễn Thị Thu Người nhận: Lê Thị Hoa", "Đúng hạn", "Trả kết quả",
    )
    assert len(re.findall(r"\d\. Giao: ", text)) == 5
    # The department, which took part, sees the dossier's forms; the desk of another commune does not.
    assert form(desk, "chuyenvien.stp", vn(2026, 3, 13, 10), code, "mau-01").status_code == 200
    assert form(desk, "tiepnhan.vinhyen", vn(2026, 3, 13, 10), code, "mau-01").status_code == 404
