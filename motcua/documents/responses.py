"""A stored file sent as it is, for every interface that lets someone download one."""

from __future__ import annotations

from django.http import FileResponse

from .storage import open_stored

# What a browser may show in place rather than save (`inline`).
VIEWABLE = frozenset({"application/pdf", "image/jpeg", "image/png"})


def stored_file_response(sha256: str, content_type: str, filename: str, *, inline: bool = False) -> FileResponse:
    """The exact bytes of a stored file under its name: saved, or shown in the browser with `inline`
    when it is a PDF or an image. The browser may not guess another type (nosniff); the SHA-256 lets
    the receiver check what it got."""
    shown = inline and content_type in VIEWABLE
    response = FileResponse(open_stored(sha256).open("rb"), content_type=content_type, as_attachment=not shown,
                            filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = sha256
    return response
