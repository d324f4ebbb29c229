"""Pieces every citizen page uses: who is asking, error mapping, staged uploads, the lookup limit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from motcua.accounts.models import UserKind
from motcua.accounts.selectors import Actor
from motcua.accounts.web import form_error as form_error
from motcua.accounts.web import kind_required, request_actor
from motcua.calendar.selectors import work_calendar
from motcua.catalog.models import ProcedureVersion
from motcua.core import clock
from motcua.core.errors import RateLimited
from motcua.core.ratelimit import count_hit
from motcua.documents.storage import iter_stored, open_stored, store_stream
from motcua.dossiers.services import attachment_add
from motcua.dossiers.services.timing import limit_for

LOGIN_URL = "/dang-nhap/"

# Shared with the other page interfaces (motcua.accounts.web); kept under these names here.
actor_of = request_actor

# Citizens only: anonymous visitors go to the login page, officials get a 403 page.
citizen_required = kind_required(UserKind.CITIZEN, LOGIN_URL, "portal/not_citizen.html")


def expected_due(version: ProcedureVersion, channel: str, unit_id: int | None = None,
                 at: datetime | None = None) -> datetime:
    """When the result would be due if the dossier were received now (the working calendar and the
    procedure's limit, the same functions the services use)."""
    cal = work_calendar(unit_id)
    start = cal.normalise_receipt(clock.local(at or clock.now()), version.cutoff_time)
    amount, unit = limit_for(version, channel)
    return cal.due_at(start, amount, unit)  # type: ignore[arg-type]


def public_lookup_allowed(request: HttpRequest) -> None:
    """The public lookup budget per address and minute, shared with the API's lookup."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"lookup:{address}:{clock.now():%Y%m%d%H%M}"
    count = count_hit(key, timeout=120)
    if count > int(settings.MOTCUA["PUBLIC_LOOKUPS_PER_MINUTE"]):
        raise RateLimited("rate_limited", _("Quá nhiều lượt tra cứu; vui lòng thử lại sau một phút."))


# --- staged uploads: files checked and stored before the dossier exists ------------------------

def stage_file(upload: UploadedFile) -> dict[str, Any]:
    """Check and store one uploaded file (type by content, size, not empty); DomainError if refused.
    Returns what the session keeps to attach it later."""
    stored = store_stream(upload.chunks())
    return {"sha256": stored.sha256, "name": (upload.name or "tep")[:255], "size": stored.size,
            "content_type": stored.content_type}


def staged_available(item: dict[str, Any]) -> bool:
    return bool(open_stored(str(item["sha256"])).exists())


def attach_staged(*, actor: Actor, code: str, document: str, item: dict[str, Any], at: datetime | None = None) -> None:
    attachment_add(actor=actor, code=code, document=document, filename=str(item["name"]),
                   chunks=iter_stored(str(item["sha256"])), at=at)
