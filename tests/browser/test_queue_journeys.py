"""The queue in a real browser (Chromium), every page checked with axe-core: people take tickets at
the kiosk (a 1080×1920 touch screen), the official calls them from the counter at the desk, and the
board on a TV (1920×1080) shows them without a reload and reads them aloud; the kiosk goes back to
its home screen when nobody touches it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import SHOTS
from .test_journeys import official_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

CENTRE = "000.01.31.H45"
KIOSK = {"width": 1080, "height": 1920}
TV = {"width": 1920, "height": 1080}

# The board's voice is recorded instead of spoken (headless Chromium has no voices).
RECORD_SPEECH = """
window.__said = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = function (u) { window.__said.push(u.text + '|' + u.lang); };
}
"""


def _take(person: Any, service: str) -> str:
    page = person.page
    person.submit(page.get_by_test_id(f"take-{service}"))
    number = page.locator(".ticket-number").inner_text()
    return number


def test_tickets_taken_at_the_kiosk_are_called_at_the_desk_and_shown_on_the_board(people: Any) -> None:
    from motcua.demo.queue import seed_queue_setup

    seed_queue_setup()
    kiosk = people("kiosk")
    kiosk.page.set_viewport_size(KIOSK)
    page = kiosk.go(f"/kiosk/{CENTRE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào! Bạn cần làm gì?")
    box = page.get_by_test_id("take-ho-tich").bounding_box()
    assert box is not None and box["height"] >= 100 and box["width"] >= 600  # large touch targets
    page.screenshot(path=str(SHOTS / "kiosk-home.png"), full_page=False)
    assert _take(kiosk, "ho-tich") == "A001"
    expect(page.get_by_test_id("waiting-before")).to_have_text("Có 0 người chờ trước bạn")
    expect(page.get_by_role("button", name="In phiếu")).to_be_visible()
    page.screenshot(path=str(SHOTS / "kiosk-ticket.png"), full_page=False)
    kiosk.submit(page.get_by_test_id("kiosk-home"))
    assert _take(kiosk, "ho-tich") == "A002"
    expect(page.get_by_test_id("waiting-before")).to_have_text("Có 1 người chờ trước bạn")
    kiosk.submit(page.get_by_test_id("kiosk-home"))
    assert _take(kiosk, "dat-dai-xay-dung") == "B001"

    board = people("board")
    board.page.set_viewport_size(TV)
    board.page.add_init_script(RECORD_SPEECH)
    tv = board.go(f"/bang-goi-so/{CENTRE}/")
    expect(tv.get_by_text("Chưa có số nào được mời.")).to_be_visible()
    expect(tv.locator('[data-area="ho-tich"] .board-count')).to_have_text("2")
    voice = tv.get_by_role("button", name="Đọc số bằng giọng nói")
    voice.click()
    expect(voice).to_have_attribute("aria-pressed", "true")

    desk = people("desk")
    official_login(desk, "tiepnhan.viettri")
    counter = desk.go("/desk/quay/")
    expect(counter.get_by_test_id("counter-waiting")).to_contain_text("2 người đang chờ")
    desk.submit(counter.get_by_role("button", name="Mời số tiếp theo"))
    expect(counter.get_by_test_id("counter-current")).to_contain_text("A001")
    desk.shot("desk-counter")

    # The board follows without a reload (htmx asks every 3 seconds) and reads the call aloud.
    expect(tv.locator(".board-latest .board-number")).to_have_text("A001")
    expect(tv.locator(".board-latest .board-counter")).to_have_text("Quầy 1")
    expect(tv.locator('[data-area="ho-tich"] .board-count')).to_have_text("1")
    board.audit()
    tv.wait_for_function("window.__said.length > 0")
    assert tv.evaluate("window.__said") == ["Mời khách hàng có số A, không, không, một, đến Quầy 1|vi-VN"]
    tv.screenshot(path=str(SHOTS / "board-tv.png"), full_page=False)

    # One tap each: recall (read aloud again), done, then the next number.
    desk.submit(counter.get_by_role("button", name="Mời lại"))
    tv.wait_for_function("window.__said.length > 1")
    desk.submit(counter.get_by_role("button", name="Xong"))
    expect(counter.get_by_role("status")).to_contain_text("Đã phục vụ xong số A001")
    desk.submit(counter.get_by_role("button", name="Mời số tiếp theo"))
    expect(counter.get_by_test_id("counter-current")).to_contain_text("A002")
    expect(tv.locator(".board-latest .board-number")).to_have_text("A002")
    expect(tv.locator(".board-number")).to_have_count(1)
    board.audit()
    # A new ticket shows in the counter's queue without a reload (htmx asks every 10 seconds).
    expect(counter.get_by_test_id("counter-waiting")).to_contain_text("0 người đang chờ")
    kiosk.go(f"/kiosk/{CENTRE}/")
    assert _take(kiosk, "kinh-doanh") == "C001"
    expect(counter.get_by_test_id("counter-waiting")).to_contain_text("1 người đang chờ")
    desk.audit()


def test_the_kiosk_goes_home_by_itself(people: Any, settings: Any) -> None:
    from motcua.demo.queue import seed_queue_setup

    seed_queue_setup()
    settings.MOTCUA = {**settings.MOTCUA, "KIOSK_IDLE_SECONDS": 6}
    kiosk = people("kiosk")
    kiosk.page.set_viewport_size(KIOSK)
    page = kiosk.go(f"/kiosk/{CENTRE}/")
    kiosk.submit(page.get_by_role("link", name="Thủ tục hành chính"))
    page.get_by_label("Tìm thủ tục").fill("khai sinh")
    kiosk.submit(page.get_by_role("button", name="Tìm"))
    expect(page.get_by_test_id("kiosk-procedures")).to_contain_text(re.compile("khai sinh", re.I))
    kiosk.submit(page.get_by_test_id("kiosk-procedures").get_by_role("link").first)
    expect(page.get_by_role("heading", level=2, name="Thành phần hồ sơ")).to_be_visible()
    # A warning first, which lets the person stay…
    expect(page.get_by_role("timer")).to_be_visible()
    kiosk.audit()
    page.get_by_role("button", name="Tiếp tục sử dụng").click()
    expect(page.get_by_role("timer")).to_be_hidden()
    # …then, untouched, back to the home screen.
    page.wait_for_url(re.compile(rf"/kiosk/{re.escape(CENTRE)}/$"), timeout=15_000)
    kiosk.audit()


def test_the_supervisor_reads_waiting_and_serving_times(people: Any) -> None:
    from motcua.demo.queue import seed_queue_setup, seed_queue_tickets

    seed_queue_setup()
    seed_queue_tickets()
    supervisor = people("supervisor")
    official_login(supervisor, "giamsat.viettri")
    page = supervisor.go("/bao-cao/")
    supervisor.submit(page.get_by_role("link", name="Thời gian chờ tại Trung tâm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thời gian chờ và phục vụ tại Trung tâm")
    expect(page.get_by_test_id("queue-centre")).to_contain_text("phường Việt Trì")
    expect(page.get_by_test_id("queue-counter")).to_contain_text("Quầy 1")
    supervisor.shot("report-queue-times")


def test_at_the_kiosk_a_scanned_receipt_leads_to_the_dossier_and_its_rating(people: Any) -> None:
    from motcua.demo.queue import seed_queue_setup
    from tests.browser.test_feedback_journeys import _returned
    from tests.pages.helpers import walk_in_dossier

    seed_queue_setup()
    code = _returned(walk_in_dossier(phone="0901234567"))
    kiosk = people("kiosk")
    kiosk.page.set_viewport_size(KIOSK)
    page = kiosk.go(f"/kiosk/{CENTRE}/")
    # A scanner types the whole address held by the QR code of Mẫu 01.
    page.get_by_label("Mã hồ sơ hoặc quét mã QR").fill(f"http://127.0.0.1:8000/tra-cuu/?ma={code}")
    page.get_by_label("4 số cuối điện thoại").fill("4567")
    kiosk.submit(page.get_by_role("button", name="Tra cứu"))
    expect(page.get_by_test_id("lookup-result")).to_contain_text(code)
    kiosk.submit(page.get_by_test_id("lookup-result").get_by_role("link", name="Đánh giá mức độ hài lòng"))
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(code)
    expect(page.locator(".kiosk")).to_be_visible()

    # The QR code printed on a ticket leads to its place in the queue, on a phone.
    kiosk.go(f"/kiosk/{CENTRE}/")
    _take(kiosk, "kinh-doanh")
    from motcua.queueing.models import Ticket

    ticket = Ticket.objects.get(number="C001")
    phone = people("phone")
    phone.page.set_viewport_size({"width": 390, "height": 844})
    follow = phone.go(f"/so-thu-tu/{ticket.token}/")
    expect(follow.get_by_test_id("ticket-status")).to_contain_text("Có 0 người chờ trước bạn")
