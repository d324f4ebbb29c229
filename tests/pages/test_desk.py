"""The officials' desk through the Django test client: worklists, receiving a walk-in dossier,
checking an online one, the dossier page and its actions, the supervisor's overview."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers.models import Dossier

from .files import TEXT, pdf_bytes, png_bytes
from .helpers import assert_invalid, field_error, online_dossier, text, upload, walk_in_dossier

pytestmark = pytest.mark.django_db

DESK = "/desk/"


def action_names(html: str) -> set[str]:
    return set(re.findall(r'action="/desk/ho-so/[^/]+/thao-tac/([a-z-]+)/"', html))


def test_desk_needs_an_official(client_as):
    r = client_as().get(DESK)
    assert r.status_code == 302 and r["Location"].startswith("/desk/dang-nhap/?next=/desk/")
    r = client_as("025090000123").get(DESK)
    assert r.status_code == 403 and "Bạn không có quyền" in text(r)


def test_desk_login(client_as):
    client = client_as()
    html = text(client.post("/desk/dang-nhap/", {"username": "tiepnhan.viettri", "password": "sai"}))
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in field_error(html, "id_password")
    assert 'value="tiepnhan.viettri"' in html
    html = text(client.post("/desk/dang-nhap/", {"username": "025090000123", "password": "motcua-demo"}))
    assert "tài khoản công dân" in field_error(html, "id_username")
    html = text(client.post("/desk/dang-nhap/", {}))
    assert field_error(html, "id_username") == "Vui lòng nhập tên đăng nhập."
    r = client.post("/desk/dang-nhap/", {"username": "tiepnhan.viettri", "password": "motcua-demo",
                                         "next": "/desk/tim/"})
    assert r.status_code == 302 and r["Location"] == "/desk/tim/"
    r = client.post("/desk/dang-nhap/", {"username": "tiepnhan.viettri", "password": "motcua-demo",
                                         "next": "https://example.com/"})
    assert r["Location"] == "/desk/"


def test_home_worklists_with_counts(client_as, frozen):
    online_dossier()
    walk_in_dossier()
    html = text(client_as("tiepnhan.viettri").get(DESK))
    assert re.search(r'<span class="n">1</span> Hồ sơ trực tuyến chờ kiểm tra', html)
    assert re.search(r'<span class="n">1</span> Đang chờ tôi xử lý', html)  # the walk-in, at the reception step
    assert "Chờ trả kết quả" in html and "Quá hạn" in html and "Tạm dừng" in html
    html = text(client_as("tiepnhan.viettri").get(DESK, {"ds": "to_check"}))
    assert "Nguyễn Văn An" in html and "Lê Văn Cường" not in html
    # Another commune's reception sees nothing of Việt Trì's.
    html = text(client_as("tiepnhan.lacson").get(DESK, {"ds": "to_check"}))
    assert "Nguyễn Văn An" not in html and re.search(r'<span class="n">0</span> Hồ sơ trực tuyến chờ kiểm tra', html)


def test_search_by_code_and_applicant(client_as, frozen):
    dossier = walk_in_dossier(name="Hoàng Thị Yến")
    client = client_as("chuyenvien.viettri")
    assert dossier.code in text(client.get("/desk/tim/", {"q": "hoang thi yen"}))
    assert "Hoàng Thị Yến" in text(client.get("/desk/tim/", {"q": dossier.code}))
    html = text(client.get("/desk/tim/", {"q": ""}))
    assert "Vui lòng nhập mã hồ sơ hoặc tên người nộp" in field_error(html, "id_q")
    assert "Hoàng Thị Yến" not in text(client_as("chuyenvien.lacson").get("/desk/tim/", {"q": "hoang"}))


# --- receiving a walk-in dossier -------------------------------------------------------------------

def test_pick_procedure_without_diacritics(client_as):
    client = client_as("tiepnhan.viettri")
    html = text(client.get("/desk/tiep-nhan/", {"q": "chung thuc ban sao"}))
    assert "Chứng thực bản sao từ bản chính" in html and "Đăng ký khai sinh" not in html
    assert client_as("chuyenvien.viettri").get("/desk/tiep-nhan/").status_code == 403
    assert client_as("chuyenvien.viettri").get("/desk/tiep-nhan/1.001193/").status_code == 403


def test_receive_walk_in_errors_keep_what_was_entered(client_as, frozen):
    client = client_as("tiepnhan.viettri")
    url = "/desk/tiep-nhan/1.001193/"
    html = text(client.get(url))
    assert "Tờ khai đăng ký khai sinh" in html and 'name="got_TK01"' in html
    draft = re.search(r'name="draft" value="([0-9a-f-]{36})"', html).group(1)
    r = client.post(url, {
        "draft": draft, "receiving_unit": "000.01.31.H45", "channel": "direct", "id_number": "123", "name": "",
        "phone": "0912 345 678", "address": "Tổ 5, phường Việt Trì", "sets": "0", "result_delivery": "desk",
        "got_TK01": "on", "file_GT01": upload("chung-sinh.pdf", pdf_bytes()), "file_GT04": upload("cccd.txt", TEXT),
    })
    html = text(r)
    assert r.status_code == 400
    assert field_error(html, "id_name") == "Vui lòng nhập họ và tên."
    assert "Số định danh cá nhân không hợp lệ" in field_error(html, "id_id_number")
    assert "Số bộ hồ sơ phải từ 1 đến 100" in field_error(html, "id_sets")
    assert "cccd.txt" in field_error(html, "id_file_GT04")
    assert_invalid(html, "id_name")
    assert 'value="Tổ 5, phường Việt Trì"' in html and 'value="0912 345 678"' in html
    assert re.search(r'<input[^>]*name="got_TK01"[^>]*checked', html)
    assert "chung-sinh.pdf" in html  # kept on the server
    # Fix the fields; the required identity paper is neither ticked nor scanned.
    assert f'name="draft" value="{draft}"' in html
    r = client.post(url, {"draft": draft, "receiving_unit": "000.01.31.H45", "channel": "direct",
                          "name": "Trần Văn Bình", "phone": "0912345678", "sets": "1", "result_delivery": "desk",
                          "got_TK01": "on"})
    html = text(r)
    assert r.status_code == 400
    assert "Chưa nhận giấy tờ bắt buộc này" in field_error(html, "id_got_GT04")
    assert field_error(html, "id_got_GT01") == ""  # its scan was kept from the first attempt
    assert Dossier.objects.count() == 0
    # Another form (no draft id) starts empty: files do not leak between two dossiers.
    assert "chung-sinh.pdf" not in text(client.post(url, {"name": "X"}))
    r = client.post(url, {"draft": draft, "receiving_unit": "000.01.31.H45", "channel": "direct",
                          "name": "Trần Văn Bình", "phone": "0912345678", "sets": "2", "result_delivery": "desk",
                          "got_TK01": "on", "got_GT04": "on"})
    dossier = Dossier.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/desk/ho-so/{dossier.code}/bien-nhan/"
    assert dossier.status == 2 and dossier.sets == 2 and dossier.applicant_name == "Trần Văn Bình"
    scan = dossier.attachments.get()
    assert scan.name == "chung-sinh.pdf" and scan.document == "GT01"
    html = text(client.get(r["Location"]))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html and dossier.code in html
    assert "Thứ Ba, 10/03/2026 lúc 09:00" in html  # received
    assert "Thứ Tư, 11/03/2026 lúc 09:00" in html  # due: 1 working day
    assert "<svg" in html and f"/tra-cuu/?ma={dossier.code}" in html
    assert "Tờ khai đăng ký khai sinh" in html and "Nguyễn Thị Thu" in html


def test_receive_prefills_the_applicant_from_an_earlier_dossier(client_as, frozen):
    walk_in_dossier(name="Đoàn Minh Khôi", id_number="025090000999", phone="0977111222", address="Xã Lạc Sơn")
    client = client_as("tiepnhan.viettri")
    html = text(client.post("/desk/tiep-nhan/2.000815/", {"id_number": "025090000999", "prefill": "1",
                                                           "channel": "direct", "sets": "1"}))
    assert 'value="Đoàn Minh Khôi"' in html and 'value="0977111222"' in html and 'value="Xã Lạc Sơn"' in html
    assert "Đã điền thông tin từ hồ sơ trước" in html and "field-error" not in html
    html = text(client.post("/desk/tiep-nhan/2.000815/", {"id_number": "001199001234", "prefill": "1"}))
    assert "Không tìm thấy hồ sơ trước" in html


# --- checking an online dossier and handling it ---------------------------------------------------

def test_only_the_actions_this_official_may_take(client_as, frozen):
    dossier = online_dossier()
    url = f"/desk/ho-so/{dossier.code}/"
    assert action_names(text(client_as("tiepnhan.viettri").get(url))) == {
        "accept", "refuse", "request-supplement", "withdraw"}
    assert action_names(text(client_as("chuyenvien.viettri").get(url))) == set()
    assert client_as("tiepnhan.lacson").get(url).status_code == 404
    r = client_as("chuyenvien.viettri").post(url + "thao-tac/accept/", {"version": "1"})
    assert r.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == 1


def test_check_online_dossier_refuse_needs_reason_and_supplement_needs_items(client_as, frozen):
    dossier = online_dossier()
    client = client_as("tiepnhan.viettri")
    base = f"/desk/ho-so/{dossier.code}/thao-tac/"
    r = client.post(base + "refuse/", {"refuse-reason": ""})
    assert r.status_code == 400 and field_error(text(r), "id_refuse-reason") == "Vui lòng nhập lý do."
    r = client.post(base + "request-supplement/", {"request-supplement-reason": "Thiếu giấy tờ"})
    html = text(r)
    assert r.status_code == 400
    assert "Vui lòng chọn ít nhất một giấy tờ" in field_error(html, "id_request-supplement-documents")
    assert "Thiếu giấy tờ" in html  # kept
    r = client.post(base + "request-supplement/", {"request-supplement-reason": "Ảnh giấy chứng sinh bị mờ",
                                                   "request-supplement-documents": ["GT01"],
                                                   "request-supplement-other": "Bản sao sổ hộ khẩu"})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == 5 and dossier.supplement_requests == 1
    html = text(client.get(f"/desk/ho-so/{dossier.code}/"))
    assert "Đã yêu cầu bổ sung 1 lần" in html and "Bản sao sổ hộ khẩu" in html
    # Reception receives the papers on the applicant's behalf.
    r = client.post(base + "supplement/", {"supplement-note": "Công dân nộp tại quầy",
                                           "supplement-doc_GT01": upload("chung-sinh.png", png_bytes())})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == 1 and dossier.attachments.get().digitised_by is not None


def test_stale_form_is_refused_with_a_message(client_as, frozen):
    dossier = online_dossier()
    client = client_as("tiepnhan.viettri")
    r = client.post(f"/desk/ho-so/{dossier.code}/thao-tac/accept/", {"version": "99", "accept-note": ""})
    assert r.status_code == 409 and "vừa được người khác cập nhật" in text(r)


def test_whole_dossier_through_the_desk(client_as, frozen):
    dossier = online_dossier()
    code = dossier.code
    reception, specialist, leader = (client_as(u) for u in ("tiepnhan.viettri", "chuyenvien.viettri",
                                                           "lanhdao.viettri"))
    r = reception.post(f"/desk/ho-so/{code}/thao-tac/accept/", {"version": "1", "accept-note": "Đủ giấy tờ"})
    assert r.status_code == 302 and r["Location"] == f"/desk/ho-so/{code}/bien-nhan/"
    html = text(reception.get(f"/desk/ho-so/{code}/"))
    assert "forward" in action_names(html) and "Thứ Tư, 11/03/2026 lúc 09:00" in html
    assert reception.post(f"/desk/ho-so/{code}/thao-tac/forward/", {}).status_code == 302
    html = text(specialist.get(DESK))
    assert code in html
    html = text(specialist.get(f"/desk/ho-so/{code}/"))
    assert action_names(html) >= {"forward", "request-supplement", "request-payment"}
    assert "resolve" not in action_names(html)
    assert 'value="lanhdao.viettri"' in html  # the next step's leader can be chosen
    assert specialist.post(f"/desk/ho-so/{code}/thao-tac/forward/", {"forward-assignee": "lanhdao.viettri"}
                           ).status_code == 302
    html = text(leader.get(f"/desk/ho-so/{code}/"))
    assert "resolve" in action_names(html) and "forward" not in action_names(html)
    r = leader.post(f"/desk/ho-so/{code}/ket-qua/", {"result-files": upload("giay-khai-sinh.pdf", pdf_bytes("kq"))})
    assert r.status_code == 302
    r = leader.post(f"/desk/ho-so/{code}/thao-tac/resolve/", {"resolve-decision": "approved"})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == 9 and dossier.outcome in {"early", "on_time"}
    html = text(reception.get(DESK, {"ds": "to_return"}))
    assert code in html
    assert reception.post(f"/desk/ho-so/{code}/thao-tac/return/", {}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == 10
    html = text(reception.get(f"/desk/ho-so/{code}/"))
    assert action_names(html) == set()
    assert html.count('class="badge on_time"') + html.count('class="badge early"') >= 4  # every step on time
    # The applicant sees it plainly and downloads the result.
    citizen = client_as("025090000123")
    html = text(citizen.get(f"/ho-so/{code}/"))
    assert "Đã trả kết quả" in html and "Đã có kết quả giải quyết" in html and "Tải kết quả: giay-khai-sinh.pdf" in html


def test_apology_with_a_new_date(client_as, frozen):
    dossier = walk_in_dossier()
    client = client_as("lanhdao.viettri")
    url = f"/desk/ho-so/{dossier.code}/thao-tac/apologize/"
    r = client.post(url, {"apologize-reason": "Chờ xác minh", "apologize-new_due_at": "2026-03-09T10:00"})
    assert r.status_code == 400 and "Ngày hẹn mới phải sau" in text(r)
    r = client.post(url, {"apologize-reason": "", "apologize-new_due_at": "hôm qua"})
    html = text(r)
    assert field_error(html, "id_apologize-reason") == "Vui lòng nhập lý do."
    assert field_error(html, "id_apologize-new_due_at") == "Ngày giờ không hợp lệ."
    r = client.post(url, {"apologize-reason": "Chờ xác minh", "apologize-new_due_at": "2026-03-13T16:00"})
    assert r.status_code == 302
    html = text(client.get(f"/desk/ho-so/{dossier.code}/"))
    assert "Thứ Sáu, 13/03/2026 lúc 16:00" in html and "apologize" not in action_names(html)


def test_upload_scans_on_the_dossier_page(client_as, frozen):
    dossier = walk_in_dossier()
    client = client_as("tiepnhan.viettri")
    url = f"/desk/ho-so/{dossier.code}/tai-len/"
    r = client.post(url, {"upload-document": "", "upload-files": upload("a.png", png_bytes())})
    assert r.status_code == 400 and field_error(text(r), "id_upload-document") == "Vui lòng chọn thành phần hồ sơ."
    r = client.post(url, {"upload-document": "TK01", "upload-files": upload("to-khai.png", png_bytes())})
    assert r.status_code == 302
    attachment = dossier.attachments.get()
    html = text(client.get(f"/desk/ho-so/{dossier.code}/"))
    assert "to-khai.png" in html and f"/tep/{attachment.id}/?xem=1" in html
    r = client.get(f"/desk/ho-so/{dossier.code}/tep/{attachment.id}/?xem=1")
    assert r.status_code == 200 and "inline" in r["Content-Disposition"]
    assert client_as("chuyenvien.lacson").get(f"/desk/ho-so/{dossier.code}/tep/{attachment.id}/").status_code == 404


def test_supervisor_overview(client_as, frozen):
    walk_in_dossier()
    online_dossier(procedure="1.000894", unit="000.01.33.H45", citizen="025195000456")
    html = text(client_as("giamsat.tinh").get("/desk/giam-sat/"))
    assert "Trung tâm Phục vụ hành chính công phường Việt Trì" in html
    assert "Trung tâm Phục vụ hành chính công xã Lạc Sơn" in html
    assert "Hồ sơ quá hạn" in html and "Không có hồ sơ quá hạn" in html
    assert client_as("tiepnhan.viettri").get("/desk/giam-sat/").status_code == 403
    html = text(client_as("giamsat.viettri").get("/desk/giam-sat/"))
    assert "phường Việt Trì" in html and "xã Lạc Sơn" not in html


def test_overdue_dossiers_are_listed(client_as):
    import time_machine

    from .conftest import NOW

    with time_machine.travel(NOW, tick=False):
        dossier = walk_in_dossier()
    with time_machine.travel(NOW.replace(day=13), tick=False):
        html = text(client_as("giamsat.tinh").get("/desk/giam-sat/"))
        assert dossier.code in html
        html = text(client_as("tiepnhan.viettri").get(DESK, {"ds": "overdue"}))
        assert dossier.code in html
