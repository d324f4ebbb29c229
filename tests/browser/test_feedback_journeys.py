"""Ratings and petitions in a real browser (Chromium), every page checked with axe-core: a citizen
on a phone rates a returned dossier and files a petition about it; the unit accepts, answers and
publishes; anyone finds the answer on the public page without the sender's contact; the supervisor
sees 766 group 5 with the petitions behind it; a walk-in applicant rates at the kiosk."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.pages.files import pdf_bytes

from .conftest import DESKTOP, PHONE, SHOTS
from .test_journeys import citizen_login, official_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


def _returned(dossier: Any) -> str:
    from motcua.dossiers.services import dossier_perform
    from tests.pages.helpers import actor

    code = dossier.code
    if dossier.status == 1:
        dossier_perform(actor=actor("tiepnhan.viettri"), code=code, action="accept", body={})
    for who, action, body in [("tiepnhan.viettri", "forward", {}), ("chuyenvien.viettri", "forward", {}),
                              ("lanhdao.viettri", "resolve", {"decision": "approved"}),
                              ("tiepnhan.viettri", "return", {})]:
        dossier_perform(actor=actor(who), code=code, action=action, body=body)
    return code


def test_a_citizen_rates_and_petitions_and_the_unit_answers_in_public(people: Any) -> None:
    from tests.pages.helpers import online_dossier

    code = _returned(online_dossier())

    # The citizen, on a phone, rates the returned dossier from its page.
    citizen = people("citizen")
    citizen.page.set_viewport_size(PHONE)
    citizen_login(citizen, "025090000123")
    page = citizen.go(f"/ho-so/{code}/")
    card = page.get_by_test_id("rating-card")
    expect(card).to_contain_text("Đánh giá mức độ hài lòng")
    card.get_by_role("group", name=re.compile("Đánh giá chung")).get_by_label("Hài lòng", exact=True).check()
    card.get_by_role("group", name=re.compile("Thái độ phục vụ")).get_by_label("Rất hài lòng").check()
    card.get_by_role("group", name=re.compile("Thời gian giải quyết")).get_by_label("Hài lòng", exact=True).check()
    card.get_by_role("group", name=re.compile("Hướng dẫn")).get_by_label("Không hài lòng").check()
    card.get_by_label("Góp ý thêm").fill("Hướng dẫn nộp bản chụp giấy chứng sinh chưa rõ.")
    citizen.shot("portal-rating")
    citizen.page.set_viewport_size(PHONE)
    card.screenshot(path=str(SHOTS / "portal-rating-card-phone.png"))
    citizen.submit(card.get_by_role("button", name="Gửi đánh giá"))
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn bạn đã đánh giá")
    expect(page.get_by_test_id("rating-done")).to_contain_text("Bạn đã đánh giá: Hài lòng")

    # …and files a petition about it, with a photo, from the link on the same card.
    citizen.submit(page.get_by_role("link", name="Gửi phản ánh, kiến nghị về hồ sơ này"))
    expect(page.get_by_label("Mã hồ sơ liên quan (nếu có)")).to_have_value(code)
    expect(page.get_by_label("Số điện thoại")).to_have_value("0912345678")
    page.get_by_label("Tiêu đề").fill("Hướng dẫn về lệ phí chứng thực chưa rõ")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Tôi là Nguyễn Văn An (0912345678). Bảng lệ phí tại quầy không ghi rõ mức thu khi sao y nhiều trang.")
    page.get_by_label("Tệp đính kèm", exact=False).set_input_files(
        {"name": "bang-phi.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("bang-phi")})
    citizen.submit(page.get_by_role("button", name="Gửi phản ánh, kiến nghị"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi phản ánh, kiến nghị")
    petition = page.get_by_test_id("petition-code").inner_text()
    assert re.fullmatch(r"PA-260310-\d{4}", petition), petition
    expect(page.get_by_test_id("answer-by")).to_contain_text("Thứ Ba, 31/03/2026")  # 15 working days
    citizen.shot("portal-petition-sent")

    # Reception accepts it from the desk's petition worklist; the specialist answers for the public.
    reception = people("reception")
    desk = official_login(reception, "tiepnhan.viettri")
    reception.submit(desk.get_by_role("link", name="Phản ánh, kiến nghị", exact=True))
    expect(desk.get_by_role("heading", level=1)).to_have_text("Phản ánh, kiến nghị")
    reception.submit(desk.get_by_role("link", name=petition))
    expect(desk.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    expect(desk.get_by_test_id("deadlines")).to_contain_text("Trả lời (15 ngày làm việc)")
    reception.shot("desk-petition")
    reception.submit(desk.get_by_role("button", name="Tiếp nhận", exact=True))
    expect(desk.get_by_test_id("status")).to_have_text("Đang xử lý")

    specialist = people("specialist")
    spage = official_login(specialist, "chuyenvien.viettri")
    specialist.go(desk.url.removeprefix(specialist.base_url))
    spage.get_by_label("Nội dung trả lời").fill("Trung tâm đã niêm yết mức thu sao y theo từng trang tại quầy số 2.")
    spage.get_by_label(re.compile("Công khai câu trả lời")).check()
    specialist.submit(spage.get_by_role("button", name="Gửi trả lời"))
    expect(spage.get_by_test_id("status")).to_have_text("Đã trả lời")

    # The leader sees what will be published (personal data masked) and publishes it.
    leader = people("leader")
    lpage = official_login(leader, "lanhdao.viettri")
    leader.go(desk.url.removeprefix(leader.base_url))
    expect(lpage.get_by_test_id("public-preview")).to_contain_text("Tôi là *** (***)")
    leader.submit(lpage.get_by_role("button", name="Công khai", exact=True))
    expect(lpage.get_by_test_id("status")).to_have_text("Đã công khai")

    # Anyone finds it without diacritics; nothing personal is shown.
    visitor = people("visitor")
    vpage = visitor.go("/phan-anh-kien-nghi/")
    vpage.get_by_label(re.compile("Tìm trong các câu trả lời")).fill("le phi chung thuc")
    visitor.submit(vpage.get_by_role("button", name="Tìm"))
    expect(vpage.get_by_test_id("published-count")).to_contain_text("1 phản ánh")
    visitor.shot("portal-petitions-public")
    visitor.submit(vpage.get_by_role("link", name="Hướng dẫn về lệ phí chứng thực chưa rõ"))
    expect(vpage.get_by_test_id("public-answer")).to_contain_text("niêm yết mức thu sao y")
    body = vpage.locator("main").inner_text()
    for personal in ("Nguyễn Văn An", "0912345678", "an@example.vn"):
        assert personal not in body

    # The citizen sees the answer among their petitions.
    citizen.page.set_viewport_size(PHONE)
    page = citizen.go("/phan-anh-kien-nghi/cua-toi/")
    citizen.submit(page.get_by_role("link", name=petition))
    expect(page.get_by_test_id("answer")).to_contain_text("quầy số 2")

    # The supervisor: 766 group 5 with numerator, denominator and the petitions behind them.
    supervisor = people("supervisor")
    official_login(supervisor, "giamsat.viettri")
    spage = supervisor.go("/bao-cao/chi-so-766/?unit=000.00.31.H45&date_from=2026-03-01&date_to=2026-03-10")
    row = spage.locator('tr[data-indicator="satisfaction.feedback_in_time"]')
    expect(row.locator('[data-cell="numerator"]')).to_have_text(re.compile(r"^1"))
    expect(row.locator('[data-cell="denominator"]')).to_have_text(re.compile(r"^1"))
    sat = spage.locator('tr[data-indicator="satisfaction.satisfaction"]')
    expect(sat.get_by_test_id("parts")).to_contain_text("có phản ánh, kiến nghị")
    supervisor.shot("report-766-satisfaction")
    spage.locator("#group-satisfaction").screenshot(path=str(SHOTS / "report-766-group-5.png"))
    supervisor.submit(row.locator('[data-cell="numerator"] a'))
    expect(spage.get_by_test_id("petitions")).to_contain_text(petition)
    supervisor.page.set_viewport_size(DESKTOP)
    spage = supervisor.go("/bao-cao/?unit=000.00.31.H45&date_from=2026-03-01&date_to=2026-03-10")
    expect(spage.get_by_test_id("satisfaction")).to_contain_text("Trung tâm Phục vụ hành chính công phường Việt Trì")
    supervisor.shot("report-dashboard-satisfaction")


def test_a_walk_in_applicant_rates_at_the_kiosk(people: Any) -> None:
    from tests.pages.helpers import walk_in_dossier

    code = _returned(walk_in_dossier(phone="0901234567"))
    person = people("kiosk")
    page = person.go(f"/danh-gia/?kiosk=000.01.31.H45&ma={code}")
    expect(page.locator(".kiosk")).to_be_visible()
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(code)
    page.get_by_label("4 số cuối điện thoại").fill("4567")
    for group in ("Đánh giá chung", "Thái độ phục vụ", "Thời gian giải quyết", "Hướng dẫn"):
        page.get_by_role("group", name=re.compile(group)).get_by_label("Rất hài lòng").check()
    box = page.get_by_role("group", name=re.compile("Đánh giá chung")).locator(".choice").first.bounding_box()
    assert box is not None and box["height"] >= 60  # a large touch target
    person.shot("kiosk-rating")
    person.submit(page.get_by_role("button", name="Gửi đánh giá"))
    expect(page.get_by_test_id("rated")).to_contain_text(code)
    expect(page.get_by_test_id("kiosk-home")).to_have_attribute("href", "/kiosk/000.01.31.H45/")
    # With JavaScript the page counts down back to the kiosk's home screen; the person may stay.
    expect(page.get_by_test_id("kiosk-return")).to_be_visible()
    page.get_by_role("button", name="Ở lại trang này").click()
    expect(page.get_by_test_id("kiosk-return")).to_be_hidden()
    from motcua.feedback.models import Rating

    assert Rating.objects.get(dossier_code=code).channel == "kiosk"
