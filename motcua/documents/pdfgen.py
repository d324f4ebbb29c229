"""PDFs made here: a result or a refusal letter from a simple template (WeasyPrint, Vietnamese in
Liberation Serif with DejaVu Serif as fallback), and scanned page images gathered into one PDF."""

from __future__ import annotations

import io
import logging
import warnings
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from motcua.core.errors import UnsupportedType, ValidationFailed

from .sniff import DEFAULT_MAX_IMAGE_PIXELS


def render_template_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf())


def render_result(context: dict[str, Any]) -> bytes:
    """The result document of an approved dossier. Context: see `templates/documents/result.html`."""
    return render_template_pdf("documents/result.html", context)


def render_refusal(context: dict[str, Any]) -> bytes:
    """The letter refusing a dossier at the approval step (with the reason)."""
    return render_template_pdf("documents/refusal.html", context)


MAX_PAGES = 200


def images_to_pdf(images: list[IO[bytes]], *, resolution: float = 200.0) -> bytes:
    """JPEG/PNG page images (in order) → one PDF, one page per image, orientation from EXIF."""
    from PIL import Image, ImageOps

    if not images:
        raise ValidationFailed("no_pages", _("Vui lòng chọn ít nhất một ảnh trang tài liệu."))
    if len(images) > MAX_PAGES:
        raise ValidationFailed("too_many_pages", _("Tối đa %(count)s trang một lần quét.") % {"count": MAX_PAGES})
    limit = int(settings.MOTCUA.get("MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))
    pages = []
    try:
        for index, source in enumerate(images):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", Image.DecompressionBombWarning)
                    image = Image.open(source)
                    if image.format not in {"JPEG", "PNG"}:
                        raise UnsupportedType("unsupported_type", _("Chỉ ghép được ảnh JPEG hoặc PNG."),
                                              details={"page": index + 1})
                    if image.size[0] * image.size[1] > limit:
                        raise UnsupportedType("unsupported_type", _("Ảnh có kích thước điểm ảnh quá lớn."),
                                              details={"page": index + 1})
                    upright = ImageOps.exif_transpose(image)
                    pages.append(upright.convert("L" if upright.mode in {"1", "L", "LA"} else "RGB"))
            except UnsupportedType:
                raise
            except Exception as exc:
                raise UnsupportedType("unsupported_type", _("Ảnh trang tài liệu bị hỏng hoặc không đọc được."),
                                      details={"page": index + 1}) from exc
        out = io.BytesIO()
        pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=resolution)
        return out.getvalue()
    finally:
        for page in pages:
            page.close()
