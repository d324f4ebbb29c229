"""Receiving a dossier with its documents: one service for the desk (a walk-in or postal dossier),
the portal (an online submission) and the API.

The files are checked and stored first, one by one, while the applicant or the official fills the
form (`file_store`: a form error loses nothing); then `dossier_receive` applies the required-
documents rule and, in one transaction, creates the dossier and attaches every file, or nothing.

The required-documents rule: every document the procedure marks as required has been received:
seen on paper at the desk, or given as a file (uploaded now or reused from the applicant's store).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.catalog.selectors import procedure_current_version
from motcua.core.errors import ValidationFailed
from motcua.documents.storage import iter_stored, open_stored, store_stream

from ..models import Dossier
from .attachments import attachment_add
from .create import ApplicantData, dossier_create
from .store import attachment_reuse


@dataclass(frozen=True)
class StoredFile:
    """A file checked and stored before its dossier exists (its row is written at receipt)."""

    sha256: str
    name: str
    size: int
    content_type: str

    def as_dict(self) -> dict[str, Any]:
        """What a page keeps of it between requests (in the session)."""
        return {"sha256": self.sha256, "name": self.name, "size": self.size, "content_type": self.content_type}

    @classmethod
    def of(cls, kept: Mapping[str, Any]) -> StoredFile:
        return cls(sha256=str(kept["sha256"]), name=str(kept["name"]), size=int(kept["size"]),
                   content_type=str(kept["content_type"]))


def file_store(chunks: Iterable[bytes], name: str | None) -> StoredFile:
    """Check (type by content, size, not empty) and store one file; DomainError when refused.
    A file that never becomes an attachment goes with the next storage cleanup."""
    stored = store_stream(chunks)
    return StoredFile(sha256=stored.sha256, name=(name or "tep")[:255], size=stored.size,
                      content_type=stored.content_type)


def file_available(file: StoredFile) -> bool:
    """Whether a stored file is still there (the cleanup removes files no row refers to)."""
    return bool(open_stored(file.sha256).exists())


@dataclass(frozen=True)
class DocumentReceived:
    """What was received of one document of the procedure."""

    document: str  # the requirement's code
    on_paper: bool = False  # seen (and kept) on paper at the desk
    files: tuple[StoredFile, ...] = ()  # stored with `file_store`
    reused: tuple[str, ...] = ()  # ids of attachments of the applicant's document store

    @property
    def received(self) -> bool:
        return self.on_paper or bool(self.files) or bool(self.reused)


def documents_missing(requirements: Sequence[Mapping[str, Any]], received: Sequence[DocumentReceived]) -> list[str]:
    """The codes of the required documents not received (the required-documents rule)."""
    got = {d.document for d in received if d.received}
    return [str(r["code"]) for r in requirements if r.get("required") and r["code"] not in got]


@transaction.atomic
def dossier_receive(*, actor: Actor, procedure_code: str, channel: str, receiving_unit_code: str,
                    applicant: ApplicantData | None, documents: Sequence[DocumentReceived] | None, sets: int = 1,
                    result_delivery: str = "desk", form_data: dict[str, Any] | None = None,
                    handling_unit_code: str | None = None, at: datetime | None = None) -> Dossier:
    """Create a dossier with its documents (the required-documents rule first), all or nothing.
    At the desk (`direct`, `postal`) the codes received are kept in `form_data["received_documents"]`
    (the receipt, Mẫu 01, lists them) and the files are recorded as digitised from paper.
    `documents=None`: the documents follow as attachments (the API's create-then-upload), no rule yet."""
    if documents is None:
        return dossier_create(actor=actor, procedure_code=procedure_code, channel=channel,
                              receiving_unit_code=receiving_unit_code, applicant=applicant, form_data=form_data,
                              sets=sets, result_delivery=result_delivery, handling_unit_code=handling_unit_code, at=at)
    version = procedure_current_version(procedure_code)
    known = {str(r["code"]) for r in version.documents}
    unknown = sorted({d.document for d in documents} - known)
    if unknown:
        raise ValidationFailed("unknown_document", _("Thủ tục không có thành phần hồ sơ mã %(code)s.")
                               % {"code": unknown[0]}, details={"documents": unknown, "known": sorted(known)})
    missing = documents_missing(version.documents, documents)
    lost = sorted({d.document for d in documents for f in d.files if not file_available(f)})
    if missing:
        raise ValidationFailed("documents_missing", _("Chưa nhận đủ giấy tờ bắt buộc của thủ tục."),
                               details={"documents": missing, "lost": lost})
    if lost:
        raise ValidationFailed("file_missing", _("Tệp đã tải trước đó không còn; vui lòng tải lại."),
                               details={"documents": [], "lost": lost})
    at_desk = channel in {"direct", "postal"}
    data = dict(form_data or {})
    if at_desk:
        data["received_documents"] = [str(r["code"]) for r in version.documents
                                      if any(d.document == r["code"] and d.received for d in documents)]
    dossier = dossier_create(actor=actor, procedure_code=procedure_code, channel=channel,
                             receiving_unit_code=receiving_unit_code, applicant=applicant, form_data=data, sets=sets,
                             result_delivery=result_delivery, handling_unit_code=handling_unit_code, at=at)
    for doc in documents:
        for reused in doc.reused:
            attachment_reuse(actor=actor, code=dossier.code, attachment_id=reused, document=doc.document, at=at)
        for file in doc.files:
            attachment_add(actor=actor, code=dossier.code, document=doc.document, filename=file.name,
                           chunks=iter_stored(file.sha256), digitised=at_desk, at=at)
    return dossier
