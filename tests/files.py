"""Small real files for upload tests."""

from __future__ import annotations

import io


def pdf_bytes(text: str = "motcua") -> bytes:
    """A valid one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
