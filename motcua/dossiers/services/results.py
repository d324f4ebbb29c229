"""Results: the draft the handler uploads, the signed result (or refusal letter) attached when the
leader resolves the dossier, and the checks anyone can run on a result.

The result is issued once the `resolve` transaction has committed (`result_issue`, an effect run
through `effects.py`), with the resolving leader's credential (motcua.documents.models
.SigningCredential): the draft, or a result rendered from the template when there is none, gets a
QR code linking to `/xac-thuc/<attachment id>/` and a PAdES signature, and is attached as kind
`result`; a `denied` decision attaches a signed refusal letter instead. Rendering and signing take
no lock; only the attaching does, briefly. Inside the resolve transaction, `result_prepare` checks
that the credential opens (else the resolve is refused with 409 `signing_failed` and nothing is
recorded). A leader without a credential resolves without a signed result (the draft, if any, is
attached unsigned) unless MOTCUA["REQUIRE_SIGNED_RESULTS"] is true, in which case the resolve is
refused with 409 `signing_not_configured`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core import clock
from motcua.core.errors import Conflict, Forbidden, NotFound
from motcua.documents.pdfgen import render_refusal, render_result
from motcua.documents.signing import credential_for_unit, credential_for_user, open_signer, sign_pdf, stamp_qr
from motcua.documents.storage import PDF, publish, read_stored, stage, stage_bytes
from motcua.documents.verification import PdfCheck, check_pdf
from motcua.workflow.domain import Status
from motcua.workflow.permissions import may_draft_result

from ..models import Attachment, Dossier, DossierEvent, ResultDraft
from ..state import state_of
from . import effects
from .attachments import attachment_write, clean_filename
from .common import lock_dossier, parties_of

RESULT_DOCUMENT = "KQ"
REFUSAL_DOCUMENT = "TBKGQ"


def public_base_url() -> str:
    base = settings.MOTCUA.get("PUBLIC_BASE_URL") or os.environ.get("MOTCUA_PUBLIC_BASE_URL") or "http://127.0.0.1:8000"
    return str(base).rstrip("/")


def verify_url(attachment_id: Any) -> str:
    return f"{public_base_url()}/xac-thuc/{attachment_id}/"


# --- the draft ------------------------------------------------------------------------------------

def result_draft_upload(*, actor: Actor, code: str, filename: str, chunks: Iterable[bytes],
                        at: datetime | None = None) -> ResultDraft:
    """The handler of the current step uploads (or replaces) the draft result, a PDF."""
    at = clock.local(at or clock.now())
    with stage(chunks, accept={PDF}) as staged, transaction.atomic():
        dossier = lock_dossier(code)
        if dossier.status != Status.IN_PROGRESS:
            raise Conflict("invalid_transition", _("Chỉ tải dự thảo kết quả khi hồ sơ đang được giải quyết."),
                           details={"status": dossier.status})
        if not may_draft_result(state_of(dossier), parties_of(actor, dossier)):
            raise Forbidden("forbidden", _("Chỉ người xử lý bước hiện tại mới tải dự thảo kết quả."))
        publish(staged)
        name = clean_filename(filename, default="du-thao-ket-qua.pdf")
        draft, _created = ResultDraft.objects.update_or_create(
            dossier=dossier, defaults={"name": name, "size": staged.size, "sha256": staged.sha256,
                                       "content_type": staged.content_type, "uploaded_by": actor.user,
                                       "uploaded_at": at})
        audit_record(actor=actor, action="dossier.result-draft", obj=dossier, at=at,
                     data={"name": name, "sha256": staged.sha256, "size": staged.size})
        return draft


# --- issuing the result at `resolve` --------------------------------------------------------------

def _place(dossier: Dossier) -> str:
    unit = dossier.handling_unit
    while unit.parent is not None:
        unit = unit.parent
    name = unit.name
    for marker in ("thành phố ", "tỉnh ", "Thành phố ", "Tỉnh "):
        if marker in name:
            return name.split(marker, 1)[1]
    return name


def letter_context(dossier: Dossier, actor: Actor, note: str, at: datetime, url: str) -> dict[str, Any]:
    unit = dossier.handling_unit
    user = actor.user
    received = dossier.received_at or dossier.submitted_at or at
    return {
        "title": "Kết quả giải quyết hồ sơ" if dossier.decision != "denied" else "Thông báo không giải quyết hồ sơ",
        "unit_name": unit.name, "parent_name": unit.parent.name if unit.parent is not None else "",
        "number": f"{dossier.code}/{RESULT_DOCUMENT if dossier.decision != 'denied' else REFUSAL_DOCUMENT}",
        "place": _place(dossier), "date": clock.local(at).date(), "received_on": f"{clock.local(received):%d/%m/%Y}",
        "dossier_code": dossier.code, "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure_version.name, "result_name": dossier.procedure_version.result,
        "applicant_name": dossier.applicant_name, "note": note,
        "signer_name": (user.full_name or user.username) if user else "", "signer_title": "Lãnh đạo đơn vị",
        "verify_url": url,
    }


def signature_summary(check: PdfCheck, *, sealed: bool = False) -> dict[str, Any] | None:
    """What the attachment shows: the first signer (the leader; a seal comes after), the overall
    checks, and every signer."""
    if not check.signed:
        return None
    first = check.signatures[0]
    return {
        "signer": first.name, "signed_at": clock.local(first.signed_at).isoformat() if first.signed_at else None,
        "intact": check.intact, "trusted": check.trusted, "certificate": first.certificate,
        "signers": [s.name for s in check.signatures], "sealed": sealed,
    }


def result_prepare(actor: Actor) -> None:
    """Called by `dossier_resolve` before it writes anything: a resolve that could not be signed
    is refused now rather than found unsigned later."""
    credential = credential_for_user(actor.user)
    if credential is None:
        if settings.MOTCUA.get("REQUIRE_SIGNED_RESULTS", False):
            raise Conflict("signing_not_configured",
                           _("Lãnh đạo chưa được cấu hình chứng thư ký số; không thể ký kết quả."))
        return
    with open_signer(credential):  # a wrong passphrase, a missing file or token: SigningFailed (409)
        pass


def _already_issued(dossier_id: int, at: datetime) -> bool:
    return Attachment.objects.filter(dossier_id=dossier_id, kind="result", uploaded_at=at).exists()


@effects.effect(effects.ISSUE_RESULT)
def result_issue(resolve_event_id: int) -> Attachment | None:
    """Attach the signed result (or refusal letter) of a resolve, after it has committed. Takes the
    resolve event's id and is idempotent (a result attached at the resolve's moment is not made
    twice), so that it can run as a background task."""
    event = DossierEvent.objects.select_related("actor").filter(pk=resolve_event_id, action="resolve").first()
    if event is None or _already_issued(event.dossier_id, event.at):
        return None
    dossier = (Dossier.objects.select_related("procedure", "procedure_version", "handling_unit__parent")
               .get(pk=event.dossier_id))
    actor = Actor(user=event.actor)
    decision, note, at = str(event.data.get("decision") or "approved"), event.note, event.at
    credential = credential_for_user(actor.user)
    draft = ResultDraft.objects.filter(dossier=dossier).first()
    if credential is None:
        if decision != "approved" or draft is None:
            return None
        with transaction.atomic():
            dossier = lock_dossier(dossier.code)
            if _already_issued(dossier.pk, at):
                return None
            attachment = attachment_write(
                dossier=dossier, actor=actor, staged=None, document=RESULT_DOCUMENT, kind="result", name=draft.name,
                at=at, sha256=draft.sha256, size=draft.size, content_type=draft.content_type,
                event_data={"signed": False})
            draft.delete()
        return attachment
    attachment_id = uuid.uuid4()
    url = verify_url(attachment_id)
    context = letter_context(dossier, actor, note, at, url)
    if decision == "approved":
        base = read_stored(draft.sha256) if draft is not None else render_result(context)
        document, name, reason = RESULT_DOCUMENT, f"ket-qua-{dossier.code}.pdf", "Phê duyệt kết quả giải quyết hồ sơ"
    else:
        base = render_refusal(context)
        document, name, reason = REFUSAL_DOCUMENT, f"thong-bao-khong-giai-quyet-{dossier.code}.pdf", \
            "Thông báo không giải quyết hồ sơ"
    signed = sign_pdf(stamp_qr(base, url), credential, field_name=f"KySo_{dossier.code.replace('.', '_')}",
                      reason=f"{reason} {dossier.code}", location=context["place"])
    check = check_pdf(signed.data)
    with stage_bytes(signed.data, accept={PDF}) as staged, transaction.atomic():
        dossier = lock_dossier(dossier.code)
        if _already_issued(dossier.pk, at):
            return None
        attachment = attachment_write(
            dossier=dossier, actor=actor, staged=staged, document=document, kind="result", name=name, at=at,
            attachment_id=attachment_id, signature=signature_summary(check),
            event_data={"signed": True, "signer": signed.signer, "decision": decision,
                        "from_draft": draft is not None and decision == "approved"})
        if draft is not None and decision == "approved":
            ResultDraft.objects.filter(pk=draft.pk).delete()
    return attachment


def _seal_target(actor: Actor, dossier: Dossier) -> Attachment:
    """The signed result reception may seal now, or the error that says why not."""
    if not actor.has_role(Role.RECEPTION, dossier.receiving_unit_id):
        raise Forbidden("forbidden", _("Chỉ bộ phận tiếp nhận và trả kết quả của đơn vị đóng dấu kết quả."))
    attachment = Attachment.objects.filter(dossier=dossier, kind="result").order_by("-uploaded_at", "-pk").first()
    if attachment is None or not attachment.signature:
        raise Conflict("no_signed_result", _("Hồ sơ chưa có kết quả đã ký số để đóng dấu."))
    if attachment.signature.get("sealed"):
        raise Conflict("already_sealed", _("Kết quả đã được đóng dấu."))
    return attachment


def result_seal(*, actor: Actor, code: str, at: datetime | None = None) -> Attachment:
    """Reception adds the unit's seal signature (the unit's credential) to the signed result, as
    a second signature after the leader's; the attachment keeps its id (and QR code). The signing
    takes no lock; the sealed file replaces the result only if nobody sealed it meanwhile."""
    at = clock.local(at or clock.now())
    dossier = Dossier.objects.select_related("handling_unit__parent").filter(code=code).first()
    if dossier is None:
        raise NotFound("not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    seen = _seal_target(actor, dossier)
    credential = credential_for_unit(dossier.receiving_unit_id)
    if credential is None:
        raise Conflict("signing_not_configured", _("Đơn vị chưa được cấu hình chứng thư ký số (con dấu)."))
    signed = sign_pdf(read_stored(seen.sha256), credential, field_name=f"DauDonVi_{dossier.code.replace('.', '_')}",
                      reason=f"Đóng dấu kết quả hồ sơ {dossier.code}", location=_place(dossier))
    check = check_pdf(signed.data)
    with stage_bytes(signed.data, accept={PDF}) as staged, transaction.atomic():
        locked = lock_dossier(code)
        attachment = _seal_target(actor, locked)
        if attachment.pk != seen.pk or attachment.sha256 != seen.sha256:  # pragma: no cover - a race
            raise Conflict("already_sealed", _("Kết quả đã được đóng dấu."))
        previous = attachment.sha256
        publish(staged)
        attachment.sha256, attachment.size = staged.sha256, staged.size
        attachment.signature = signature_summary(check, sealed=True)
        attachment.save(update_fields=["sha256", "size", "signature"])
        audit_record(actor=actor, action="dossier.result-seal", obj=locked, at=at,
                     data={"attachment": str(attachment.id), "previous_sha256": previous, "sha256": attachment.sha256,
                           "seal": signed.signer})
        return attachment


# --- checking ---------------------------------------------------------------------------------------

def _result_for(check: PdfCheck) -> Attachment | None:
    candidates = {check.sha256} | {s.revision_sha256 for s in check.signatures}
    return (Attachment.objects.filter(kind="result", sha256__in=candidates).select_related("dossier")
            .order_by("uploaded_at").first())


def result_verify(chunks: Iterable[bytes]) -> dict[str, Any]:
    """POST /verify: check an uploaded PDF (refused like any upload when it is not a readable PDF);
    nothing is kept."""
    with stage(chunks, accept={PDF}) as staged:
        data = staged.temp_path.read_bytes()
    check = check_pdf(data)
    result = _result_for(check)
    body = check.as_dict()
    body["signers"] = [{**s, "signed_at": clock.local(datetime.fromisoformat(s["signed_at"])).isoformat()
                        if s["signed_at"] else None} for s in body["signers"]]
    body["dossier"] = result.dossier.code if result is not None else None
    return body


def result_check_stored(attachment_id: Any) -> dict[str, Any]:
    """The public page /xac-thuc/<id>/: the stored result's signatures, checked now."""
    attachment = (Attachment.objects.filter(id=attachment_id, kind="result")
                  .select_related("dossier", "dossier__procedure_version", "dossier__handling_unit").first())
    if attachment is None:
        raise NotFound("not_found", _("Không tìm thấy văn bản kết quả với mã này."))
    try:
        data = read_stored(attachment.sha256)
    except FileNotFoundError as exc:  # pragma: no cover - the cleanup job reports such rows
        raise NotFound("not_found", _("Tệp của văn bản không còn trong kho lưu trữ.")) from exc
    check = check_pdf(data)
    dossier = attachment.dossier
    return {
        "attachment": attachment, "dossier_code": dossier.code, "procedure_name": dossier.procedure_version.name,
        "unit_name": dossier.handling_unit.name, "document_name": attachment.name,
        "refusal": attachment.document == REFUSAL_DOCUMENT, "issued_at": clock.local(attachment.uploaded_at),
        "stored_intact": check.sha256 == attachment.sha256, "sha256": attachment.sha256,
        "signed": check.signed, "intact": check.intact, "trusted": check.trusted,
        "signatures": [{"name": s.name, "signed_at": clock.local(s.signed_at) if s.signed_at else None,
                        "intact": s.unmodified, "trusted": s.trusted, "issuer": s.certificate.get("issuer", "")}
                       for s in check.signatures],
    }
