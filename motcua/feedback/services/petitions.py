"""Petitions (phản ánh, kiến nghị): filing one with or without an account, and the unit's actions
on it through the state table of `feedback.domain`, each with its event and audit row in one
transaction on the locked petition."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from motcua.accounts import domain as accounts_domain
from motcua.accounts.models import Membership, Role
from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.calendar.selectors import work_calendar
from motcua.core import clock
from motcua.core.errors import Conflict, DomainError, Forbidden, NotFound, RateLimited, TooLarge, ValidationFailed
from motcua.core.ratelimit import count_hit
from motcua.core.text import fold, nfc
from motcua.documents.storage import Staged, publish, stage
from motcua.units.models import Unit
from motcua.units.selectors import unit_get_by_code

from .. import domain
from ..models import Petition, PetitionAttachment, PetitionCounter, PetitionEvent
from ..ports import dossier_facts

HANDLING_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.LEADER)
TITLE_MAX = 255
CONTENT_MAX = 10_000
ANSWER_MAX = 20_000


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Upload:
    """A file as it arrives: its name and its bytes in chunks."""

    filename: str
    chunks: Iterable[bytes]


def _conf(name: str, default: int) -> int:
    return int(str(settings.MOTCUA.get(name, default)))


# -- filing -----------------------------------------------------------------------------------------


def petition_rate_check(*, address: str, phone: str, now: datetime | None = None) -> None:
    """The CAPTCHA-free limit on filing: so many petitions an hour from one address, and a day for
    one contact phone (configurable). The phone is hashed before it becomes a cache key."""
    now = now or clock.now()
    per_address = _conf("PETITIONS_PER_HOUR_PER_ADDRESS", 120)
    per_contact = _conf("PETITIONS_PER_DAY_PER_CONTACT", 30)
    if count_hit(f"pakn:addr:{address}:{now:%Y%m%d%H}", timeout=3700) > per_address:
        raise RateLimited("rate_limited", _("Quá nhiều phản ánh gửi từ địa chỉ này; vui lòng thử lại sau."),
                          details={"limit": per_address, "per": "hour"})
    digits = accounts_domain.normalise_phone(phone or "")
    if digits:
        key = hashlib.sha256(digits.encode()).hexdigest()[:32]
        if count_hit(f"pakn:contact:{key}:{now:%Y%m%d}", timeout=90_000) > per_contact:
            raise RateLimited("rate_limited", _("Số điện thoại này đã gửi quá nhiều phản ánh trong ngày."),
                              details={"limit": per_contact, "per": "day"})


def _text(value: str | None, field: str, limit: int, *, required: bool = True) -> str:
    text = nfc((value or "").strip())
    if required and not text:
        raise ValidationFailed(f"{field}_required", _("Vui lòng nhập %(field)s.") % {"field": _field_name(field)},
                               details={"field": field})
    if len(text) > limit:
        raise ValidationFailed("text_too_long", _("%(field)s tối đa %(n)s ký tự.") % {"field": _field_name(field),
                                                                                        "n": limit},
                               details={"field": field, "max_length": limit})
    return text


def _field_name(field: str) -> str:
    names = {"title": _("tiêu đề"), "content": _("nội dung"), "reason": _("lý do"), "note": _("nội dung"),
             "answer": _("nội dung trả lời"), "contact.name": _("họ tên người gửi")}
    return str(names.get(field, field))


def _contact(actor: Actor, contact: Contact | None) -> Contact:
    """The sender's contact; a citizen's account fills what is left empty."""
    given = contact or Contact()
    user = actor.user if actor.is_citizen else None
    name = nfc((given.name or (user.full_name if user else "")).strip())
    phone = accounts_domain.normalise_phone(given.phone or (user.phone if user else ""))
    email = (given.email or (user.email if user else "")).strip()
    if not name:
        raise ValidationFailed("contact_name_required", _("Vui lòng nhập họ tên người gửi."),
                               details={"field": "contact.name"})
    if len(name) > 255:
        raise ValidationFailed("text_too_long", _("Họ tên tối đa 255 ký tự."), details={"field": "contact.name"})
    if not phone or accounts_domain.phone_problem(phone):
        raise ValidationFailed("invalid_phone", _("Số điện thoại không hợp lệ (ví dụ 0912345678)."),
                               details={"field": "contact.phone"})
    if accounts_domain.email_problem(email):
        raise ValidationFailed("invalid_email", _("Địa chỉ thư điện tử không hợp lệ."), details={"field": "contact.email"})
    return Contact(name=name, phone=phone, email=email)


def next_petition_code(day: Any) -> str:
    """`PA-<yyMMdd>-<NNNN>`: one counter per day, incremented by an upsert that keeps the row locked
    until the petition's transaction commits (consecutive numbers, never two alike)."""
    table = PetitionCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last", [day])
        number = cursor.fetchone()[0]
    return f"PA-{day:%y%m%d}-{number:04d}"


def _stage_all(files: Sequence[Upload]) -> list[tuple[Upload, Staged]]:
    """Check every file (type by content, size, viruses) before anything is written; a refused file
    leaves nothing behind."""
    max_files = _conf("PETITION_MAX_FILES", 5)
    if len(files) > max_files:
        raise ValidationFailed("too_many_files", _("Gửi tối đa %(n)s tệp đính kèm.") % {"n": max_files},
                               details={"field": "files", "max_files": max_files})
    staged: list[tuple[Upload, Staged]] = []
    total = 0
    limit = _conf("MAX_DOSSIER_BYTES", 100 * 1024 * 1024)
    try:
        for upload in files:
            try:
                item = stage(upload.chunks)
            except DomainError as exc:  # name the file and the form field it came from
                exc.details = {**exc.details, "field": "files", "file": upload.filename}
                exc.message = f"{upload.filename}: {exc.message}"
                raise
            staged.append((upload, item))
            total += item.size
            if total > limit:
                raise TooLarge("petition_too_large", _("Tổng dung lượng tệp đính kèm vượt quá giới hạn."),
                               details={"max_bytes": limit})
    except BaseException:
        for _upload, item in staged:
            item.discard()
        raise
    return staged


def _attach(petition: Petition, actor: Actor, staged: list[tuple[Upload, Staged]],
            at: datetime) -> list[PetitionAttachment]:
    """Publish the checked files and write their rows (inside the petition's transaction)."""
    rows = []
    for upload, item in staged:
        publish(item)
        name = "".join(c for c in nfc(upload.filename or "") if c.isprintable() and c not in "/\\").strip(" .")
        row = PetitionAttachment.objects.create(petition=petition, name=(name or "tep")[:255], size=item.size,
                                                sha256=item.sha256, content_type=item.content_type,
                                                uploaded_by=actor.user, uploaded_at=at)
        audit_record(actor=actor, action="petition.attach", obj=row, at=at,
                     data={"petition": petition.code, "sha256": item.sha256, "size": item.size})
        rows.append(row)
    return rows


def petition_create(*, actor: Actor, category: str, title: str, content: str, unit_code: str,
                    dossier_code: str | None = None, contact: Contact | None = None, files: Sequence[Upload] = (),
                    channel: str = "api", at: datetime | None = None) -> Petition:
    """File a petition with a unit; its deadlines come from the unit's working calendar."""
    if category not in domain.CATEGORIES:
        raise ValidationFailed("invalid_category", _("Loại phản ánh không hợp lệ."),
                               details={"field": "category", "allowed": list(domain.CATEGORIES)})
    title = _text(title, "title", TITLE_MAX)
    content = _text(content, "content", CONTENT_MAX)
    code = (dossier_code or "").strip()
    facts = dossier_facts(code) if code else None
    if code and facts is None:
        raise ValidationFailed("unknown_dossier", _("Không có hồ sơ mã %(code)s.") % {"code": code},
                               details={"field": "dossier", "dossier": code})
    if (unit_code or "").strip():
        unit = unit_get_by_code((unit_code or "").strip())
    elif facts is not None:  # about a dossier: the unit that handles it is the competent one
        unit = Unit.objects.get(pk=facts.handling_unit_id)
    else:
        raise ValidationFailed("unit_required", _("Vui lòng chọn cơ quan, đơn vị nhận phản ánh."),
                               details={"field": "unit"})
    person = _contact(actor, contact)
    staged = _stage_all(files)
    at = at or clock.now()
    try:
        with transaction.atomic():
            deadlines = domain.deadlines_from(work_calendar(unit.pk), at)
            petition = Petition.objects.create(
                code=next_petition_code(clock.local(at).date()), category=category, title=title, content=content,
                unit=unit, dossier_code=code, sender=actor.user if actor.is_citizen else None,
                contact_name=person.name, contact_phone=person.phone, contact_email=person.email, channel=channel,
                received_at=at, decide_by=deadlines.decide_by, info_by=deadlines.info_by,
                answer_by=deadlines.answer_by, current_deadline=deadlines.decide_by)
            _event(petition, actor, "create", "", at, data={"channel": channel})
            _attach(petition, actor, staged, at)
    finally:
        for _upload, item in staged:
            item.discard()
    return petition


# -- the unit's actions -----------------------------------------------------------------------------


def _event(petition: Petition, actor: Actor, action: str, from_status: str, at: datetime, *, note: str = "",
           data: dict[str, Any] | None = None) -> PetitionEvent:
    user = actor.user
    unit_id = petition.unit_id if user is not None and petition.unit_id in actor.roles_by_unit else None
    event = PetitionEvent.objects.create(
        petition=petition, at=at, action=action, from_status=from_status, to_status=petition.status, actor=user,
        actor_name=(user.full_name or user.username) if user else ("Hệ thống" if actor.system else ""),
        actor_unit_id=unit_id, note=note, data=data or {})
    audit_record(actor=actor, action=f"petition.{action}", obj=petition, at=at,
                 data={"code": petition.code, "from": from_status, "to": petition.status})
    return event


def may_handle(actor: Actor, unit_id: int) -> bool:
    """Reception, specialists and leaders of the petition's unit act on it (and the system)."""
    return actor.system or any(actor.has_role(role, unit_id) for role in HANDLING_ROLES)


def is_sender(actor: Actor, petition: Petition) -> bool:
    return actor.user is not None and petition.sender_id == actor.user.pk


def _lock(petition_id: int, expected_version: int | None) -> Petition:
    petition = Petition.objects.select_for_update().filter(pk=petition_id).first()
    if petition is None:
        raise NotFound("not_found", _("Không tìm thấy phản ánh, kiến nghị."))
    if expected_version is not None and petition.row_version != expected_version:
        raise Conflict("stale_petition", _("Phản ánh vừa được người khác cập nhật; vui lòng tải lại."),
                       details={"current_version": petition.row_version})
    return petition


def times_of(p: Petition) -> domain.PetitionTimes:
    return domain.PetitionTimes(
        decide_by=p.decide_by, info_by=p.info_by, answer_by=p.answer_by, publish_by=p.publish_by, public=p.public,
        info_requested_at=p.info_requested_at, accepted_at=p.accepted_at, refused_at=p.refused_at,
        answered_at=p.answered_at, published_at=p.published_at)


def petition_perform(*, actor: Actor, petition_id: int, action: str, body: dict[str, Any] | None = None,
                     verify: str | None = None, at: datetime | None = None,
                     expected_version: int | None = None) -> Petition:
    """One action on a petition: `accept`, `refuse` [reason], `request-info` [note], `answer`
    [answer, public], `publish`, `transfer` [unit] by the unit's reception, specialists and leaders;
    `provide-info` [note] by the sender (their account, or the last 4 digits of the contact phone).
    A wrong state → 409 `invalid_transition`."""
    if action not in domain.ACTIONS:
        raise NotFound("unknown_action", _("Không có thao tác %(action)s.") % {"action": action},
                       details={"action": action, "known": list(domain.ACTIONS)})
    body = body or {}
    at = at or clock.now()
    with transaction.atomic():
        p = _lock(petition_id, expected_version)
        if action in domain.SENDER_ACTIONS:
            if not (is_sender(actor, p) or (verify is not None and domain.phone_matches(p.contact_phone, verify))):
                raise Forbidden("forbidden", _("Chỉ người gửi phản ánh được bổ sung thông tin."))
        elif not may_handle(actor, p.unit_id):
            raise Forbidden("forbidden", _("Chỉ cán bộ của đơn vị tiếp nhận phản ánh được xử lý phản ánh này."))
        public = bool(body.get("public")) if action == "answer" else p.public
        try:
            target = domain.next_petition_status(p.status, action, public=public)
        except domain.PetitionTransitionError as exc:
            raise Conflict("invalid_transition", _("Không thể thực hiện thao tác này ở trạng thái hiện tại của phản "
                                                   "ánh."), details={"action": action, "status": p.status}) from exc
        before = p.status
        note, data = _apply(p, actor, action, body, at)
        p.status = target
        p.current_deadline = domain.owed_deadline(times_of(p))
        p.closed_at = domain.closed_at(times_of(p))
        p.row_version += 1
        p.save()
        _event(p, actor, action, before, at, note=note, data=data)
    return p


def _apply(p: Petition, actor: Actor, action: str, body: dict[str, Any], at: datetime) -> tuple[str, dict[str, Any]]:
    """The change of one action on the locked row; returns the event's note and data."""
    if action == "accept":
        p.accepted_at = at
        return "", {}
    if action == "refuse":
        p.refusal_reason = _text(body.get("reason"), "reason", CONTENT_MAX)
        p.refused_at = at
        return p.refusal_reason, {}
    if action == "request-info":
        p.info_request = _text(body.get("note"), "note", CONTENT_MAX)
        p.info_requested_at = at
        return p.info_request, {}
    if action == "provide-info":
        return _text(body.get("note"), "note", CONTENT_MAX), {}
    if action == "answer":
        public = body.get("public", False)
        if not isinstance(public, bool):
            raise ValidationFailed("invalid_public", _("public phải là true hoặc false."), details={"field": "public"})
        p.answer = _text(body.get("answer"), "answer", ANSWER_MAX)
        p.public = public
        p.answered_at = at
        p.answered_by = actor.user
        p.publish_by = domain.publish_deadline(work_calendar(p.unit_id), at) if public else None
        return "", {"public": public}
    if action == "publish":
        p.published_at = at
        names = [p.contact_name]
        p.public_title = domain.redact(p.title, names)
        p.public_content = domain.redact(p.content, names)
        p.public_answer = domain.redact(p.answer, names)
        p.public_search = fold(" ".join((p.code, p.public_title, p.public_content, p.public_answer)))
        return "", {}
    # transfer: to the competent unit; the deadlines keep counting from the receipt
    target = unit_get_by_code(str(body.get("unit") or "").strip())
    if target.pk == p.unit_id:
        raise ValidationFailed("same_unit", _("Phản ánh đã ở đơn vị này."), details={"field": "unit"})
    if not Membership.objects.filter(unit=target, role__in=HANDLING_ROLES).exists():
        raise ValidationFailed("unit_without_officials", _("Đơn vị này chưa có cán bộ tiếp nhận, xử lý phản ánh."),
                               details={"field": "unit", "unit": target.code})
    note = _text(body.get("note"), "note", CONTENT_MAX, required=False)
    data = {"from_unit": p.unit.code, "to_unit": target.code}
    p.unit = target
    return note, data


def petition_attachment_add(*, actor: Actor, petition_id: int, upload: Upload, verify: str | None = None,
                            at: datetime | None = None) -> PetitionAttachment:
    """Another file: by the sender while the petition waits for its decision, or by an official of
    its unit until it is final."""
    at = at or clock.now()
    staged = _stage_all([upload])
    try:
        with transaction.atomic():
            p = _lock(petition_id, None)
            sender = is_sender(actor, p) or (verify is not None and domain.phone_matches(p.contact_phone, verify))
            if sender and not may_handle(actor, p.unit_id):
                if p.status not in {"received", "info_requested"}:
                    raise Conflict("invalid_transition", _("Phản ánh đã được phân loại; không gửi thêm tệp được."),
                                   details={"status": p.status})
            elif not may_handle(actor, p.unit_id):
                raise Forbidden("forbidden", _("Bạn không có quyền đính kèm tệp vào phản ánh này."))
            elif p.status in domain.FINAL_STATUSES:
                raise Conflict("invalid_transition", _("Phản ánh đã kết thúc."), details={"status": p.status})
            row = _attach(p, actor, staged, at)[0]
    finally:
        for _upload, item in staged:
            item.discard()
    return row
