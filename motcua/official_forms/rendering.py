"""Rendering the official forms: Django templates to PDF with WeasyPrint, the tracking book to
Excel with openpyxl, the QR code with segno. Nothing here reads the database."""

from __future__ import annotations

import io
import logging
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string

from motcua.core.clock import local
from motcua.core.errors import DomainError

from . import formatting
from .data import FormData, ReceiptSlip, TrackingBook
from .versions import FormSet, form_set_for

# WeasyPrint logs every rendering step at INFO; keep the server log for our own messages.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class FormNotApplicable(DomainError):
    status = 409
    code = "form_not_applicable"


# Mẫu 01 is made in two copies (liên), one kept with the dossier and one given to the applicant.
RECEIPT_COPIES = ("Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả", "Liên 2: Giao cho tổ chức, cá nhân nộp hồ sơ")


def qr_data_uri(url: str) -> str:
    """An SVG QR code (UTF-8 announced with ECI) as a data URI for an <img>."""
    import segno

    return segno.make(url, eci=True, error="m").svg_data_uri(scale=4, border=2)


def _url_fetcher() -> Any:
    """The forms embed everything (the QR code is a data: URI), so nothing else is ever fetched:
    no file or network access even if a value ever looked like a URL."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def render_form_html(form: str, data: FormData, form_set: FormSet) -> str:
    template = form_set.template(form)
    if template is None:
        raise FormNotApplicable("form_not_applicable", "Biểu mẫu này không áp dụng cho hồ sơ.",
                                details={"form": form, "form_set": form_set.key})
    context: dict[str, Any] = {"f": data, "form": form, "form_set": form_set}
    if isinstance(data, ReceiptSlip):
        context["qr"] = qr_data_uri(data.lookup_url)
        context["rating_qr"] = qr_data_uri(data.rating_url) if data.rating_url else ""
        context["copies"] = RECEIPT_COPIES
    return render_to_string(template, context)


def render_form_pdf(form: str, data: FormData, *, form_set: FormSet | None = None, on: date | None = None) -> bytes:
    """The PDF of one form. The set is given, or chosen by the date `on` (default: the header's
    issue date)."""
    from weasyprint import HTML

    if form_set is None:
        form_set = form_set_for(on or local(data.header.issued_at).date())
    html = render_form_html(form, data, form_set)
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()  # type: ignore[no-any-return]


BOOK_COLUMNS = [
    "TT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên tổ chức, cá nhân",
    "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết", "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả cho tổ chức, cá nhân", "Ký nhận", "Ghi chú",
]


def _naive(value: datetime | None) -> datetime | None:
    return local(value).replace(tzinfo=None) if value else None


def tracking_book_xlsx(book: TrackingBook) -> bytes:
    """Mẫu 06 as an Excel workbook: the same rows as the PDF, dates as real date-time cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    agency = book.header.agency
    ws.append([formatting.vn_upper(agency.parent_name)] if agency.parent_name else [""])
    ws.append([formatting.vn_upper(agency.name)])
    ws.append(["SỔ THEO DÕI HỒ SƠ"])
    ws.append([f"Từ ngày {formatting.date_short(book.period_from)} đến ngày {formatting.date_short(book.period_to)}"
               f" — Quyển số {book.book_number}"])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(BOOK_COLUMNS)
    bold = Font(bold=True)
    thin = Side(style="thin")
    for cell in ws[header_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in book.rows:
        ws.append([
            row.number, row.code, row.procedure, row.sets, row.applicant, row.address_phone, row.handling_unit,
            _naive(row.received_at), _naive(row.due_at), _naive(row.sent_at), _naive(row.result_back_at),
            _naive(row.returned_at), "", row.note,
        ])
        for cell in ws[ws.max_row]:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
    widths = [5, 26, 40, 9, 24, 30, 28, 16, 16, 16, 16, 16, 10, 24]
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for cell in (ws["A1"], ws["A2"], ws["A3"]):
        cell.font = bold
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
