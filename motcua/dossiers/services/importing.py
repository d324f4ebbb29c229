"""Import of historical dossiers, replayed through the same services as live ones: each event's
body is the input of its action in the registry (`registry.action_input`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor, system_actor
from motcua.core.errors import DomainError, Forbidden, ValidationFailed

from .create import ApplicantData, dossier_create
from .registry import dossier_perform


def _parse_dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        result = value
    else:
        try:
            result = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationFailed("invalid_datetime", _("Thời điểm không đúng định dạng ISO 8601.")) from exc
    if result.tzinfo is None:
        raise ValidationFailed("datetime_without_offset", _("Thời điểm phải có múi giờ (ví dụ +07:00)."))
    return result


def _reason(exc: DomainError) -> str:
    """The error's message, with what the input's validation found (which field, why)."""
    errors = exc.details.get("errors") or []
    found = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in errors[:3])
    return f"{exc.message} ({found})" if found else exc.message


def _fail(index: int, event_index: int | None, reason: str, code: str | None = None) -> ValidationFailed:
    details: dict[str, Any] = {"index": index, "event_index": event_index, "reason": reason}
    if code:
        details["error"] = code
    return ValidationFailed("invalid_import", f"Hồ sơ thứ {index + 1} không hợp lệ: {reason}", details=details)


@transaction.atomic
def dossier_import(*, actor: Actor, items: list[dict[str, Any]]) -> list[str]:
    """All or nothing: the first impossible history refuses the whole batch."""
    if not actor.is_admin:
        raise Forbidden("forbidden", _("Chỉ quản trị viên được nhập hồ sơ."))
    if len(items) > 1000:
        raise ValidationFailed("too_many_items", _("Mỗi lần nhập tối đa 1.000 hồ sơ."))
    users: dict[str, Actor] = {}
    codes: list[str] = []
    for index, item in enumerate(items):
        codes.append(_import_one(index, item, actor, users))
    return codes


def _actor(username: str | None, default: Actor, cache: dict[str, Actor], index: int, event_index: int) -> Actor:
    if not username:
        return system_actor(default.user)
    if username not in cache:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise _fail(index, event_index, f"unknown actor {username!r}")
        cache[username] = system_actor(user)
    return cache[username]


def _import_one(index: int, item: dict[str, Any], actor: Actor, users: dict[str, Actor]) -> str:
    channel = item.get("channel")
    try:
        submitted = _parse_dt(item.get("submitted_at") or item.get("received_at"))
        if channel in {"direct", "postal"}:
            if not item.get("received_at"):
                raise _fail(index, None, "received_at is required for direct and postal dossiers")
            created_at = _parse_dt(item["received_at"])
        else:
            created_at = submitted
        raw = item.get("applicant") or {}
        if not isinstance(raw, dict):
            raise _fail(index, None, "applicant must be an object")
        applicant = ApplicantData(
            name=str(raw.get("name") or ""), id_number=str(raw.get("id_number") or ""),
            phone=str(raw.get("phone") or ""), email=str(raw.get("email") or ""),
            address=str(raw.get("address") or ""),
        )
        importer = system_actor(actor.user)
        dossier = dossier_create(
            actor=importer, procedure_code=str(item.get("procedure") or ""), channel=str(channel or ""),
            receiving_unit_code=str(item.get("receiving_unit") or ""), applicant=applicant,
            form_data=item.get("form_data") or {}, sets=int(item.get("sets") or 1),
            result_delivery=str(item.get("result_delivery") or "desk"), at=created_at,
            handling_unit_code=item.get("handling_unit"),
        )
    except DomainError as exc:
        if exc.code == "invalid_import":
            raise
        raise _fail(index, None, exc.message, exc.code) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise _fail(index, None, f"malformed dossier: {exc}") from exc
    events = item.get("events") or []
    if not isinstance(events, list):
        raise _fail(index, None, "events must be a list")
    previous: datetime = created_at
    for event_index, event in enumerate(events):
        try:
            if not isinstance(event, dict):
                raise _fail(index, event_index, "an event must be an object")
            at = _parse_dt(event.get("at"))
            if at < previous:
                raise _fail(index, event_index, "events must be in time order")
            previous = at
            body = {k: v for k, v in event.items() if k not in {"at", "action", "actor"}}
            dossier_perform(actor=_actor(event.get("actor"), actor, users, index, event_index), code=dossier.code,
                            action=str(event.get("action") or ""), body=body, at=at)
        except DomainError as exc:
            if exc.code == "invalid_import":
                raise
            raise _fail(index, event_index, _reason(exc), exc.code) from exc
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise _fail(index, event_index, f"malformed event: {exc}") from exc
    return dossier.code
