"""The citizen portal through the Django test client: who sees what, and forms that reject bad
input with a Vietnamese message next to the field while keeping what was entered."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Attachment, Dossier

from .files import TEXT, pdf_bytes, png_bytes
from .helpers import actor, assert_invalid, field_error, online_dossier, text, upload

pytestmark = pytest.mark.django_db


# --- finding a procedure -----------------------------------------------------------------------

def test_home_shows_search_fields_popular_and_tracking(client_as):
    html = text(client_as().get("/"))
    assert '<html lang="vi">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert 'name="q"' in html and "Tìm kiếm" in html
    assert "Hộ tịch" in html and "Chứng thực" in html
    assert "Thủ tục được dùng nhiều" in html and "Đăng ký khai sinh" in html
    assert "Theo dõi hồ sơ của bạn" in html and 'action="/tra-cuu/"' in html
    assert "/static/motcua/vendor/htmx.min.js" in html


def test_search_ignores_diacritics(client_as):
    html = text(client_as().get("/thu-tuc/", {"q": "dang ky khai sinh"}))
    assert "Đăng ký khai sinh" in html
    assert "Đăng ký kết hôn" not in html
    assert "Tìm thấy" in html


def test_filters_by_online_mode_field_and_level(client_as):
    client = client_as()
    html = text(client.get("/thu-tuc/", {"online": "none"}))
    assert "Chứng thực chữ ký" in html and "Đăng ký khai sinh" not in html
    html = text(client.get("/thu-tuc/", {"field": "CHUNGTHUC"}))
    assert "Cấp bản sao từ sổ gốc" in html and "Đăng ký khai tử" not in html
    html = text(client.get("/thu-tuc/", {"level": "province", "q": "ly lich"}))
    assert "Cấp Phiếu lý lịch tư pháp" in html
    assert client.get("/thu-tuc/", {"level": "nowhere"}).status_code == 200  # bad filter: no 500


def test_procedure_page_shows_documents_fees_limit_legal_basis_and_expected_due(client_as, frozen):
    html = text(client_as().get("/thu-tuc/1.001193/"))
    assert "<h1>Đăng ký khai sinh</h1>" in html
    assert "Tờ khai đăng ký khai sinh" in html and "Bản chính" in html
    assert "8.000 đồng" in html
    assert "1 ngày làm việc" in html
    assert "Luật Hộ tịch số 60/2014/QH13" in html
    assert "Toàn trình" in html
    # Tuesday 10/03/2026 09:00 + 1 working day.
    assert "Thứ Tư, 11/03/2026 lúc 09:00" in html
    assert 'href="/thu-tuc/1.001193/nop/"' in html


def test_same_day_procedure_after_cutoff_is_due_next_day(client_as):
    import time_machine

    from .conftest import VN_TZ, datetime

    with time_machine.travel(datetime(2026, 3, 10, 15, 30, tzinfo=VN_TZ), tick=False):
        html = text(client_as().get("/thu-tuc/2.000815/"))
    assert "Thứ Tư, 11/03/2026 lúc 17:00" in html


def test_unknown_procedure_is_404(client_as):
    assert client_as().get("/thu-tuc/9.999999/").status_code == 404
    assert client_as().get("/thu-tuc/2.000884/nop/").status_code in (302, 404)  # counter-only procedure


# --- accounts ------------------------------------------------------------------------------

def test_register_rejects_bad_input_next_to_each_field_and_keeps_it(client_as):
    r = client_as().post("/dang-ky/", {
        "id_number": "12345", "full_name": "Phạm Thị Hoa", "phone": "12ab", "email": "khong-phai-email",
        "password": "abc12345", "password2": "khac12345",
    })
    html = text(r)
    assert r.status_code == 200
    assert "Số định danh cá nhân không hợp lệ" in field_error(html, "id_id_number")
    assert "Số điện thoại không hợp lệ" in field_error(html, "id_phone")
    assert "Địa chỉ thư điện tử không hợp lệ" in field_error(html, "id_email")
    assert "Hai mật khẩu không giống nhau" in field_error(html, "id_password2")
    for control in ("id_id_number", "id_phone", "id_email", "id_password2"):
        assert_invalid(html, control)
    assert 'value="Phạm Thị Hoa"' in html and 'value="12345"' in html
    assert 'role="alert"' in html and "Vui lòng sửa các lỗi sau" in html


def test_register_requires_fields_with_vietnamese_messages(client_as):
    html = text(client_as().post("/dang-ky/", {}))
    assert field_error(html, "id_full_name") == "Vui lòng nhập họ và tên."
    assert field_error(html, "id_phone") == "Vui lòng nhập số điện thoại."


def test_register_rejects_taken_id_and_birth_year_mismatch(client_as):
    html = text(client_as().post("/dang-ky/", {
        "id_number": "025090000123", "full_name": "X", "phone": "0912000111", "password": "hoa-sen-2026",
        "password2": "hoa-sen-2026"}))
    assert "đã được đăng ký" in field_error(html, "id_id_number")
    html = text(client_as().post("/dang-ky/", {
        "id_number": "001199001234", "full_name": "X", "phone": "0912000111", "birth_date": "1985-01-01",
        "password": "hoa-sen-2026", "password2": "hoa-sen-2026"}))
    assert "Năm sinh không khớp" in field_error(html, "id_birth_date")


def test_register_login_logout(client_as):
    client = client_as()
    r = client.post("/dang-ky/", {"id_number": "001199001234", "full_name": "Phạm Thị Hoa", "phone": "0912 000 111",
                                  "password": "hoa-sen-2026", "password2": "hoa-sen-2026"})
    assert r.status_code == 302 and r["Location"] == "/ho-so/"
    from motcua.accounts.models import User

    user = User.objects.get(username="001199001234")
    assert user.kind == "citizen" and user.phone == "0912000111" and user.full_name == "Phạm Thị Hoa"
    assert "Phạm Thị Hoa" in text(client.get("/tai-khoan/"))
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/ho-so/").status_code == 302
    html = text(client.post("/dang-nhap/", {"username": "001199001234", "password": "sai-mat-khau"}))
    assert "Số định danh hoặc mật khẩu không đúng" in field_error(html, "id_password")
    assert 'value="001199001234"' in html
    r = client.post("/dang-nhap/", {"username": "001199001234", "password": "hoa-sen-2026", "next": "/ho-so/"})
    assert r.status_code == 302 and r["Location"] == "/ho-so/"


def test_login_is_throttled_after_repeated_failures(client_as, settings):
    settings.MOTCUA = {**settings.MOTCUA, "LOGIN_MAX_FAILURES": 3}
    client = client_as()
    for _ in range(3):
        client.post("/dang-nhap/", {"username": "025090000123", "password": "sai"})
    html = text(client.post("/dang-nhap/", {"username": "025090000123", "password": "motcua-demo"}))
    assert "Đăng nhập sai quá nhiều lần" in html


def test_officials_logging_in_on_the_portal_go_to_the_desk(client_as):
    r = client_as().post("/dang-nhap/", {"username": "tiepnhan.viettri", "password": "motcua-demo"})
    assert r.status_code == 302 and r["Location"] == "/desk/"


def test_citizen_pages_need_a_citizen(client_as):
    r = client_as().get("/ho-so/")
    assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/?next=/ho-so/")
    r = client_as("tiepnhan.viettri").get("/ho-so/")
    assert r.status_code == 403 and "tài khoản công dân" in text(r)


# --- online submission -------------------------------------------------------------------------

def test_online_submission_wizard(client_as, frozen, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_FILE_BYTES": 4096}
    client = client_as("025090000123")
    base = "/thu-tuc/1.001193/nop/"
    html = text(client.get(base))
    assert "0912345678" in html  # prefilled from the account
    html = text(client.post(base, {"phone": "09x", "address": "", "receiving_unit": "", "result_delivery": "online"}))
    assert "Số điện thoại không hợp lệ" in field_error(html, "id_phone")
    assert field_error(html, "id_address") == "Vui lòng nhập địa chỉ liên hệ."
    assert field_error(html, "id_receiving_unit") == "Vui lòng chọn nơi nộp hồ sơ."
    assert 'value="09x"' in html
    r = client.post(base, {"phone": "0912345678", "email": "an@example.vn", "address": "Phường Việt Trì",
                           "receiving_unit": "000.01.31.H45", "result_delivery": "online"})
    assert r.status_code == 302 and r["Location"] == base + "giay-to/"

    # Wrong type, too large and missing files are each reported next to their document; the good
    # file sent in the same request is kept.
    r = client.post(base + "giay-to/", {
        "doc_TK01": upload("to-khai.pdf", pdf_bytes()),
        "doc_GT01": upload("giay-chung-sinh.txt", TEXT),
        "doc_GT02": upload("qua-lon.pdf", b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n"),
    })
    html = text(r)
    assert r.status_code == 200
    assert "Chỉ chấp nhận tệp PDF, JPEG, PNG" in field_error(html, "id_doc_GT01") or \
        "không được hỗ trợ" in field_error(html, "id_doc_GT01")
    assert "giay-chung-sinh.txt" in field_error(html, "id_doc_GT01")
    assert "vượt quá" in field_error(html, "id_doc_GT02")
    assert "to-khai.pdf" in html  # kept
    assert field_error(html, "id_doc_TK01") == ""
    # Continue without the other required documents.
    html = text(client.post(base + "giay-to/", {}))
    assert "Vui lòng đính kèm giấy tờ này" in field_error(html, "id_doc_GT01")
    assert "Vui lòng đính kèm giấy tờ này" in field_error(html, "id_doc_GT04")
    assert field_error(html, "id_doc_TK01") == ""
    # Remove a kept file, then upload everything needed.
    client.post(base + "giay-to/", {"remove": "TK01:0"})
    html = text(client.get(base + "giay-to/"))
    assert "Đã bỏ tệp to-khai.pdf" in html and "<span>to-khai.pdf</span>" not in html
    r = client.post(base + "giay-to/", {
        "doc_TK01": upload("to-khai.pdf", pdf_bytes()), "doc_GT01": upload("chung-sinh.png", png_bytes()),
        "doc_GT04": [upload("cccd-truoc.png", png_bytes((1, 2, 3))), upload("cccd-sau.png", png_bytes((4, 5, 6)))],
    })
    assert r.status_code == 302 and r["Location"] == base + "xem-lai/"
    html = text(client.get(base + "xem-lai/"))
    assert "cccd-sau.png" in html and "Trung tâm Phục vụ hành chính công phường Việt Trì" in html
    assert "Thứ Tư, 11/03/2026 lúc 09:00" in html
    r = client.post(base + "xem-lai/")
    dossier = Dossier.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/ho-so/{dossier.code}/da-nop/"
    assert dossier.status == 1 and dossier.channel == "online" and dossier.applicant_phone == "0912345678"
    assert sorted(dossier.attachments.values_list("name", flat=True)) == [
        "cccd-sau.png", "cccd-truoc.png", "chung-sinh.png", "to-khai.pdf"]
    html = text(client.get(r["Location"]))
    assert dossier.code in html and "Đã nộp hồ sơ thành công" in html
    assert "Thứ Tư, 11/03/2026 lúc 09:00" in html  # expected due if accepted now
    assert "Hạn kiểm tra hồ sơ" in html
    # The draft is gone: submitting again starts over instead of creating a second dossier.
    assert client.post(base + "xem-lai/").status_code == 302
    assert Dossier.objects.count() == 1


# --- the applicant's dossier ----------------------------------------------------------------------

def test_dossier_page_is_the_applicants_only(client_as, frozen):
    dossier = online_dossier()
    html = text(client_as("025090000123").get(f"/ho-so/{dossier.code}/"))
    assert dossier.code in html and "Bạn đã nộp hồ sơ trực tuyến" in html and "Mới đăng ký" in html
    assert client_as("025195000456").get(f"/ho-so/{dossier.code}/").status_code == 404
    assert client_as("025090000123").get("/ho-so/000.01.31.H45-260310-9999/").status_code == 404
    assert client_as("025090000123").get(f"/ho-so/{dossier.code}/tep/not-a-uuid/").status_code == 404


def test_withdraw_needs_a_reason(client_as, frozen):
    dossier = online_dossier()
    client = client_as("025090000123")
    r = client.post(f"/ho-so/{dossier.code}/rut/", {"reason": "  "})
    assert r.status_code == 400
    assert field_error(text(r), "withdraw_reason") == "Vui lòng nhập lý do."
    r = client.post(f"/ho-so/{dossier.code}/rut/", {"reason": "Nộp nhầm thủ tục"})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == 7
    html = text(client.get(f"/ho-so/{dossier.code}/"))
    assert "Hồ sơ đã được rút" in html and "Nộp nhầm thủ tục" in html and "Rút hồ sơ</button>" not in html


def test_supplement_round_from_the_applicant(client_as, frozen):
    from motcua.dossiers.services import SupplementItem, dossier_request_supplement

    dossier = online_dossier()
    dossier_request_supplement(actor=actor("tiepnhan.viettri"), code=dossier.code, reason="Thiếu giấy chứng sinh",
                               items=[SupplementItem(document="GT01", name="Giấy chứng sinh")])
    client = client_as("025090000123")
    html = text(client.get(f"/ho-so/{dossier.code}/"))
    assert "Cần bổ sung giấy tờ" in html and "Thiếu giấy chứng sinh" in html and "Giấy chứng sinh" in html
    r = client.post(f"/ho-so/{dossier.code}/bo-sung/", {"note": "Gửi bổ sung"})
    assert r.status_code == 400 and "Vui lòng đính kèm ít nhất một giấy tờ cần bổ sung" in text(r)
    r = client.post(f"/ho-so/{dossier.code}/bo-sung/", {"doc_GT01": upload("sai.txt", TEXT)})
    assert r.status_code == 400 and "sai.txt" in field_error(text(r), "id_doc_GT01")
    r = client.post(f"/ho-so/{dossier.code}/bo-sung/", {"doc_GT01": upload("chung-sinh.pdf", pdf_bytes()),
                                                        "note": "Đã bổ sung giấy chứng sinh"})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == 1
    html = text(client.get(f"/ho-so/{dossier.code}/"))
    assert "Hồ sơ đã được bổ sung" in html and "chung-sinh.pdf" in html


def test_attachment_download_gives_the_exact_bytes(client_as, frozen):
    from motcua.dossiers.services import attachment_add

    dossier = online_dossier()
    content = pdf_bytes("to-khai")
    attachment = attachment_add(actor=actor("025090000123"), code=dossier.code, document="TK01",
                                filename="tờ khai.pdf", chunks=[content])
    r = client_as("025090000123").get(f"/ho-so/{dossier.code}/tep/{attachment.id}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == content
    assert r["Content-Type"] == "application/pdf"
    assert client_as("025195000456").get(f"/ho-so/{dossier.code}/tep/{attachment.id}/").status_code == 404
    assert Attachment.objects.count() == 1


# --- public lookup ---------------------------------------------------------------------------------

def test_public_lookup(client_as, frozen):
    dossier = online_dossier()
    client = client_as()
    html = text(client.get("/tra-cuu/", {"ma": dossier.code}))  # from the QR code: asks for the digits
    assert f'value="{dossier.code}"' in html and "field-error" not in html
    r = client.get("/tra-cuu/", {"ma": dossier.code, "so": "5678"})
    html = text(r)
    assert r.status_code == 200 and "Mới đăng ký" in html and "Đăng ký khai sinh" in html
    assert "0912345678" not in html and "025090000123" not in html and "Nguyễn Văn An" not in html
    r = client.get("/tra-cuu/", {"ma": dossier.code, "so": "1111"})
    assert r.status_code == 404 and "Không tìm thấy hồ sơ" in text(r)
    r = client.get("/tra-cuu/", {"ma": "", "so": "12a"})
    html = text(r)
    assert r.status_code == 400
    assert field_error(html, "id_ma") == "Vui lòng nhập mã hồ sơ."
    assert "4 chữ số" in field_error(html, "id_so")


def test_public_lookup_is_rate_limited(client_as, settings, frozen):
    settings.MOTCUA = {**settings.MOTCUA, "PUBLIC_LOOKUPS_PER_MINUTE": 2}
    client = client_as()
    for _ in range(2):
        assert client.get("/tra-cuu/", {"ma": "x", "so": "1234"}).status_code == 404
    r = client.get("/tra-cuu/", {"ma": "x", "so": "1234"})
    assert r.status_code == 429 and "Quá nhiều lượt tra cứu" in text(r)


def test_not_found_page_is_in_vietnamese(client_as, settings):
    settings.DEBUG = False
    r = client_as().get("/khong-co-trang-nay/")
    assert r.status_code == 404 and "Không tìm thấy trang hoặc hồ sơ" in text(r)


def test_an_empty_file_is_named_and_the_others_are_kept(client_as, frozen):
    client = client_as("025090000123")
    base = "/thu-tuc/1.001193/nop/"
    client.post(base, {"phone": "0912345678", "address": "Phường Việt Trì", "receiving_unit": "000.01.31.H45",
                       "result_delivery": "online"})
    html = text(client.post(base + "giay-to/", {"doc_TK01": upload("to-khai.pdf", pdf_bytes()),
                                                "doc_GT01": upload("rong.pdf", b"")}))
    assert "rong.pdf: Tệp rỗng" in field_error(html, "id_doc_GT01")
    assert "<span>to-khai.pdf</span>" in html
