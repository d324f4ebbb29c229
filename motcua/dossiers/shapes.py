"""The contract's shapes of a dossier's smaller objects: attachments, the draft result, items of the
document store, consultations (the dossier itself and its events are built from columns in
`selectors.py`, the fast read path)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.core import clock

from .models import Attachment, Consultation, ResultDraft


def _dt(value: datetime | None) -> str | None:
    return clock.local(value).isoformat() if value else None


ATTACHMENT_COLUMNS = (
    "id", "dossier_id", "document", "name", "size", "sha256", "content_type", "kind", "uploaded_at",
    "digitised_at", "digitised_by_username", "digitised_by_name", "reused_from_code", "signature",
)


def _attachment(a: dict[str, Any]) -> dict[str, Any]:
    signature = a["signature"]
    return {
        "id": str(a["id"]), "document": a["document"], "name": a["name"], "size": a["size"], "sha256": a["sha256"],
        "content_type": a["content_type"], "kind": a["kind"], "uploaded_at": _dt(a["uploaded_at"]),
        "digitised": (
            {"by": a["digitised_by_username"], "full_name": a["digitised_by_name"], "at": _dt(a["digitised_at"])}
            if a["digitised_at"] else None
        ),
        "reused_from": a["reused_from_code"] or None,
        "signature": (
            {k: signature.get(k) for k in ("signer", "signed_at", "intact", "trusted")} if signature else None
        ),
    }


def attachment_representation(a: Attachment) -> dict[str, Any]:
    return _attachment({column: getattr(a, column) for column in ATTACHMENT_COLUMNS})


def draft_representation(draft: ResultDraft) -> dict[str, Any]:
    return {"id": str(draft.pk), "kind": "draft", "name": draft.name, "size": draft.size, "sha256": draft.sha256,
            "content_type": draft.content_type, "uploaded_at": clock.local(draft.uploaded_at).isoformat(),
            "uploaded_by": draft.uploaded_by.username if draft.uploaded_by else None}


def store_item_representation(a: Attachment) -> dict[str, Any]:
    dossier = a.dossier
    return {
        **attachment_representation(a),
        "dossier": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "finished_at": clock.local(dossier.finished_at).isoformat() if dossier.finished_at else None,
    }


def consultation_representation(row: Consultation) -> dict[str, Any]:
    return {
        "id": row.pk, "unit": {"code": row.unit.code, "name": row.unit.name}, "question": row.question,
        "asked_by": row.asked_by.username if row.asked_by else None, "asked_at": _dt(row.asked_at),
        "due_at": _dt(row.due_at), "answer": row.answer or None,
        "answered_by": row.answered_by.username if row.answered_by else None, "answered_at": _dt(row.answered_at),
        "outcome": row.outcome or None,
    }


def result_rows(attachments: list[Attachment]) -> list[dict[str, Any]]:
    """The results among a dossier's attachments, each with its signature as the pages show it
    (`signed_at` as a datetime, whether the unit's seal was added), or None when unsigned."""
    rows = []
    for a in attachments:
        if a.kind != "result":
            continue
        sig = attachment_representation(a)["signature"]
        if sig:
            at = sig.get("signed_at")
            sig = {**sig, "signed_at": datetime.fromisoformat(at) if at else None,
                   "sealed": bool((a.signature or {}).get("sealed"))}
        rows.append({"a": a, "sig": sig})
    return rows
