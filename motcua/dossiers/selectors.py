"""Reads of dossiers. Visibility is decided here and only here (habit 6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.workflow.domain import STATUS_NAMES

from .models import Attachment, Dossier, DossierEvent, DossierRoute

ACTIVE_STATUSES = (1, 2, 4, 5, 6)


def dossiers_visible_to(actor: Actor) -> QuerySet[Dossier]:
    qs = Dossier.objects.all()
    if actor.is_admin or actor.system:
        return qs
    user = actor.user
    if user is None:
        return qs.none()
    units = actor.unit_ids() | actor.supervised_unit_ids()
    if not units:  # a citizen (or an official without a unit): their own dossiers
        return qs.filter(applicant_user=user)
    # An official: the dossiers whose route passes through their units. A semi-join on the indexed
    # route table; no OR with the applicant branch, so PostgreSQL can drive the plan from the route.
    on_route = DossierRoute.objects.filter(unit_id__in=units).values("dossier_id")
    return qs.filter(pk__in=on_route)


def dossier_get(actor: Actor, code: str) -> Dossier:
    dossier = (
        dossiers_visible_to(actor)
        .select_related("procedure", "procedure_version", "receiving_unit", "handling_unit", "current_step_unit")
        .prefetch_related("pauses", "fees", "attachments")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound("not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


def dossier_list(actor: Actor, *, status: int | None = None, procedure: str | None = None, unit: str | None = None,
                 overdue: bool | None = None, q: str | None = None) -> QuerySet[Dossier]:
    qs = dossiers_visible_to(actor)
    if status is not None:
        qs = qs.filter(status=status)
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if unit:
        qs = qs.filter(Exists(DossierRoute.objects.filter(dossier=OuterRef("pk"), unit__code=unit)))
    if overdue is not None:
        late = Q(status__in=ACTIVE_STATUSES, due_at__lt=clock.now())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if q:
        text = q.strip()
        condition = Q(code__icontains=text) | Q(applicant_search__contains=fold(text))
        if len(text) >= 4:  # also the text recognised in scanned documents
            condition |= Exists(Attachment.objects.filter(dossier=OuterRef("pk"), ocr_search__contains=fold(text)))
        qs = qs.filter(condition)
    return qs.select_related(
        "procedure", "procedure_version", "receiving_unit", "handling_unit", "current_step_unit"
    ).prefetch_related("pauses", "fees", "attachments").order_by("-id")


def dossier_events(dossier: Dossier) -> list[DossierEvent]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor", "actor_unit", "from_unit", "to_unit")
        .order_by("at", "id")
    )


def attachment_get(dossier: Dossier, attachment_id: str) -> Attachment:
    attachment = Attachment.objects.filter(dossier=dossier, id=attachment_id).first()
    if attachment is None:
        raise NotFound("not_found", _("Không tìm thấy tệp đính kèm."))
    return attachment


def _dt(value: datetime | None) -> str | None:
    return clock.local(value).isoformat() if value else None


def _unit(unit: Any) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def dossier_representation(dossier: Dossier) -> dict[str, Any]:
    """The contract's dossier shape. Expects the relations of `dossier_get`/`dossier_list`."""
    step = dossier.current_step()
    version = dossier.procedure_version
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": version.name, "version": version.version},
        "status": {"code": dossier.status, "name": STATUS_NAMES[dossier.status]},
        "channel": dossier.channel,
        "applicant": {
            "name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone, "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "receiving_unit": _unit(dossier.receiving_unit),
        "handling_unit": _unit(dossier.handling_unit),
        "submitted_at": _dt(dossier.submitted_at),
        "received_at": _dt(dossier.received_at),
        "clock_start": _dt(dossier.clock_start),
        "due_at": _dt(dossier.due_at),
        "original_due_at": _dt(dossier.original_due_at),
        "finished_at": _dt(dossier.finished_at),
        "returned_at": _dt(dossier.returned_at),
        "pauses": [
            {"kind": p.kind, "from": _dt(p.started_at), "to": _dt(p.ended_at)}
            for p in sorted(dossier.pauses.all(), key=lambda p: (p.started_at, p.id))
        ],
        "supplement_requests": dossier.supplement_requests,
        "current_step": (
            {"name": step["name"], "role": step["role"], "unit": dossier.current_step_unit.code
             if dossier.current_step_unit else None, "due_at": _dt(dossier.current_step_due_at),
             "started_at": _dt(dossier.current_step_started_at)}
            if step else None
        ),
        "outcome": dossier.outcome or None,
        "decision": dossier.decision or None,
        "apology_issued": dossier.apology_count > 0,
        "sets": dossier.sets,
        "result_delivery": dossier.result_delivery,
        "form_data": dossier.form_data,
        "attachments": [attachment_representation(a) for a in dossier.attachments.all()],
        "fees": [{"code": f.code, "name": f.name, "amount": f.amount, "paid": f.paid} for f in dossier.fees.all()],
        "version": dossier.row_version,
    }


def attachment_representation(a: Attachment) -> dict[str, Any]:
    return {
        "id": str(a.id), "document": a.document, "name": a.name, "size": a.size, "sha256": a.sha256,
        "content_type": a.content_type, "kind": a.kind, "uploaded_at": _dt(a.uploaded_at),
        "digitised": (
            {"by": a.digitised_by_username, "full_name": a.digitised_by_name, "at": _dt(a.digitised_at)}
            if a.digitised_at else None
        ),
        "reused_from": a.reused_from_code or None,
        "signature": (
            {k: a.signature.get(k) for k in ("signer", "signed_at", "intact", "trusted")} if a.signature else None
        ),
    }


def event_representation(e: DossierEvent) -> dict[str, Any]:
    return {
        "at": _dt(e.at),
        "action": e.action,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "actor": {"username": e.actor_username, "full_name": e.actor_full_name,
                  "unit": e.actor_unit.code if e.actor_unit else None},
        "from_unit": e.from_unit.code if e.from_unit else None,
        "to_unit": e.to_unit.code if e.to_unit else None,
        "step": {"name": e.step_name, "due_at": _dt(e.step_due_at)} if e.step_name else None,
        "step_outcome": e.step_outcome or None,
        "note": e.note,
        "data": e.data,
    }


def dossier_public(code: str, verify: str) -> dict[str, Any]:
    """Public lookup by code and the last 4 digits of the applicant's phone; nothing personal."""
    dossier = Dossier.objects.select_related("procedure_version", "procedure").filter(code=code).first()
    if dossier is None or len(verify) != 4 or not dossier.applicant_phone.endswith(verify):
        raise NotFound("not_found", _("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập."))
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "status": {"code": dossier.status, "name": STATUS_NAMES[dossier.status]},
        "received_at": _dt(dossier.received_at),
        "due_at": _dt(dossier.due_at),
        "finished_at": _dt(dossier.finished_at),
    }


def applicant_prefill(actor: Actor, id_number: str) -> dict[str, str] | None:
    """The applicant's data from their latest dossier this official may see, to prefill a desk form.
    Reading personal data by ID number is recorded in the audit trail."""
    if not id_number:
        return None
    earlier = dossiers_visible_to(actor).filter(applicant_id_number=id_number).order_by("-id").first()
    if earlier is None:
        return None
    from motcua.audit.services import audit_record

    audit_record(actor=actor, action="dossier.read_applicant", obj=earlier, data={"purpose": "prefill"})
    return {"name": earlier.applicant_name, "phone": earlier.applicant_phone, "email": earlier.applicant_email,
            "address": earlier.applicant_address, "id_number": id_number}
