"""Everything that writes a dossier. Each service locks the dossier row, asks the transition
table, writes the change, an event and an audit row in one transaction."""

from .actions import (
    dossier_accept,
    dossier_apologize,
    dossier_confirm_payment,
    dossier_forward,
    dossier_perform,
    dossier_refuse,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return,
    dossier_stop,
    dossier_supplement,
    dossier_withdraw,
)
from .attachments import attachment_add, attachment_from_upload, attachment_scan
from .create import ApplicantData, dossier_create
from .importing import dossier_import
from .results import result_check_stored, result_draft_upload, result_issue, result_seal, result_verify
from .store import attachment_reuse, document_store, document_store_for_dossier

__all__ = [
    "ApplicantData",
    "attachment_add",
    "attachment_from_upload",
    "attachment_reuse",
    "attachment_scan",
    "document_store",
    "document_store_for_dossier",
    "dossier_accept",
    "dossier_apologize",
    "dossier_confirm_payment",
    "dossier_create",
    "dossier_forward",
    "dossier_import",
    "dossier_perform",
    "dossier_refuse",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_resolve",
    "dossier_return",
    "dossier_stop",
    "dossier_supplement",
    "dossier_withdraw",
    "result_check_stored",
    "result_draft_upload",
    "result_issue",
    "result_seal",
    "result_verify",
]
