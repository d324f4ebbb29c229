"""The real journeys in a real browser: what each person sees (text, statuses, dates), not only
where they land. Every page is checked with axe-core (see conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.pages.files import TEXT, pdf_bytes, png_bytes

from .conftest import SHOTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

VIET_TRI_CENTRE = "Trung tâm Phục vụ hành chính công phường Việt Trì"


def pdf(name: str, content: bytes | None = None) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": content or pdf_bytes(name)}


def png(name: str, colour: tuple[int, int, int] = (11, 79, 138)) -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes(colour)}


def official_login(person: Any, username: str) -> Any:
    page = person.go("/desk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập bàn làm việc một cửa")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    person.submit(page.get_by_role("button", name="Đăng nhập"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc cần làm")
    return page


def citizen_login(person: Any, id_number: str, password: str = "motcua-demo") -> Any:
    page = person.go("/dang-nhap/")
    page.get_by_label("Số định danh cá nhân").fill(id_number)
    page.get_by_label("Mật khẩu").fill(password)
    person.submit(page.get_by_role("button", name="Đăng nhập"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    return page


def open_from_worklist(person: Any, list_name: str, code: str) -> Any:
    page = person.page
    card = page.get_by_role("link", name=re.compile(list_name))
    expect(card).to_contain_text("1")
    card.click()  # htmx swaps the list in place; without JavaScript it is a plain link
    page.wait_for_url(re.compile(r"[?&]ds="))
    expect(page.get_by_role("heading", level=2, name=list_name)).to_be_visible()
    person.audit()
    person.submit(page.get_by_role("link", name=code))
    expect(page.get_by_role("heading", level=1)).to_have_text(code)
    return page


def status_is(page: Any, text: str) -> None:
    expect(page.locator(".badge").first).to_have_text(text)


def test_citizen_registers_submits_online_and_downloads_the_result(people: Any, signing: Any) -> None:
    citizen = people("citizen")
    page = citizen.go("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tìm thủ tục")
    citizen.shot("portal-home")

    # Registration: a wrong ID number is explained next to the field, what was typed stays.
    citizen.submit(page.get_by_role("link", name="Đăng ký", exact=True))
    page.get_by_label("Số định danh cá nhân").fill("12345")
    page.get_by_label("Họ và tên").fill("Phạm Thị Hoa")
    page.get_by_label("Ngày sinh").fill("1999-04-02")
    page.get_by_label("Số điện thoại di động").fill("0912 000 111")
    page.locator("#id_password").fill("hoa-sen-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("hoa-sen-2026")
    citizen.submit(page.get_by_role("button", name="Đăng ký"))
    id_field = page.get_by_label("Số định danh cá nhân")
    expect(id_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_id_number-error")).to_contain_text("Số định danh cá nhân không hợp lệ")
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng sửa các lỗi sau")
    expect(page.get_by_label("Họ và tên")).to_have_value("Phạm Thị Hoa")
    citizen.shot("portal-register-error")
    id_field.fill("001199001234")
    page.locator("#id_password").fill("hoa-sen-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("hoa-sen-2026")
    citizen.submit(page.get_by_role("button", name="Đăng ký"))
    expect(page.get_by_role("status")).to_contain_text("Đăng ký thành công")
    expect(page.get_by_text("Bạn chưa nộp hồ sơ nào.")).to_be_visible()

    # Find "khai sinh" typed without diacritics.
    citizen.go("/")
    page.get_by_label("Tên thủ tục hoặc mã thủ tục").fill("khai sinh")
    citizen.submit(page.get_by_role("button", name="Tìm kiếm"))
    expect(page.get_by_role("heading", level=2)).to_contain_text("Kết quả cho «khai sinh»")
    citizen.shot("portal-search")
    citizen.submit(page.get_by_role("link", name="Đăng ký khai sinh", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.get_by_text("8.000 đồng")).to_be_visible()
    expect(page.get_by_test_id("expected-due")).to_contain_text("Thứ Tư, 11/03/2026 lúc 09:0")
    citizen.shot("portal-procedure")

    # Online submission: contact, documents (a wrong file is refused, the good one kept), review.
    citizen.submit(page.get_by_role("link", name="Nộp hồ sơ trực tuyến"))
    expect(page.get_by_label("Số điện thoại")).to_have_value("0912000111")
    page.get_by_label("Địa chỉ liên hệ").fill("Tổ 3, phường Việt Trì, tỉnh Phú Thọ")
    page.get_by_label("Nơi nộp hồ sơ").select_option(label=VIET_TRI_CENTRE)
    page.get_by_label("Trực tuyến").check()
    citizen.submit(page.get_by_role("button", name="Tiếp tục"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đính kèm giấy tờ")
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(pdf("to-khai.pdf"))
    page.get_by_label("Giấy chứng sinh", exact=False).set_input_files(
        {"name": "giay-chung-sinh.txt", "mimeType": "text/plain", "buffer": TEXT})
    citizen.submit(page.get_by_role("button", name="Tải lên và tiếp tục"))
    expect(page.locator("#id_doc_GT01-error")).to_contain_text("giay-chung-sinh.txt")
    expect(page.locator("#id_doc_GT04-error")).to_contain_text("Vui lòng đính kèm giấy tờ này")
    expect(page.locator(".doc-item").first).to_contain_text("to-khai.pdf")
    citizen.shot("portal-documents-error")
    page.get_by_label("Giấy chứng sinh", exact=False).set_input_files(png("giay-chung-sinh.png"))
    page.get_by_label("Hộ chiếu, thẻ Căn cước", exact=False).set_input_files(png("cccd.png", (200, 30, 30)))
    citizen.submit(page.get_by_role("button", name="Tải lên và tiếp tục"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại và nộp hồ sơ")
    expect(page.get_by_text("giay-chung-sinh.png")).to_be_visible()
    citizen.submit(page.get_by_role("button", name="Nộp hồ sơ"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nộp hồ sơ thành công")
    code = page.get_by_test_id("dossier-code").inner_text()
    assert re.fullmatch(r"000\.01\.31\.H45-260310-\d{4}", code), code
    expect(page.get_by_test_id("expected-due")).to_contain_text("Thứ Tư, 11/03/2026")
    status_is(page, "Mới đăng ký")
    citizen.shot("portal-submitted")

    # Reception checks it and accepts: the receipt gives the due date-time.
    reception = people("reception")
    desk = official_login(reception, "tiepnhan.viettri")
    reception.shot("desk-home")
    open_from_worklist(reception, "Hồ sơ trực tuyến chờ kiểm tra", code)
    status_is(desk, "Mới đăng ký")
    expect(desk.get_by_role("link", name="to-khai.pdf", exact=True)).to_be_visible()
    reception.shot("desk-check-online")
    reception.submit(desk.get_by_role("button", name="Tiếp nhận", exact=True))
    expect(desk.get_by_test_id("receipt-code")).to_have_text(code)
    expect(desk.get_by_test_id("receipt-due")).to_contain_text(re.compile(r"Thứ Tư, 11/03/2026 lúc 09:\d\d"))
    reception.go(f"/desk/ho-so/{code}/")
    status_is(desk, "Được tiếp nhận")
    reception.submit(desk.get_by_role("button", name="Chuyển xử lý"))
    status_is(desk, "Đang xử lý")
    expect(desk.get_by_role("status")).to_contain_text("Đã thực hiện")

    # The specialist finds it among their steps and forwards it to the leader.
    specialist = people("specialist")
    official_login(specialist, "chuyenvien.viettri")
    spage = open_from_worklist(specialist, "Đang chờ tôi xử lý", code)
    expect(spage.locator("tr[aria-current=step]")).to_contain_text("Thẩm tra hồ sơ")
    specialist.shot("desk-dossier")
    specialist.submit(spage.get_by_role("button", name="Chuyển xử lý"))
    expect(spage.locator("tr[aria-current=step]")).to_contain_text("Phê duyệt, ký kết quả")

    # The leader attaches the draft result and approves it: it is signed with the leader's certificate.
    leader = people("leader")
    official_login(leader, "lanhdao.viettri")
    lpage = open_from_worklist(leader, "Đang chờ tôi xử lý", code)
    lpage.get_by_text("Tải lên dự thảo kết quả").click()
    draft = pdf_bytes("giay-khai-sinh")
    lpage.get_by_label("Tệp dự thảo kết quả (PDF)").set_input_files(pdf("giay-khai-sinh.pdf", draft))
    leader.submit(lpage.get_by_role("button", name="Lưu dự thảo"))
    expect(lpage.get_by_role("status")).to_contain_text("Đã lưu dự thảo kết quả")
    expect(lpage.get_by_test_id("resolve-hint")).to_contain_text("dự thảo «giay-khai-sinh.pdf»")
    leader.submit(lpage.get_by_role("button", name="Ký duyệt, hoàn thành"))
    status_is(lpage, "Đã xử lý xong")
    expect(lpage.get_by_test_id("signature")).to_contain_text("Chữ ký số hợp lệ")
    leader.shot("desk-signed-result")

    # The citizen follows the dossier and downloads the result.
    page = citizen.go(f"/ho-so/{code}/")
    status_is(page, "Đã xử lý xong")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Đã có kết quả giải quyết")
    expect(timeline).to_contain_text("Hồ sơ đã được tiếp nhận")
    expect(timeline).to_contain_text("Bạn đã nộp hồ sơ trực tuyến")
    expect(page.get_by_test_id("due-at")).to_contain_text("Thứ Tư, 11/03/2026")
    expect(page.get_by_test_id("signature")).to_contain_text("Ký bởi Đặng Văn Hùng")
    citizen.shot("portal-dossier-result")
    name = f"ket-qua-{code}.pdf"
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Tải kết quả: {name}").click()
    assert download.value.suggested_filename == name
    from concurrent.futures import ThreadPoolExecutor

    from motcua.documents.verification import check_pdf

    # pyHanko runs its own event loop: not in this thread, where Playwright's is running.
    with ThreadPoolExecutor(1) as pool:
        check = pool.submit(check_pdf, Path(download.value.path()).read_bytes()).result()
    assert check.signed and check.intact and check.trusted
    assert [s.name for s in check.signatures] == ["Đặng Văn Hùng"]
    # Its verification page (where the QR code leads) says it is valid.
    citizen.submit(page.get_by_role("link", name=re.compile("Xác thực văn bản")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực văn bản điện tử")
    expect(page.locator(".verdict")).to_contain_text("Văn bản hợp lệ")
    expect(page.get_by_text(code)).to_be_visible()
    citizen.shot("portal-verify-result")

    # Reception hands the result over; the citizen sees the dossier closed.
    reception.go(f"/desk/ho-so/{code}/")
    reception.submit(desk.get_by_role("button", name="Đã trả kết quả"))
    status_is(desk, "Đã trả kết quả")
    citizen.go(f"/ho-so/{code}/")
    status_is(page, "Đã trả kết quả")


def test_walk_in_dossier_received_at_the_desk_with_its_receipt(people: Any) -> None:
    from tests.pages.helpers import walk_in_dossier

    walk_in_dossier(name="Đoàn Minh Khôi", id_number="025090000999", phone="0977111222",
                    address="Xã Lạc Sơn, tỉnh Phú Thọ")
    clerk = people("clerk")
    page = official_login(clerk, "tiepnhan.viettri")
    clerk.submit(page.get_by_role("link", name="Tiếp nhận hồ sơ mới"))
    page.get_by_label("Tìm thủ tục").fill("chung thuc ban sao")
    results = page.locator("#procedure-results")
    expect(results).to_contain_text("Chứng thực bản sao từ bản chính")  # found while typing (htmx)
    expect(results).not_to_contain_text("Đăng ký khai sinh")
    clerk.audit()
    clerk.shot("desk-receive-search")
    clerk.submit(results.get_by_role("link", name=re.compile("Chứng thực bản sao từ bản chính")))

    page.get_by_label("Số định danh cá nhân").fill("025090000999")
    page.get_by_role("button", name="Điền từ hồ sơ trước").click()
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Đoàn Minh Khôi")
    expect(page.get_by_label("Địa chỉ")).to_have_value("Xã Lạc Sơn, tỉnh Phú Thọ")
    clerk.audit()
    page.get_by_label("Số điện thoại").fill("12")
    page.locator("#id_got_GT01").check()
    page.locator("#id_file_GT01").set_input_files(pdf("ban-chinh.pdf"))
    clerk.submit(page.get_by_role("button", name="Tiếp nhận và in giấy hẹn"))
    expect(page.locator("#id_phone-error")).to_contain_text("Số điện thoại không hợp lệ")
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Đoàn Minh Khôi")
    expect(page.locator(".doc-item").first).to_contain_text("ban-chinh.pdf")  # kept on the server
    clerk.shot("desk-receive-error")
    page.get_by_label("Số điện thoại").fill("0977111222")
    page.locator("#id_got_GT01").check()
    page.get_by_label("Số bộ hồ sơ").fill("2")
    clerk.submit(page.get_by_role("button", name="Tiếp nhận và in giấy hẹn"))

    expect(page.get_by_role("heading", level=1)).to_have_text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    code = page.get_by_test_id("receipt-code").inner_text()
    assert re.fullmatch(r"000\.01\.31\.H45-260310-\d{4}", code), code
    # A same-day procedure received before 15:00 is due at today's close.
    expect(page.get_by_test_id("receipt-due")).to_have_text("Thứ Ba, 10/03/2026 lúc 17:00")
    expect(page.locator(".receipt")).to_contain_text("Đoàn Minh Khôi")
    expect(page.locator(".receipt")).to_contain_text("Nguyễn Thị Thu")
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.get_by_role("button", name="In giấy tiếp nhận")).to_be_visible()
    clerk.shot("desk-receipt")
    clerk.submit(page.get_by_role("link", name="Mở hồ sơ"))
    expect(page.get_by_role("link", name="ban-chinh.pdf", exact=True)).to_be_visible()
    status_is(page, "Được tiếp nhận")

    supervisor = people("supervisor")
    spage = official_login(supervisor, "giamsat.tinh")
    supervisor.submit(spage.get_by_role("link", name="Giám sát"))
    expect(spage.get_by_role("row", name=re.compile(VIET_TRI_CENTRE))).to_be_visible()
    supervisor.shot("desk-supervisor")


def test_supplement_round_trip(people: Any) -> None:
    from motcua.dossiers.services import attachment_add
    from tests.pages.helpers import actor, online_dossier

    dossier = online_dossier()
    attachment_add(actor=actor("025090000123"), code=dossier.code, document="TK01", filename="to-khai.pdf",
                   chunks=[pdf_bytes("to-khai")])
    code = dossier.code

    reception = people("reception")
    official_login(reception, "tiepnhan.viettri")
    desk = reception.go(f"/desk/ho-so/{code}/")
    desk.get_by_text("Yêu cầu bổ sung hồ sơ").click()
    form = desk.locator("#action-request-supplement")
    form.get_by_label("Lý do").fill("Thiếu giấy chứng sinh")
    reception.submit(form.get_by_role("button", name="Gửi yêu cầu bổ sung"))
    form = desk.locator("#action-request-supplement")
    expect(form.get_by_role("alert")).to_contain_text("Vui lòng chọn ít nhất một giấy tờ")
    expect(form.get_by_label("Lý do")).to_have_value("Thiếu giấy chứng sinh")
    form.get_by_label("Giấy chứng sinh", exact=False).check()
    reception.submit(form.get_by_role("button", name="Gửi yêu cầu bổ sung"))
    status_is(desk, "Yêu cầu bổ sung giấy tờ")

    citizen = people("citizen")
    page = citizen_login(citizen, "025090000123")
    citizen.submit(page.get_by_role("link", name=code))
    status_is(page, "Yêu cầu bổ sung giấy tờ")
    notice = page.get_by_role("region", name="Cần bổ sung giấy tờ")
    expect(notice).to_contain_text("Thiếu giấy chứng sinh")
    expect(notice).to_contain_text("Giấy chứng sinh")
    citizen.shot("portal-supplement-asked")
    send = page.get_by_role("region", name="Gửi giấy tờ bổ sung")
    send.get_by_label("Giấy chứng sinh", exact=False).set_input_files(pdf("giay-chung-sinh.pdf"))
    send.get_by_label("Ghi chú cho cơ quan giải quyết").fill("Đã bổ sung giấy chứng sinh")
    citizen.submit(send.get_by_role("button", name="Gửi bổ sung"))
    expect(page.get_by_role("status")).to_contain_text("Đã gửi hồ sơ bổ sung")
    status_is(page, "Mới đăng ký")
    expect(page.locator(".timeline")).to_contain_text("Hồ sơ đã được bổ sung")

    reception.go(f"/desk/ho-so/{code}/")
    status_is(desk, "Mới đăng ký")
    expect(desk.get_by_role("link", name="giay-chung-sinh.pdf", exact=True)).to_be_visible()
    expect(desk.get_by_text("Đã yêu cầu bổ sung 1 lần")).to_be_visible()
    reception.submit(desk.get_by_role("button", name="Tiếp nhận", exact=True))
    expect(desk.get_by_test_id("receipt-code")).to_have_text(code)


def test_public_lookup_by_code_and_phone_digits(people: Any) -> None:
    from tests.pages.helpers import walk_in_dossier

    dossier = walk_in_dossier(name="Lê Văn Cường", phone="0901234567")
    visitor = people("visitor")
    page = visitor.go(f"/tra-cuu/?ma={dossier.code}")  # as from the QR code on the receipt
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(dossier.code)
    page.get_by_label("4 số cuối điện thoại").fill("1111")
    visitor.submit(page.get_by_role("button", name="Tra cứu"))
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")
    visitor.shot("portal-lookup-error")
    page.get_by_label("4 số cuối điện thoại").fill("4567")
    visitor.submit(page.get_by_role("button", name="Tra cứu"))
    result = page.get_by_test_id("lookup-result")
    expect(result).to_contain_text("Được tiếp nhận")
    expect(result).to_contain_text("Đăng ký khai sinh")
    expect(result).to_contain_text("Thứ Tư, 11/03/2026")
    expect(result).not_to_contain_text("Lê Văn Cường")
    visitor.shot("portal-lookup")



def test_specialist_consults_another_unit_which_answers_then_forwards(people: Any) -> None:
    from motcua.dossiers.services import dossier_forward
    from tests.pages.helpers import actor, walk_in_dossier

    dossier = walk_in_dossier(procedure="1.004884", name="Vi Thị Lan")
    code = dossier_forward(actor=actor("tiepnhan.viettri"), code=dossier.code).code

    # The specialist takes the step and asks Sở Tư pháp, with 4 working hours to answer.
    specialist = people("specialist")
    official_login(specialist, "chuyenvien.viettri")
    page = open_from_worklist(specialist, "Đang chờ tôi xử lý", code)
    expect(page.get_by_test_id("assignee")).to_contain_text("Chưa giao")
    page.get_by_text("Nhận xử lý", exact=True).click()
    specialist.submit(page.get_by_role("button", name="Nhận xử lý bước này"))
    expect(page.get_by_test_id("assignee")).to_contain_text("Trần Minh Quân")
    page.get_by_text("Xin ý kiến đơn vị khác").click()
    ask = page.locator("#action-consult")
    ask.get_by_role("button", name="Gửi xin ý kiến").click()
    page.wait_for_load_state("load")
    ask = page.locator("#action-consult")
    expect(ask.locator("#id_consult-question-error")).to_contain_text("Vui lòng nhập nội dung xin ý kiến")
    specialist.audit()
    ask.get_by_label("Đơn vị được xin ý kiến").select_option(label="Sở Tư pháp tỉnh Phú Thọ")
    ask.get_by_label("Nội dung xin ý kiến").fill("Đề nghị cho ý kiến về bản sao sổ hộ tịch gốc")
    ask.get_by_label("Thời hạn trả lời (giờ làm việc)").fill("4")
    specialist.submit(ask.get_by_role("button", name="Gửi xin ý kiến"))
    table = page.get_by_test_id("consultations")
    expect(table).to_contain_text("Sở Tư pháp tỉnh Phú Thọ")
    expect(table).to_contain_text("Chưa trả lời")
    specialist.shot("desk-consultation-asked")
    page.evaluate("() => document.getElementById('consultations-title').scrollIntoView()")
    page.screenshot(path=str(SHOTS / "desk-consultation-asked-table.png"))

    # Sở Tư pháp finds it in its worklist and answers.
    stp = people("stp")
    official_login(stp, "chuyenvien.stp")
    spage = open_from_worklist(stp, "Xin ý kiến chờ trả lời", code)
    answer = spage.locator("#action-answer-consultation")
    answer.get_by_label("Ý kiến trả lời").fill("Sổ gốc còn lưu, thông tin khớp với tờ khai.")
    stp.shot("desk-consultation-answer")
    stp.submit(answer.get_by_role("button", name="Gửi ý kiến trả lời"))
    expect(spage.get_by_test_id("consultations")).to_contain_text("Sổ gốc còn lưu")
    expect(spage.locator("#action-answer-consultation")).to_have_count(0)

    # The specialist reads the answer and forwards the dossier to the next step.
    page = specialist.go(f"/desk/ho-so/{code}/")
    expect(page.get_by_test_id("consultations")).to_contain_text("Sổ gốc còn lưu")
    specialist.submit(page.get_by_role("button", name="Chuyển xử lý"))
    expect(page.locator("tr[aria-current=step]")).to_contain_text("Thẩm định, dự thảo Giấy khai sinh")
    expect(page.locator(".timeline")).to_contain_text("Trả lời xin ý kiến")

    # The official forms and the tracking book of the unit.
    expect(page.get_by_test_id("print-forms")).to_contain_text("Mẫu 05")
    specialist.submit(page.get_by_role("link", name="Sổ theo dõi"))
    expect(page.get_by_test_id("book")).to_contain_text(code)
    expect(page.get_by_test_id("book")).to_contain_text("Vi Thị Lan")
    specialist.shot("desk-book")
    with page.expect_download() as download:
        page.get_by_test_id("book-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
