"""The plain data each official form is rendered from.

This app sits below `dossiers` in the layers: it never reads a dossier. `motcua.dossiers.official_form_data`
fills these dataclasses from a dossier and its events; the renderer only lays them out. Times are
timezone-aware datetimes (printed in Vietnam time); counts are ints or None for "not stated".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Agency:
    """The issuing agency as printed at the top left: the parent agency (cơ quan chủ quản) above
    the unit's own name, and the one-stop desk line on the desk's forms."""

    name: str
    parent_name: str = ""
    address: str = ""
    phone: str = ""
    desk: bool = True


@dataclass(frozen=True)
class Header:
    agency: Agency
    place: str
    issued_at: datetime
    number: str = ""


@dataclass(frozen=True)
class Applicant:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class SubmittedDocument:
    name: str
    copy_type: str = ""
    count: int | None = None
    files: int = 0


@dataclass(frozen=True)
class ReceiptSlip:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    header: Header
    code: str
    applicant: Applicant
    request: str
    documents: list[SubmittedDocument]
    sets: int
    time_limit: str
    received_at: datetime
    due_at: datetime
    result_place: str
    book_number: str
    book_sequence: int
    receiver_name: str
    lookup_url: str
    channel: str = ""
    rating_url: str = ""  # the rating page (/danh-gia/?ma=<code>): a second QR code when given


@dataclass(frozen=True)
class SupplementItem:
    name: str
    original: int | None = None
    certified_copy: int | None = None
    photocopy: int | None = None
    note: str = ""


@dataclass(frozen=True)
class SupplementRequest:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    header: Header
    code: str
    applicant: Applicant
    request: str
    items: list[SupplementItem]
    reason: str
    officer_name: str
    officer_unit: str
    officer_phone: str = ""
    officer_email: str = ""
    round: int = 1


@dataclass(frozen=True)
class Refusal:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    header: Header
    code: str
    applicant: Applicant
    request: str
    reason: str
    officer_name: str
    contact: str = ""


@dataclass(frozen=True)
class Apology:
    """Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    header: Header
    code: str
    applicant: Applicant
    request: str
    agency_name: str
    received_at: datetime
    original_due_at: datetime
    reason: str
    new_due_at: datetime
    signer_name: str


@dataclass(frozen=True)
class ControlRow:
    giver_unit: str
    receiver_unit: str
    at: datetime
    outcome: str = ""
    note: str = ""
    giver_name: str = ""
    receiver_name: str = ""
    step: str = ""


@dataclass(frozen=True)
class ControlSlip:
    """Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ (a view of the hand-over events)."""

    header: Header
    code: str
    applicant: Applicant
    request: str
    received_at: datetime | None
    due_at: datetime | None
    handling_unit: str
    coordinating_units: list[str]
    rows: list[ControlRow]
    new_due_at: datetime | None = None


@dataclass(frozen=True)
class BookRow:
    number: int
    code: str
    procedure: str
    sets: int
    applicant: str
    address_phone: str
    handling_unit: str
    received_at: datetime | None
    due_at: datetime | None
    sent_at: datetime | None = None
    result_back_at: datetime | None = None
    returned_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class TrackingBook:
    """Mẫu 06 — Sổ theo dõi hồ sơ of one unit for a period."""

    header: Header
    unit_code: str
    period_from: date
    period_to: date
    book_number: str
    rows: list[BookRow] = field(default_factory=list)


FormData = ReceiptSlip | SupplementRequest | Refusal | Apology | ControlSlip | TrackingBook
