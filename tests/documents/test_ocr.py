"""A page scanned at the desk is read with Tesseract (Vietnamese) and its text becomes searchable."""

from __future__ import annotations

import io
import os
import shutil

import pytest

from motcua.dossiers.models import Attachment

UNIT = "000.01.31.H45"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def scanned_page(lines: list[str]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1654, 1169), 255)  # A5 landscape at 200 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 64)
    for i, line in enumerate(lines):
        draw.text((120, 150 + i * 130), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def ocr_on(settings):
    if shutil.which("tesseract") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tesseract is not installed (scripts/install-browser.sh installs it)")
        pytest.skip("tesseract is not installed")
    settings.MOTCUA = {**settings.MOTCUA, "OCR": "on"}


@pytest.mark.django_db(transaction=True)
def test_a_scanned_page_is_recognised_and_searchable(catalogue, api, ocr_on):
    desk = api("tiepnhan.viettri")
    code = desk.post("/dossiers", {"procedure": "1.001193", "channel": "direct", "receiving_unit": UNIT,
                                   "applicant": {"name": "Nguyễn Văn An"}}).json()["code"]
    other = desk.post("/dossiers", {"procedure": "1.001193", "channel": "direct", "receiving_unit": UNIT,
                                    "applicant": {"name": "Trần Thị Bình"}}).json()["code"]
    page = scanned_page(["GIẤY CHỨNG SINH", "Họ tên mẹ: Lê Thị Hồng", "Cân nặng: 3200 gam"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = desk.upload(f"/dossiers/{code}/attachments", {
        "document": "GT01", "digitised": "true",
        "file": SimpleUploadedFile("chung-sinh.png", page, content_type="image/png")})
    assert r.status_code == 201, r.content
    text = Attachment.objects.get(pk=r.json()["id"]).ocr_text
    assert "CHỨNG SINH" in text.upper()
    assert "3200" in text
    found = desk.get("/dossiers", q="chung sinh").json()
    assert [d["code"] for d in found["items"]] == [code]
    assert other not in [d["code"] for d in desk.get("/dossiers", q="cân nặng").json()["items"]]
    assert code in [d["code"] for d in desk.get("/dossiers", q="cân nặng").json()["items"]]


@pytest.mark.django_db
def test_citizen_uploads_are_not_recognised(catalogue, api, settings):
    """OCR is for documents digitised at the desk; nothing runs for ordinary uploads."""
    settings.MOTCUA = {**settings.MOTCUA, "OCR": "on"}
    citizen = api("025090000123")
    code = citizen.post("/dossiers", {"procedure": "1.001193", "channel": "online",
                                      "receiving_unit": UNIT}).json()["code"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = citizen.upload(f"/dossiers/{code}/attachments", {
        "document": "GT01", "file": SimpleUploadedFile("a.png", scanned_page(["KHAI SINH"]), content_type="image/png")})
    assert r.status_code == 201, r.content
    assert Attachment.objects.get(pk=r.json()["id"]).ocr_text == ""
