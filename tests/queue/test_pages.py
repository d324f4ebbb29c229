"""The queue's pages without a browser: the kiosk (take a ticket, its print and PDF, lookup by a
scanned QR code, procedures), the ticket's public page, the board and the counter at the desk."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from motcua.queueing.models import Ticket

from .conftest import CENTRE

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="motcua-demo")
    return client


def _take(client: Client, service: str = "ho-tich") -> Ticket:
    r = client.post(f"/kiosk/{CENTRE}/lay-so/", {"service": service})
    assert r.status_code == 302, r.content
    return Ticket.objects.order_by("-id").first()  # type: ignore[return-value]


def test_the_kiosk_gives_a_printable_ticket(queue_setup: None, catalogue: None) -> None:
    kiosk = Client()
    r = kiosk.get(f"/kiosk/{CENTRE}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Hộ tịch, chứng thực" in html and "Lấy số thứ tự" in html
    assert f'data-kiosk-home="/kiosk/{CENTRE}/"' in html and 'data-kiosk-idle="60"' in html
    assert f"/danh-gia/?kiosk={CENTRE}" in html
    _take(kiosk)
    r = kiosk.post(f"/kiosk/{CENTRE}/lay-so/", {"service": "ho-tich"}, follow=True)
    ticket = Ticket.objects.order_by("-id").first()
    assert ticket is not None and ticket.number == "A002"
    html = r.content.decode()
    assert "A002" in html and "Có 1 người chờ trước bạn" in html and "data:image/svg+xml" in html
    assert "data-autoprint" not in html
    pdf = kiosk.get(f"/so-thu-tu/{ticket.token}/in.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    import io

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80  # 80 mm thermal paper
    assert "A002" in page.extract_text()
    follow = kiosk.get(f"/so-thu-tu/{ticket.token}/").content.decode()
    assert "Có 1 người chờ trước bạn" in follow and 'hx-trigger="every 30s"' in follow
    assert kiosk.get("/so-thu-tu/not-a-token/").status_code == 404
    assert kiosk.get("/kiosk/000.00.31.H45/").status_code == 404  # a commune, not a centre
    r = kiosk.post(f"/kiosk/{CENTRE}/lay-so/", {"service": "nope"})
    assert r.status_code == 400 and "không có khu vực" in r.content.decode()


def test_the_kiosk_may_print_each_ticket_at_once(queue_setup: None, settings: Any) -> None:
    settings.MOTCUA = {**settings.MOTCUA, "KIOSK_AUTO_PRINT": True}
    r = Client().post(f"/kiosk/{CENTRE}/lay-so/", {"service": "ho-tich"}, follow=True)
    ticket = Ticket.objects.get()
    assert f'data-autoprint="{ticket.token}"' in r.content.decode()


def test_the_kiosk_looks_a_dossier_up_from_the_scanned_qr_code(queue_setup: None, catalogue: None) -> None:
    from tests.pages.helpers import walk_in_dossier

    d = walk_in_dossier()
    phone = d.applicant_phone[-4:]
    kiosk = Client()
    scanned = f"http://127.0.0.1:8000/tra-cuu/?ma={d.code}"
    r = kiosk.get(f"/kiosk/{CENTRE}/tra-cuu/", {"ma": scanned, "so": phone})
    assert r.status_code == 200
    assert d.code in r.content.decode() and 'data-testid="lookup-result"' in r.content.decode()
    r = kiosk.get(f"/kiosk/{CENTRE}/tra-cuu/", {"ma": "x" * 60, "so": phone})
    assert r.status_code == 400 and "Không đọc được mã hồ sơ" in r.content.decode()
    r = kiosk.get(f"/kiosk/{CENTRE}/thu-tuc/", {"q": "khai sinh"})
    assert r.status_code == 200 and "khai sinh" in r.content.decode().lower()
    link = re.search(rf'href="(/kiosk/{re.escape(CENTRE)}/thu-tuc/[^"/]+/)"', r.content.decode())
    assert link is not None
    r = kiosk.get(link.group(1))
    assert r.status_code == 200 and "Thành phần hồ sơ" in r.content.decode()


def test_the_desk_calls_and_the_board_shows(queue_setup: None, catalogue: None, api: Any) -> None:
    kiosk = Client()
    first, second = _take(kiosk), _take(kiosk, "kinh-doanh")
    desk = _login("tiepnhan.viettri")
    page = desk.get("/desk/quay/").content.decode()
    assert "Quầy 1" in page and "2 người đang chờ" in page
    quay1 = first.area.counters.get(name="Quầy 1").pk
    r = desk.post(f"/desk/quay/{quay1}/goi-tiep/", follow=True)
    html = r.content.decode()
    assert "Đang mời số A001" in html and 'class="counter-number">A001' in html
    board = Client().get(f"/bang-goi-so/{CENTRE}/")
    text = board.content.decode()
    assert board["Cache-Control"] == "no-store"
    assert 'hx-trigger="every 3s"' in text and '<noscript><meta http-equiv="refresh"' in text
    assert re.search(r'board-number">A001</td><td class="board-counter">Quầy 1', text)
    assert "Mời khách hàng có số A, không, không, một, đến Quầy 1" in text
    counter_id = Ticket.objects.get(pk=first.pk).counter_id
    r = desk.post(f"/desk/quay/{counter_id}/so/{first.pk}/done/", {"dossier": "000.01.31.H45-260101-9999"},
                  follow=True)
    assert "Không tìm thấy hồ sơ" in r.content.decode()
    r = desk.post(f"/desk/quay/{counter_id}/so/{first.pk}/transfer/", {"service": "dat-dai-xay-dung"}, follow=True)
    assert "Đã chuyển số A001" in r.content.decode()
    # The next call is C001 (A001 now waits in area B, which counter 1 does not serve).
    r = desk.post(f"/desk/quay/{counter_id}/goi-tiep/", follow=True)
    assert "Đang mời số C001" in r.content.decode()
    # A dossier received at the desk while C001 is served is linked to it.
    from motcua.dossiers.models import Dossier

    url = "/desk/tiep-nhan/1.001193/"
    draft = re.search(r'name="draft" value="([0-9a-f-]{36})"', desk.get(url).content.decode()).group(1)  # type: ignore[union-attr]
    r = desk.post(url, {"draft": draft, "receiving_unit": CENTRE, "channel": "direct", "name": "Trần Văn Bình",
                        "phone": "0912345678", "sets": "1", "result_delivery": "desk", "got_TK01": "on",
                        "got_GT01": "on", "got_GT04": "on"})
    assert r.status_code == 302, r.content.decode()[:3000]
    code = Dossier.objects.get().code
    assert Ticket.objects.get(number="C001").dossier_code == code
    assert f"/desk/ho-so/{code}/" in desk.get("/desk/quay/").content.decode()
    r = desk.post(f"/desk/quay/{counter_id}/so/{second.pk}/done/", follow=True)
    assert "Đã phục vụ xong số C001" in r.content.decode()
    # Another official may not work this counter.
    assert _login("tiepnhan.vinhyen").post(f"/desk/quay/{counter_id}/goi-tiep/").status_code == 404


def test_the_admin_keeps_counters_within_their_centre(queue_setup: None) -> None:
    from motcua.accounts.models import User
    from motcua.queueing.admin import CounterForm
    from motcua.queueing.models import Area
    from motcua.units.models import Unit

    centre = Unit.objects.get(code=CENTRE)
    other = Area.objects.get(centre__code="000.01.32.H45", code="ho-tich")
    form = CounterForm({"centre": centre.pk, "name": "Quầy 9", "areas": [other.pk],
                        "officials": [User.objects.get(username="tiepnhan.vinhyen").pk], "is_active": True})
    assert not form.is_valid()
    assert "areas" in form.errors and "officials" in form.errors
    admin = _login("admin")
    assert admin.get("/admin/queueing/counter/add/").status_code == 200
    assert admin.get("/admin/queueing/ticket/").status_code == 200
