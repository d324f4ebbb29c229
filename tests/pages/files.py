"""Small real files for page and browser tests (no network, made on the fly)."""

from __future__ import annotations

import io


def pdf_bytes(title: str = "motcua") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(colour: tuple[int, int, int] = (11, 79, 138)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(out, format="PNG")
    return out.getvalue()


TEXT = b"This is plain text, not a document.\n"
