"""Creating a dossier: code, pinned procedure version, receipt at the desk or online submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from motcua.accounts import domain as accounts_domain
from motcua.accounts.domain import id_number_problem
from motcua.accounts.models import Role, User, UserKind
from motcua.accounts.selectors import Actor
from motcua.catalog.selectors import procedure_current_version
from motcua.core import clock
from motcua.core.errors import Forbidden, ValidationFailed
from motcua.core.text import fold, nfc
from motcua.units.models import Unit
from motcua.units.selectors import unit_get_by_code
from motcua.workflow.domain import Status

from ..models import Dossier, DossierCounter, DossierFee
from .common import add_route, record_event
from .routing import enter_step, handling_unit_for
from .timing import online_check_deadline, start_clock


@dataclass(frozen=True)
class ApplicantData:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    birth_date: date | None = None


def next_code(unit: Unit, day: date) -> str:
    """`<agency code>-<yyMMdd>-<NNNN>`: one counter per unit and day, incremented by a single
    upsert so that concurrent desks never get the same number (the row stays locked until the
    dossier's transaction commits, so numbers are consecutive and never reused)."""
    table = DossierCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, day],
        )
        number = cursor.fetchone()[0]
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


def _clean_applicant(data: ApplicantData) -> ApplicantData:
    name = nfc(data.name.strip())
    if not name:
        raise ValidationFailed("invalid_applicant", _("Vui lòng nhập họ tên người nộp hồ sơ."),
                               details={"field": "applicant.name"})
    id_number = data.id_number.strip()
    if id_number:
        problem = id_number_problem(id_number, data.birth_date)
        if problem:
            raise ValidationFailed(problem, _("Số định danh cá nhân không hợp lệ."),
                                   details={"field": "applicant.id_number"})
    phone = accounts_domain.normalise_phone(data.phone)
    if accounts_domain.phone_problem(phone):
        raise ValidationFailed("invalid_phone", _("Số điện thoại không hợp lệ."), details={"field": "applicant.phone"})
    email = data.email.strip()
    if accounts_domain.email_problem(email):
        raise ValidationFailed("invalid_email", _("Địa chỉ thư điện tử không hợp lệ."), details={"field": "applicant.email"})
    return ApplicantData(name=name, id_number=id_number, phone=phone, email=email,
                         address=nfc(data.address.strip()), birth_date=data.birth_date)


@transaction.atomic
def dossier_create(*, actor: Actor, procedure_code: str, channel: str, receiving_unit_code: str,
                   applicant: ApplicantData | None = None, form_data: dict[str, Any] | None = None, sets: int = 1,
                   result_delivery: str = "desk", at: datetime | None = None,
                   handling_unit_code: str | None = None) -> Dossier:
    """A citizen submits online (status 1); reception receives at the desk or by post (status 2)."""
    at = clock.local(at or clock.now())
    version = procedure_current_version(procedure_code)
    receiving = unit_get_by_code(receiving_unit_code)
    if channel not in {"online", "direct", "postal"}:
        raise ValidationFailed("invalid_channel", _("Kênh nộp hồ sơ không hợp lệ."))
    if result_delivery not in {"desk", "postal", "online"}:
        raise ValidationFailed("invalid_result_delivery", _("Hình thức nhận kết quả không hợp lệ."))
    if not 1 <= sets <= 100:
        raise ValidationFailed("invalid_sets", _("Số bộ hồ sơ phải từ 1 đến 100."))
    user = actor.user
    applicant = applicant or ApplicantData()
    if channel == "online":
        if not actor.system and (user is None or user.kind != UserKind.CITIZEN):
            raise Forbidden("forbidden", _("Chỉ công dân nộp hồ sơ trực tuyến."))
        if version.online_mode == "none":
            raise ValidationFailed("online_not_available", _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."))
        if user is not None and user.kind == UserKind.CITIZEN:
            applicant = ApplicantData(
                name=applicant.name or user.full_name, id_number=user.id_number or applicant.id_number,
                phone=applicant.phone or user.phone, email=applicant.email or user.email,
                address=applicant.address or user.address, birth_date=user.birth_date,
            )
    elif not actor.system and not actor.has_role(Role.RECEPTION, receiving.pk):
        raise Forbidden("forbidden", _("Chỉ cán bộ tiếp nhận của đơn vị được tiếp nhận hồ sơ tại đơn vị."))
    applicant = _clean_applicant(applicant)
    handling = handling_unit_for(version, receiving, handling_unit_code)

    applicant_user = user if (user is not None and user.kind == UserKind.CITIZEN) else None
    if applicant_user is None and actor.system and channel == "online" and applicant.id_number:
        # An imported online dossier belongs to the citizen account with that ID number, if any.
        applicant_user = User.objects.filter(id_number=applicant.id_number, kind=UserKind.CITIZEN).first()
    dossier = Dossier(
        code=next_code(receiving, at.date()), procedure_id=version.procedure_id, procedure_version=version,
        channel=channel, receiving_unit=receiving, handling_unit=handling,
        applicant_user=applicant_user,
        applicant_name=applicant.name, applicant_id_number=applicant.id_number, applicant_phone=applicant.phone,
        applicant_email=applicant.email, applicant_address=applicant.address, applicant_search=fold(applicant.name),
        form_data=form_data or {}, sets=sets, result_delivery=result_delivery, submitted_at=at,
    )
    if channel == "online":
        dossier.status = Status.SUBMITTED
    else:
        dossier.status = Status.RECEIVED
        start_clock(dossier, at)
    step = enter_step(dossier, 0, at)
    if channel == "online" and step is not None:
        dossier.current_step_due_at = online_check_deadline(
            dossier, at, Decimal(str(settings.MOTCUA["ONLINE_CHECK_HOURS"])))
    dossier.save()
    DossierFee.objects.bulk_create([
        DossierFee(dossier=dossier, code=f["code"], name=f.get("name", ""), amount=int(f["amount"]))
        for f in version.fees
    ])
    add_route(dossier, receiving.pk, handling.pk, dossier.current_step_unit_id)
    record_event(dossier=dossier, actor=actor, action="create", at=at, from_status=None,
                 to_unit_id=dossier.current_step_unit_id, step=step, step_due_at=dossier.current_step_due_at,
                 data={"channel": channel,
                       "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
                       "clock_start": dossier.clock_start.isoformat() if dossier.clock_start else None})
    return dossier

