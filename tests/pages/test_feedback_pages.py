"""Ratings and petitions on the pages, through the Django test client: the rating card and the
QR/kiosk page, the petition form with attachments, the sender's follow-up, the public answers, and
the desk's worklist, petition page and rates per unit."""

from __future__ import annotations

import re
from typing import Any

import pytest

from motcua.feedback.models import Petition, PetitionAttachment, Rating
from motcua.feedback.services import Contact, petition_create, petition_perform

from .files import TEXT, pdf_bytes
from .helpers import actor, field_error, online_dossier, text, upload, walk_in_dossier

pytestmark = pytest.mark.django_db

LEVELS = {"overall": "satisfied", "attitude": "very_satisfied", "timeliness": "satisfied", "clarity": "dissatisfied"}
VIETTRI = "000.01.31.H45"


def returned(dossier: Any) -> str:
    from motcua.dossiers.services import dossier_perform

    code = dossier.code
    if dossier.status == 1:
        dossier_perform(actor=actor("tiepnhan.viettri"), code=code, action="accept", body={})
    for who, action, body in [("tiepnhan.viettri", "forward", {}), ("chuyenvien.viettri", "forward", {}),
                              ("lanhdao.viettri", "resolve", {"decision": "approved"}),
                              ("tiepnhan.viettri", "return", {})]:
        dossier_perform(actor=actor(who), code=code, action=action, body=body)
    return code


# -- ratings ----------------------------------------------------------------------------------------


def test_the_applicant_rates_from_the_dossier_page(client_as: Any) -> None:
    code = returned(online_dossier())
    client = client_as("025090000123")
    html = text(client.get(f"/ho-so/{code}/"))
    assert 'data-testid="rating-card"' in html and "Đánh giá mức độ hài lòng" in html
    r = client.post("/danh-gia/", {"ma": code, "next": "dossier", **LEVELS, "comment": "Nhanh gọn"})
    assert r.status_code == 302 and r["Location"] == f"/ho-so/{code}/"
    html = text(client.get(f"/ho-so/{code}/"))
    assert "Bạn đã đánh giá: Hài lòng" in html and "Cảm ơn bạn đã đánh giá" in html
    rating = Rating.objects.get(dossier_code=code)
    assert (rating.channel, rating.comment, rating.clarity) == ("portal", "Nhanh gọn", "dissatisfied")
    assert {o.official.username for o in rating.officials.select_related("official")} == {
        "tiepnhan.viettri", "chuyenvien.viettri", "lanhdao.viettri"}
    # A second rating is refused and says why.
    r = client.post("/danh-gia/", {"ma": code, **LEVELS})
    assert r.status_code == 409 and "đã được đánh giá" in text(r)


def test_no_rating_card_before_the_result(client_as: Any) -> None:
    dossier = online_dossier()
    assert 'data-testid="rating-card"' not in text(client_as("025090000123").get(f"/ho-so/{dossier.code}/"))


def test_the_qr_page_asks_for_the_phone_digits(client_as: Any) -> None:
    code = returned(walk_in_dossier(phone="0901234567"))
    client = client_as()
    html = text(client.get("/danh-gia/", {"ma": code}))
    assert f'value="{code}"' in html and "4 số cuối điện thoại" in html
    r = client.post("/danh-gia/", {"ma": code, "so": "1111", **LEVELS})
    assert r.status_code == 404 and "Không tìm thấy hồ sơ" in text(r)
    r = client.post("/danh-gia/", {"ma": code, "so": "4567", "overall": "great"})
    assert r.status_code == 400 and field_error(text(r), "id_overall") and field_error(text(r), "id_attitude")
    assert not Rating.objects.exists()
    r = client.post("/danh-gia/", {"ma": code, "so": "4567", **LEVELS})
    assert r.status_code == 200 and 'data-testid="rated"' in text(r)
    assert Rating.objects.get(dossier_code=code).channel == "qr"


def test_an_unfinished_dossier_cannot_be_rated(client_as: Any) -> None:
    dossier = walk_in_dossier(phone="0901234567")
    r = client_as().post("/danh-gia/", {"ma": dossier.code, "so": "4567", **LEVELS})
    assert r.status_code == 409 and "chưa giải quyết xong" in text(r)


def test_the_kiosk_page_has_large_targets_and_goes_back_to_the_kiosk(client_as: Any) -> None:
    code = returned(walk_in_dossier(phone="0901234567"))
    client = client_as()
    html = text(client.get("/danh-gia/", {"kiosk": VIETTRI}))
    assert 'class="kiosk"' in html and 'name="kiosk" value="000.01.31.H45"' in html
    assert 'href="/kiosk/000.01.31.H45/"' in html and "site-nav" not in html
    r = client.post("/danh-gia/", {"kiosk": VIETTRI, "ma": code, "so": "4567", **LEVELS})
    html = text(r)
    assert r.status_code == 200 and 'data-return-to="/kiosk/000.01.31.H45/" data-return-after="10"' in html
    assert 'data-testid="kiosk-home"' in html
    rating = Rating.objects.get(dossier_code=code)
    assert (rating.channel, rating.kiosk) == ("kiosk", VIETTRI)
    # Anything but a centre's code is no kiosk (and never a redirect elsewhere).
    for bad in ("https://example.com", "000.00.31.H45", "000.99.99.H99"):
        assert 'class="kiosk"' not in text(client.get("/danh-gia/", {"kiosk": bad}))


# -- petitions on the portal ------------------------------------------------------------------------

FORM = {"category": "procedure", "unit": VIETTRI, "title": "Đề nghị niêm yết lệ phí", "content": "Không thấy bảng "
        "lệ phí tại quầy.", "name": "Phạm Thị Hoa", "phone": "0912 000 111", "email": "hoa@example.vn"}


def test_anyone_files_a_petition_with_attachments(client_as: Any, frozen: None) -> None:
    client = client_as()
    html = text(client.get("/phan-anh-kien-nghi/gui/"))
    assert "Gửi phản ánh, kiến nghị" in html and 'enctype="multipart/form-data"' in html
    r = client.post("/phan-anh-kien-nghi/gui/", {**FORM, "attachments": [upload("bang-phi.pdf", pdf_bytes("phi"))]})
    assert r.status_code == 302 and r["Location"] == "/phan-anh-kien-nghi/da-gui/"
    html = text(client.get(r["Location"]))
    p = Petition.objects.get()
    assert p.code in html and "Thứ Ba, 31/03/2026 lúc 09:00" in html  # 15 working days from Tue 10/3 09:00
    assert (p.contact_phone, p.sender_id, p.channel) == ("0912000111", None, "portal")
    assert [a.name for a in PetitionAttachment.objects.all()] == ["bang-phi.pdf"]


def test_a_refused_attachment_creates_nothing(client_as: Any) -> None:
    r = client_as().post("/phan-anh-kien-nghi/gui/", {**FORM, "attachments": [upload("ghi-chu.txt", TEXT)]})
    assert r.status_code == 415 and field_error(text(r), "id_attachments")
    assert 'value="Đề nghị niêm yết lệ phí"' in text(r)  # what was typed stays
    assert not Petition.objects.exists() and not PetitionAttachment.objects.exists()


def test_bad_petition_fields_are_explained(client_as: Any) -> None:
    r = client_as().post("/phan-anh-kien-nghi/gui/", {**FORM, "phone": "12", "title": "", "unit": ""})
    html = text(r)
    assert r.status_code == 400
    for field in ("id_phone", "id_title", "id_unit"):
        assert field_error(html, field), field


def test_a_petition_about_a_dossier_is_prefilled(client_as: Any) -> None:
    code = returned(online_dossier())
    html = text(client_as("025090000123").get("/phan-anh-kien-nghi/gui/", {"ho-so": code}))
    assert f'value="{code}"' in html and 'value="Nguyễn Văn An"' in html
    assert re.search(r'<option value="000.01.31.H45" selected>', html)
    assert re.search(r'value="dossier"[^>]*checked', html)


def test_the_sender_follows_and_answers_a_request_for_information(client_as: Any) -> None:
    p = petition_create(actor=actor("025195000456").__class__(user=None), category="other", title="Hỏi về lệ phí",
                        content="Nội dung", unit_code=VIETTRI, contact=Contact(name="Lê Hồng", phone="0977000111"))
    petition_perform(actor=actor("tiepnhan.viettri"), petition_id=p.pk, action="request-info",
                     body={"note": "Xin cho biết ngày nộp hồ sơ."})
    client = client_as()
    r = client.get("/phan-anh-kien-nghi/tra-cuu/", {"ma": p.code, "so": "0000"})
    assert r.status_code == 404
    html = text(client.get("/phan-anh-kien-nghi/tra-cuu/", {"ma": p.code.lower(), "so": "0111"}))
    assert "Đề nghị bổ sung thông tin" in html and "Xin cho biết ngày nộp hồ sơ." in html
    r = client.post("/phan-anh-kien-nghi/tra-cuu/", {"ma": p.code, "so": "0111", "note": "Ngày 2/3/2026.",
                                                    "attachments": [upload("bien-lai.pdf", pdf_bytes("bl"))]})
    assert r.status_code == 302
    assert [e.action for e in p.events.all()] == ["create", "request-info", "provide-info"]
    assert p.attachments.count() == 1


def test_a_citizen_sees_their_own_petitions(client_as: Any) -> None:
    p = petition_create(actor=actor("025090000123"), category="other", title="Kiến nghị của An", content="Nội dung",
                        unit_code=VIETTRI)
    html = text(client_as("025090000123").get("/phan-anh-kien-nghi/cua-toi/"))
    assert p.code in html and "Kiến nghị của An" in html
    assert client_as("025195000456").get(f"/phan-anh-kien-nghi/cua-toi/{p.pk}/").status_code == 404


def test_the_public_page_shows_published_answers_without_personal_data(client_as: Any) -> None:
    p = petition_create(actor=actor("025090000123"), category="procedure", title="Lệ phí chứng thực bản sao",
                        content="Tôi là Nguyễn Văn An, điện thoại 0912345678, đề nghị niêm yết lệ phí.",
                        unit_code=VIETTRI)
    for who, action, body in [("tiepnhan.viettri", "accept", {}),
                              ("chuyenvien.viettri", "answer", {"answer": "Đã niêm yết tại quầy 2.", "public": True})]:
        petition_perform(actor=actor(who), petition_id=p.pk, action=action, body=body)
    client = client_as()
    assert p.code not in text(client.get("/phan-anh-kien-nghi/"))  # answered, not yet published
    desk = client_as("lanhdao.viettri")
    page = text(desk.get(f"/desk/phan-anh-kien-nghi/{p.pk}/"))
    assert 'data-testid="public-preview"' in page and "Tôi là ***, điện thoại ***" in page
    assert desk.post(f"/desk/phan-anh-kien-nghi/{p.pk}/thao-tac/publish/", {"publish-x": ""}).status_code == 302
    for q in ("le phi chung thuc", "LỆ PHÍ", "niem yet"):
        html = text(client.get("/phan-anh-kien-nghi/", {"q": q}))
        assert p.code in html, q
    html = text(client.get(f"/phan-anh-kien-nghi/cong-khai/{p.code}/"))
    assert "Đã niêm yết tại quầy 2." in html
    for personal in ("0912345678", "Nguyễn Văn An", "an@example.vn"):
        assert personal not in html
    assert p.code not in text(client.get("/phan-anh-kien-nghi/", {"q": "0912345678"}))


# -- the desk ---------------------------------------------------------------------------------------


def test_the_desk_worklist_marks_overdue_and_acts(client_as: Any, frozen: None) -> None:
    from datetime import timedelta

    from .conftest import NOW

    late = petition_create(actor=actor("tiepnhan.viettri").__class__(user=None), category="other",
                           title="Cũ quá hạn", content="Nội dung", unit_code=VIETTRI,
                           contact=Contact(name="Lê Hồng", phone="0977000111"), at=NOW - timedelta(days=7))
    fresh = petition_create(actor=actor("tiepnhan.viettri").__class__(user=None), category="other",
                            title="Mới gửi", content="Nội dung", unit_code=VIETTRI,
                            contact=Contact(name="Lê Hồng", phone="0977000111"))
    desk = client_as("tiepnhan.viettri")
    html = text(desk.get("/desk/phan-anh-kien-nghi/"))
    assert 'data-list="qua-han"' in html and late.code in html and fresh.code not in html  # overdue first
    assert "Quá hạn" in html
    html = text(desk.get("/desk/phan-anh-kien-nghi/", {"ds": "cho-phan-loai"}))
    assert late.code in html and fresh.code in html
    page = text(desk.get(f"/desk/phan-anh-kien-nghi/{fresh.pk}/"))
    assert "Tiếp nhận xử lý" in page and "Từ chối tiếp nhận" in page and "0977000111" in page
    r = desk.post(f"/desk/phan-anh-kien-nghi/{fresh.pk}/thao-tac/refuse/", {"refuse-reason": ""})
    assert r.status_code == 400 and field_error(text(r), "id_refuse-reason")
    assert desk.post(f"/desk/phan-anh-kien-nghi/{fresh.pk}/thao-tac/accept/").status_code == 302
    r = desk.post(f"/desk/phan-anh-kien-nghi/{fresh.pk}/thao-tac/answer/",
                  {"answer-answer": "Trả lời chi tiết.", "answer-public": "on"})
    assert r.status_code == 302
    fresh.refresh_from_db()
    assert (fresh.status, fresh.public, fresh.answer) == ("answered", True, "Trả lời chi tiết.")
    # Wrong state: refused with the reason, nothing changes.
    r = desk.post(f"/desk/phan-anh-kien-nghi/{fresh.pk}/thao-tac/accept/")
    assert r.status_code == 409
    # Other units' officials do not see it; citizens are not officials.
    assert client_as("tiepnhan.vinhyen").get(f"/desk/phan-anh-kien-nghi/{fresh.pk}/").status_code == 404
    assert client_as("025090000123").get("/desk/phan-anh-kien-nghi/").status_code == 403


def test_supervisors_see_rates_per_unit(client_as: Any) -> None:
    from motcua.feedback.services import rating_submit

    code = returned(walk_in_dossier(phone="0901234567"))
    rating_submit(actor=actor("tiepnhan.viettri").__class__(user=None), code=code, overall="dissatisfied",
                  criteria={"attitude": "satisfied", "timeliness": "satisfied", "clarity": "satisfied"}, verify="4567",
                  channel="qr")
    html = text(client_as("giamsat.viettri").get("/desk/phan-anh-kien-nghi/"))
    row = re.search(r'<tr data-unit="000.01.31.H45">(.*?)</tr>', html, re.S)
    assert row and re.search(r'data-cell="satisfaction">0%<', row.group(1))
    assert 'data-testid="unit-rates"' not in text(client_as("tiepnhan.viettri").get("/desk/phan-anh-kien-nghi/"))
