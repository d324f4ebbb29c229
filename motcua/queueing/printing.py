"""The ticket as a PDF for an 80 mm thermal printer (WeasyPrint), with the QR code that follows the
wait; the kiosk prints the same ticket from its page with the print stylesheet."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from motcua.core import clock

from .models import Ticket

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def follow_url(ticket: Ticket) -> str:
    """The public page of the ticket's place in the queue (printed as a QR code)."""
    base = str(settings.MOTCUA.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/so-thu-tu/{ticket.token}/"


def qr_svg_uri(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def ticket_context(ticket: Ticket, waiting_before: int) -> dict[str, Any]:
    url = follow_url(ticket)
    return {"t": ticket, "centre": ticket.centre, "area": ticket.area, "issued": clock.local(ticket.issued_at),
            "waiting_before": waiting_before, "follow_url": url, "qr": qr_svg_uri(url)}


def ticket_pdf(ticket: Ticket, waiting_before: int) -> bytes:
    """One page 80 mm wide: the centre, the number in large type, the area, the time, the people
    waiting before, and the QR code."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("queueing/ticket_print.html", ticket_context(ticket, waiting_before))
    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()  # type: ignore[no-any-return]
