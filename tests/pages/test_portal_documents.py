"""The portal with the shared services: the document store in the submission wizard, and
registration and login through motcua.accounts.services."""

from __future__ import annotations

import re
import uuid

import pytest

from motcua.dossiers.models import Attachment, Dossier

from .files import pdf_bytes, png_bytes
from .helpers import actor, field_error, online_dossier, text, upload

pytestmark = pytest.mark.django_db

BASE = "/thu-tuc/1.001193/nop/"


def digitised_paper_of_an() -> Attachment:
    """An earlier dossier of Nguyễn Văn An whose paper form the desk scanned."""
    from motcua.dossiers.services import attachment_add

    earlier = online_dossier()
    return attachment_add(actor=actor("tiepnhan.viettri"), code=earlier.code, document="TK01",
                          filename="to-khai-cu.pdf", chunks=[pdf_bytes("cu")], digitised=True)


def start_wizard(client) -> None:
    r = client.post(BASE, {"phone": "0912345678", "address": "Phường Việt Trì", "receiving_unit": "000.01.31.H45",
                           "result_delivery": "online"})
    assert r.status_code == 302


def test_reuse_a_stored_document_in_the_wizard(client_as, frozen):
    source = digitised_paper_of_an()
    client = client_as("025090000123")
    start_wizard(client)
    html = text(client.get(BASE + "giay-to/"))
    assert "Dùng giấy tờ có sẵn trong kho dữ liệu của bạn (1)" in html
    assert f'value="TK01:{source.id}"' in html and "to-khai-cu.pdf" in html
    # Another citizen's store is their own.
    other = client_as("025195000456")
    start_wizard(other)
    assert "to-khai-cu.pdf" not in text(other.get(BASE + "giay-to/"))
    r = other.post(BASE + "giay-to/", {"reuse": f"TK01:{source.id}"}, follow=True)
    assert "Không tìm thấy giấy tờ này trong kho dữ liệu của bạn" in text(r)

    r = client.post(BASE + "giay-to/", {"reuse": f"TK01:{source.id}"})
    assert r.status_code == 302 and r["Location"] == BASE + "giay-to/"
    html = text(client.get(BASE + "giay-to/"))
    assert f"Đã dùng lại to-khai-cu.pdf từ hồ sơ {source.dossier.code}" in html
    assert re.search(r"<span>to-khai-cu.pdf</span> <span class=\"muted small\">[^<]*dùng lại từ hồ sơ", html)
    assert "đã được chọn" not in html
    client.post(BASE + "giay-to/", {"reuse": f"TK01:{source.id}"})  # twice: kept once
    assert "đã được chọn" in text(client.get(BASE + "giay-to/"))
    for bad in (f"TK01:{uuid.uuid4()}", f"XX01:{source.id}", "rac"):
        r = client.post(BASE + "giay-to/", {"reuse": bad}, follow=True)
        assert "Không tìm thấy giấy tờ này" in text(r)

    # The reused paper counts for its requirement: only the others are missing.
    html = text(client.post(BASE + "giay-to/", {}))
    assert field_error(html, "id_doc_TK01") == "" and "Vui lòng đính kèm" in field_error(html, "id_doc_GT01")
    r = client.post(BASE + "giay-to/", {"doc_GT01": upload("chung-sinh.png", png_bytes()),
                                        "doc_GT04": upload("cccd.png", png_bytes((1, 2, 3)))})
    assert r.status_code == 302
    assert f"dùng lại từ hồ sơ {source.dossier.code}" in text(client.get(BASE + "xem-lai/"))
    r = client.post(BASE + "xem-lai/")
    dossier = Dossier.objects.exclude(pk=source.dossier_id).get()
    assert r["Location"] == f"/ho-so/{dossier.code}/da-nop/"
    reused = dossier.attachments.get(document="TK01")
    assert reused.reused_from_code == source.dossier.code and reused.sha256 == source.sha256
    assert sorted(dossier.attachments.values_list("name", flat=True)) == ["cccd.png", "chung-sinh.png",
                                                                          "to-khai-cu.pdf"]
    assert f"dùng lại từ hồ sơ {source.dossier.code}" in text(client.get(f"/ho-so/{dossier.code}/"))


def test_register_maps_the_services_refusals_to_fields(client_as):
    data = {"id_number": "001199001234", "full_name": "Phạm Thị Hoa", "phone": "0912000111",
            "password": "12345678", "password2": "12345678"}
    r = client_as().post("/dang-ky/", data)
    html = text(r)
    assert r.status_code == 200 and field_error(html, "id_password") != ""  # too common, numbers only
    assert 'value="Phạm Thị Hoa"' in html
    from motcua.accounts.models import User

    assert not User.objects.filter(username="001199001234").exists()
    # Taken: said next to the ID number by citizen_register (409 already_registered).
    html = text(client_as().post("/dang-ky/", {**data, "id_number": "025090000123", "password": "hoa-sen-2026",
                                               "password2": "hoa-sen-2026"}))
    assert field_error(html, "id_id_number") == "Số định danh này đã được đăng ký. Vui lòng đăng nhập."


def test_portal_login_uses_the_shared_lock(client_as, settings):
    settings.MOTCUA = {**settings.MOTCUA, "LOGIN_MAX_FAILURES": 2}
    client = client_as()
    for _ in range(2):
        html = text(client.post("/dang-nhap/", {"username": " 025090000123 ", "password": "sai"}))
        assert field_error(html, "id_password") == "Số định danh hoặc mật khẩu không đúng."
    html = text(client.post("/desk/dang-nhap/", {"username": "025090000123", "password": "motcua-demo"}))
    assert "Đăng nhập sai quá nhiều lần" in html
    r = client_as().post("/dang-nhap/", {"username": "025195000456", "password": "motcua-demo"})
    assert r.status_code == 302 and r["Location"] == "/ho-so/"  # other accounts are not affected
