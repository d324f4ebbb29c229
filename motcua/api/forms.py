"""The official forms: Mẫu 01–05 of a dossier and the tracking book (Mẫu 06) of a unit, as files."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from motcua.core import clock
from motcua.dossiers.official_form_data import RenderedFile, dossier_form_pdf, tracking_book_file

from .common import AUTH, actor_of
from .schemas import Error

router = Router(tags=["forms"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}


def _file_response(rendered: RenderedFile, *, inline: bool) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{rendered.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


PDF = {200: {"description": "PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
BOOK = {200: {"description": "PDF or Excel", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
}}}


@router.get("/dossiers/{code}/forms/{form}", response={200: None, **ERRORS}, auth=AUTH,
            openapi_extra={"responses": PDF}, summary="Mẫu 01–05 of a dossier as PDF")
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """`mau-01` … `mau-05` (Circular 01/2018/TT-VPCP); a form that does not apply → 409
    `form_not_applicable`; an unknown form → 404."""
    return _file_response(dossier_form_pdf(actor=actor_of(request), code=code, form=form), inline=True)


@router.get("/units/{code}/tracking-book", response={200: None, **ERRORS}, auth=AUTH,
            openapi_extra={"responses": BOOK}, summary="Mẫu 06 — tracking book of a unit")
def unit_tracking_book(request: HttpRequest, code: str, date_from: date | None = Query(None, alias="from"),
                       date_to: date | None = Query(None, alias="to"), format: str = "pdf") -> HttpResponse:
    """Dossiers received by the unit from `from` to `to` (whole days, Vietnam time; default: this
    month up to today) as `format=pdf` (A4 landscape) or `xlsx`. Officials of the unit, of a unit
    above it (supervisors, leaders) and administrators."""
    today = clock.today()
    start = date_from or today.replace(day=1)
    end = date_to or (today if start <= today else start)
    rendered = tracking_book_file(actor=actor_of(request), unit_code=code, date_from=start, date_to=end,
                                  fmt=format.strip().lower())
    return _file_response(rendered, inline=rendered.content_type == "application/pdf")
