"""The renderer alone: formatting rules, the form-set registry, page sizes, fonts, Vietnamese text."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pytest

from motcua.core.clock import VN_TZ
from motcua.official_forms import formatting
from motcua.official_forms.rendering import FormNotApplicable, qr_data_uri, render_form_html, render_form_pdf
from motcua.official_forms.samples import sample_forms
from motcua.official_forms.versions import FORM_SETS, TT01_2018, FormSet, form_set_for

from .conftest import pdf_page_size_mm, pdf_pages, pdf_text


def test_time_words_pad_day_and_months_1_2_only() -> None:
    assert formatting.time_words(datetime(2026, 2, 5, 8, 5, tzinfo=VN_TZ)) == "08 giờ 05 phút, ngày 05 tháng 02 năm 2026"
    assert formatting.time_words(datetime(2026, 11, 25, 14, 30, tzinfo=VN_TZ)) == "14 giờ 30 phút, ngày 25 tháng 11 năm 2026"
    assert formatting.date_words(date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert formatting.place_date("Phú Thọ", date(2026, 1, 12)) == "Phú Thọ, ngày 12 tháng 01 năm 2026"


def test_times_are_printed_in_vietnam_time() -> None:
    from zoneinfo import ZoneInfo

    utc = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("UTC"))  # 06:30 on 3 March in Vietnam
    assert formatting.time_short(utc) == "06:30 03/03/2026"
    assert formatting.time_words(utc) == "06 giờ 30 phút, ngày 03 tháng 3 năm 2026"
    assert formatting.date_short(utc) == "03/03/2026"


def test_outcome_labels() -> None:
    assert [formatting.outcome_label(x) for x in ("early", "on_time", "late", "", None)] == [
        "Trước hạn", "Đúng hạn", "Quá hạn", "", ""]


def test_form_set_by_effective_date_keeps_old_dossiers_on_their_set() -> None:
    assert FORM_SETS[0] is TT01_2018
    assert form_set_for(date(2026, 3, 2)) is TT01_2018
    assert form_set_for(date(2018, 12, 1)) is TT01_2018  # before the first set: the first set
    new = FormSet("tt03-2025", "Thông tư 03/2025/TT-VPCP", date(2026, 7, 1), {"mau-01": "mau_01.html"})
    sets = (TT01_2018, new)
    assert form_set_for(date(2026, 6, 30), sets) is TT01_2018
    assert form_set_for(date(2026, 7, 1), sets) is new
    assert new.template("mau-04") is None


def test_a_form_left_out_of_a_set_does_not_apply() -> None:
    data = sample_forms()["mau-04"]
    partial = FormSet("partial", "x", date(2030, 1, 1), {"mau-01": "mau_01.html"})
    with pytest.raises(FormNotApplicable) as exc:
        render_form_html("mau-04", data, partial)
    assert exc.value.status == 409 and exc.value.code == "form_not_applicable"


@pytest.mark.parametrize("form,size", [
    ("mau-01", (148, 210)), ("mau-02", (148, 210)), ("mau-03", (148, 210)), ("mau-04", (148, 210)),
    ("mau-05", (148, 210)), ("mau-06", (297, 210)),
])
def test_page_size_motto_and_vietnamese(form: str, size: tuple[int, int]) -> None:
    pdf = render_form_pdf(form, sample_forms()[form])
    assert pdf.startswith(b"%PDF")
    assert pdf_page_size_mm(pdf) == size
    first = pdf_pages(pdf)[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Phú Thọ, ngày" in first
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Liberation-Serif" in f or "DejaVu-Serif" in f for f in fonts), fonts


def test_receipt_has_two_copies_and_the_qr_of_the_lookup_url() -> None:
    data = sample_forms()["mau-01"]
    html = render_form_html("mau-01", data, TT01_2018)
    assert qr_data_uri(data.lookup_url) in html
    pages = pdf_pages(render_form_pdf("mau-01", data))
    assert len(pages) == 2
    assert "(Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả)" in pages[0]
    assert "(Liên 2: Giao cho tổ chức, cá nhân nộp hồ sơ)" in pages[1]


def test_qr_changes_with_the_url() -> None:
    import segno

    url = "http://127.0.0.1:8000/tra-cuu/?code=000.01.31.H45-260302-0007"
    assert qr_data_uri(url) == segno.make(url, eci=True, error="m").svg_data_uri(scale=4, border=2)
    assert qr_data_uri(url) != qr_data_uri(url.replace("0007", "0008"))


def test_user_text_is_escaped_not_markup() -> None:
    data = sample_forms()["mau-03"]
    data = replace(data, reason='<img src="file:///etc/passwd"> Thiếu tờ khai & giấy tờ')
    text = pdf_text(render_form_pdf("mau-03", data))
    assert '<img src="file:///etc/passwd"> Thiếu tờ khai & giấy tờ' in text
