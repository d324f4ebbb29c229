"""Pieces every desk page uses: who is asking, error mapping, staged uploads.

The desk and the portal are independent interfaces (import-linter), so the few helpers both need
are small and kept in each; the rules behind them live in the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from motcua.accounts.models import UserKind
from motcua.accounts.selectors import Actor
from motcua.accounts.web import form_error as form_error
from motcua.accounts.web import kind_required, request_actor
from motcua.documents.storage import iter_stored, open_stored, store_stream
from motcua.dossiers.services import attachment_add

LOGIN_URL = "/desk/dang-nhap/"

# Shared with the other page interfaces (motcua.accounts.web); kept under these names here.
actor_of = request_actor

# Officials only: anonymous visitors go to the desk login, citizens get a 403 page.
official_required = kind_required(UserKind.OFFICIAL, LOGIN_URL, "desk/forbidden.html")


def stage_file(upload: UploadedFile) -> dict[str, Any]:
    """Check and store a file before its dossier exists (kept server-side across a form error)."""
    stored = store_stream(upload.chunks())
    return {"sha256": stored.sha256, "name": (upload.name or "tep")[:255], "size": stored.size,
            "content_type": stored.content_type}


def staged_available(item: dict[str, Any]) -> bool:
    return bool(open_stored(str(item["sha256"])).exists())


def attach_staged(*, actor: Actor, code: str, document: str, item: dict[str, Any], at: datetime | None = None) -> None:
    attachment_add(actor=actor, code=code, document=document, filename=str(item["name"]),
                   chunks=iter_stored(str(item["sha256"])), digitised=True, at=at)
