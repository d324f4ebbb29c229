"""The official forms of Circular 01/2018/TT-VPCP (Mẫu 01–06) from what actually happened.

Each builder reads a dossier and its immutable events and fills the plain dataclasses of
`motcua.official_forms.data`; `motcua.official_forms.rendering` lays them out. Nothing on a form is
typed by hand: Mẫu 05 and Mẫu 06 are views of the hand-over events, Mẫu 02/03/04 print the
request-supplement, refuse and apologize events, and Mẫu 01 prints the receipt as it was given
(the due date computed at receipt, never a later apology date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q

from motcua.accounts.models import User
from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import Forbidden, NotFound, ValidationFailed
from motcua.official_forms import data as fd
from motcua.official_forms.formatting import date_short, outcome_label
from motcua.official_forms.rendering import FormNotApplicable, render_form_pdf, tracking_book_xlsx
from motcua.official_forms.versions import FormSet, form_set_for
from motcua.units.models import Unit
from motcua.units.selectors import unit_node
from motcua.workflow.domain import Status

from .models import Dossier, DossierEvent, DossierRoute, ResultDelivery
from .selectors import dossier_events, dossier_get
from .services.timing import calendar_for, limit_for

DOSSIER_FORMS = ("mau-01", "mau-02", "mau-03", "mau-04", "mau-05")
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
MAX_BOOK_DAYS = 366

# Events that are not hand-overs on the process-control slip (Mẫu 05): the receipt is Mẫu 01,
# a refusal is Mẫu 03, an apology is Mẫu 04.
NOT_HANDOVERS = frozenset({"create", "accept", "refuse", "apologize"})
HANDOVERS = frozenset({"forward", "resolve", "return", "request-supplement", "supplement", "request-payment",
                       "confirm-payment", "withdraw", "stop"})


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    content_type: str
    filename: str


# --- shared pieces ---------------------------------------------------------------------------


def _local(value: datetime) -> datetime:
    return clock.local(value)


def _parse(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (datetime(year, 1, 1, tzinfo=clock.VN_TZ), datetime(year + 1, 1, 1, tzinfo=clock.VN_TZ))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.VN_TZ)


def place_name(unit_id: int) -> str:
    """The place on the date line: MOTCUA["FORMS_PLACE"] when set, else the province's name taken
    from the top of the unit tree ("Ủy ban nhân dân tỉnh Phú Thọ" → "Phú Thọ")."""
    configured = settings.MOTCUA.get("FORMS_PLACE")
    if configured:
        return str(configured)
    node = unit_node(unit_id)
    seen: set[int] = set()
    while node is not None and node.parent_id is not None and node.id not in seen:
        seen.add(node.id)
        parent = unit_node(node.parent_id)
        if parent is None:
            break
        node = parent
    if node is None:
        return ""
    name = node.name
    for prefix in ("Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "UBND tỉnh ", "UBND thành phố ",
                   "Tỉnh ", "Thành phố "):
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix):]
    return name


def agency_of(unit: Unit, *, desk: bool = True) -> fd.Agency:
    parent = unit_node(unit.parent_id) if unit.parent_id else None
    return fd.Agency(name=unit.name, parent_name=parent.name if parent else "", address=unit.address,
                     phone=unit.phone, desk=desk)


def _unit_name(unit_id: int | None) -> str:
    node = unit_node(unit_id) if unit_id else None
    return node.name if node else ""


def applicant_of(dossier: Dossier) -> fd.Applicant:
    return fd.Applicant(name=dossier.applicant_name, address=dossier.applicant_address, phone=dossier.applicant_phone,
                        email=dossier.applicant_email, id_number=dossier.applicant_id_number)


def lookup_url(code: str) -> str:
    base = str(settings.MOTCUA.get("PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'code': code})}"


def rating_url(code: str) -> str:
    """The rating page the second QR code of Mẫu 01 opens (the feedback app's /danh-gia/)."""
    base = str(settings.MOTCUA.get("PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/danh-gia/?{urlencode({'ma': code})}"


def form_set_of(dossier: Dossier, events: list[DossierEvent] | None = None) -> FormSet:
    """A dossier is printed with the set in force when it was received (created, if never)."""
    receipt = receipt_event(events) if events is not None else None
    moment = receipt.at if receipt else (dossier.received_at or dossier.submitted_at or dossier.created_at)
    return form_set_for(_local(moment).date() if moment else clock.today())


def receipt_event(events: Iterable[DossierEvent]) -> DossierEvent | None:
    """The event that received the dossier: a desk/postal creation straight to RECEIVED, or the
    acceptance of an online submission (SUBMITTED → RECEIVED)."""
    for event in events:
        if event.to_status == Status.RECEIVED and event.from_status in (None, Status.SUBMITTED):
            return event
    return None


def _last(events: Iterable[DossierEvent], action: str) -> DossierEvent | None:
    found = None
    for event in events:
        if event.action == action:
            found = event
    return found


def received_at_receipt(dossier: Dossier, events: list[DossierEvent]) -> datetime | None:
    receipt = receipt_event(events)
    return receipt.at if receipt else dossier.received_at


def due_at_receipt(dossier: Dossier, events: list[DossierEvent]) -> datetime | None:
    """The due date written on Mẫu 01 when the dossier was received. Taken from the receipt
    event's data when recorded there; else the stored original due date when no pause has moved
    it since; else computed again from the receipt moment exactly as at receipt."""
    receipt = receipt_event(events)
    if receipt is not None:
        for key in ("due_at", "original_due_at"):
            recorded = _parse(receipt.data.get(key)) if isinstance(receipt.data, dict) else None
            if recorded is not None:
                return recorded
    received = receipt.at if receipt else dossier.received_at
    if received is None:
        return None
    moved = any(p.started_at >= received for p in dossier.pauses.all())
    if not moved and dossier.original_due_at is not None:  # nothing moved it (a restart only ends a pause)
        return dossier.original_due_at
    cal = calendar_for(dossier)
    version = dossier.procedure_version
    amount, unit = limit_for(version, dossier.channel)
    return cal.due_at(cal.normalise_receipt(_local(received), version.cutoff_time), amount, unit)  # type: ignore[arg-type]


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def time_limit_text(amount: Decimal, unit: str) -> str:
    if unit == "working_hours":
        return f"{_number(amount)} giờ làm việc"
    if unit == "calendar_days":
        return f"{_number(amount)} ngày"
    if amount == 0:
        return "Trong ngày làm việc"
    return f"{_number(amount)} ngày làm việc"


def submitted_documents(dossier: Dossier) -> list[fd.SubmittedDocument]:
    """The documents of the pinned procedure version that were submitted: the required ones
    (a dossier is received only when complete) and every one with an uploaded file; files for a
    document the version does not list are listed by their file name."""
    files: dict[str, list[str]] = defaultdict(list)
    for attachment in dossier.attachments.all():
        if attachment.kind == "input":
            files[attachment.document].append(attachment.name)
    result: list[fd.SubmittedDocument] = []
    known: set[str] = set()
    for doc in dossier.procedure_version.documents or []:
        code = str(doc.get("code") or "")
        known.add(code)
        if doc.get("required") or files.get(code):
            result.append(fd.SubmittedDocument(
                name=str(doc.get("name") or code), copy_type=str(doc.get("copy_type") or ""),
                count=int(doc["count"]) if doc.get("count") is not None else None, files=len(files.get(code, []))))
    for code, names in files.items():
        if code not in known:
            result.extend(fd.SubmittedDocument(name=name, copy_type="electronic", files=1) for name in names)
    return result


def result_place(dossier: Dossier) -> str:
    unit = dossier.receiving_unit
    if dossier.result_delivery == ResultDelivery.POSTAL:
        where = dossier.applicant_address or "địa chỉ đã đăng ký"
        return f"Nhận qua dịch vụ bưu chính công ích tại: {where}"
    if dossier.result_delivery == ResultDelivery.ONLINE:
        return "Nhận trực tuyến trên Cổng Dịch vụ công (tài khoản của người nộp hồ sơ)"
    place = f"Bộ phận tiếp nhận và trả kết quả, {unit.name}"
    return f"{place}, {unit.address}" if unit.address else place


def book_sequence(dossier: Dossier, received: datetime) -> tuple[str, int]:
    """"Vào Sổ theo dõi hồ sơ, Quyển số … Số thứ tự …": one book per receiving unit and
    calendar year (the year is the book number); the sequence is the order of receipt in it."""
    local = _local(received)
    start, _end = _year_bounds(local.year)
    before = Dossier.objects.filter(receiving_unit_id=dossier.receiving_unit_id, received_at__gte=start).filter(
        Q(received_at__lt=received) | Q(received_at=received, id__lte=dossier.pk))
    return str(local.year), before.count()


def _event_sequence(event: DossierEvent, scope: Q) -> int:
    """The running number of an event of its kind in its year within a scope (for …/HDHS, …/PXL)."""
    start, _end = _year_bounds(_local(event.at).year)
    return DossierEvent.objects.filter(scope, action=event.action, at__gte=start).filter(
        Q(at__lt=event.at) | Q(at=event.at, id__lte=event.pk)).count()


def _not_applicable(form: str, message: str) -> FormNotApplicable:
    return FormNotApplicable("form_not_applicable", message, details={"form": form})


# --- the forms -------------------------------------------------------------------------------


def build_receipt(dossier: Dossier, events: list[DossierEvent]) -> fd.ReceiptSlip:
    """Mẫu 01."""
    received = received_at_receipt(dossier, events)
    due = due_at_receipt(dossier, events)
    if received is None or due is None:
        raise _not_applicable("mau-01", "Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả.")
    receipt = receipt_event(events)
    amount, unit = limit_for(dossier.procedure_version, dossier.channel)
    book, sequence = book_sequence(dossier, dossier.received_at or received)
    return fd.ReceiptSlip(
        header=fd.Header(agency=agency_of(dossier.receiving_unit), place=place_name(dossier.receiving_unit_id),
                         issued_at=received),
        code=dossier.code, applicant=applicant_of(dossier), request=dossier.procedure_version.name,
        documents=submitted_documents(dossier), sets=dossier.sets, time_limit=time_limit_text(amount, unit),
        received_at=received, due_at=due, result_place=result_place(dossier), book_number=book,
        book_sequence=sequence, receiver_name=receipt.actor_full_name if receipt else "",
        lookup_url=lookup_url(dossier.code), channel=dossier.channel, rating_url=rating_url(dossier.code),
    )


def _documents_by_code(dossier: Dossier) -> dict[str, dict[str, Any]]:
    return {str(d.get("code")): d for d in dossier.procedure_version.documents or [] if d.get("code")}


def _item_counts(item: dict[str, Any], doc: dict[str, Any] | None) -> tuple[int | None, int | None, int | None]:
    explicit = [item.get(k) for k in ("original", "certified_copy", "photocopy")]
    if any(v is not None for v in explicit):
        return tuple(int(v) if v is not None else None for v in explicit)  # type: ignore[return-value]
    if doc is None:
        return None, None, None
    count = int(doc.get("count") or 1)
    kind = doc.get("copy_type") or "original"
    if kind == "certified_copy":
        return None, count, None
    if kind == "copy":
        return None, None, count
    return count, None, None


def build_supplement_request(dossier: Dossier, events: list[DossierEvent]) -> fd.SupplementRequest:
    """Mẫu 02, from the latest request-supplement event."""
    event = _last(events, "request-supplement")
    if event is None:
        raise _not_applicable("mau-02", "Hồ sơ không có yêu cầu bổ sung, hoàn thiện hồ sơ.")
    data = event.data if isinstance(event.data, dict) else {}
    docs = _documents_by_code(dossier)
    items = []
    for item in data.get("items") or []:
        doc = docs.get(str(item.get("document") or ""))
        original, certified, photocopy = _item_counts(item, doc)
        items.append(fd.SupplementItem(name=str(item.get("name") or (doc or {}).get("name") or ""), original=original,
                                       certified_copy=certified, photocopy=photocopy, note=str(item.get("note") or "")))
    number = _event_sequence(event, Q(dossier__receiving_unit_id=dossier.receiving_unit_id))
    officer_unit = event.actor_unit or event.from_unit or dossier.receiving_unit
    user = event.actor
    return fd.SupplementRequest(
        header=fd.Header(agency=agency_of(dossier.receiving_unit), place=place_name(dossier.receiving_unit_id),
                         issued_at=event.at, number=f"{number}/HDHS"),
        code=dossier.code, applicant=applicant_of(dossier), request=dossier.procedure_version.name, items=items,
        reason=str(data.get("reason") or event.note), officer_name=event.actor_full_name, officer_unit=officer_unit.name,
        officer_phone=(user.phone if user is not None and user.phone else officer_unit.phone),
        officer_email=user.email if user is not None else "", round=int(data.get("round") or 1),
    )


def build_refusal(dossier: Dossier, events: list[DossierEvent]) -> fd.Refusal:
    """Mẫu 03, from the refuse event."""
    event = _last(events, "refuse")
    if event is None:
        raise _not_applicable("mau-03", "Hồ sơ không bị từ chối tiếp nhận.")
    data = event.data if isinstance(event.data, dict) else {}
    unit = dossier.receiving_unit
    contact = ", ".join(x for x in (unit.name, unit.address, f"điện thoại {unit.phone}" if unit.phone else "") if x)
    return fd.Refusal(
        header=fd.Header(agency=agency_of(unit), place=place_name(unit.pk), issued_at=event.at),
        code=dossier.code, applicant=applicant_of(dossier), request=dossier.procedure_version.name,
        reason=str(data.get("reason") or event.note), officer_name=event.actor_full_name, contact=contact,
    )


def build_apology(dossier: Dossier, events: list[DossierEvent]) -> fd.Apology:
    """Mẫu 04, from the apologize event, issued by the processing agency."""
    event = _last(events, "apologize")
    if event is None:
        raise _not_applicable("mau-04", "Hồ sơ không có phiếu xin lỗi và hẹn lại ngày trả kết quả.")
    data = event.data if isinstance(event.data, dict) else {}
    unit = event.from_unit or dossier.handling_unit
    received = received_at_receipt(dossier, events) or event.at
    previous = _parse(data.get("previous_due_at")) or due_at_receipt(dossier, events) or event.at
    new_due = _parse(data.get("new_due_at")) or dossier.due_at or event.at
    number = _event_sequence(event, Q(from_unit_id=unit.pk))
    return fd.Apology(
        header=fd.Header(agency=agency_of(unit, desk=False), place=place_name(unit.pk), issued_at=event.at,
                         number=f"{number}/PXL"),
        code=dossier.code, applicant=applicant_of(dossier), request=dossier.procedure_version.name,
        agency_name=unit.name, received_at=received, original_due_at=previous, reason=str(data.get("reason") or event.note),
        new_due_at=new_due, signer_name=event.actor_full_name,
    )


def _applicant_label(dossier: Dossier) -> str:
    return f"Tổ chức, cá nhân: {dossier.applicant_name}"


def _is_handover(event: DossierEvent) -> bool:
    if event.action in NOT_HANDOVERS:
        return False
    return event.action in HANDOVERS or (event.from_unit_id is not None and event.to_unit_id is not None)


def _row_note(event: DossierEvent) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    note = event.note.strip()
    if event.action == "request-supplement":
        return f"Yêu cầu bổ sung: {data.get('reason') or note}".strip()
    if event.action == "supplement":
        return f"Đã bổ sung hồ sơ{': ' + note if note else ''}"
    if event.action == "request-payment":
        return f"Yêu cầu thực hiện nghĩa vụ tài chính{': ' + note if note else ''}"
    if event.action == "confirm-payment":
        return "Đã thực hiện nghĩa vụ tài chính"
    if event.action == "resolve":
        decision = "Đồng ý" if data.get("decision", "approved") == "approved" else "Không đồng ý"
        return f"{decision}{': ' + note if note else ''}"
    if event.action == "withdraw":
        return f"Rút hồ sơ: {data.get('reason') or note}"
    if event.action == "stop":
        return f"Dừng xử lý: {data.get('reason') or note}"
    return note


def _receiver_name(dossier: Dossier, events: list[DossierEvent], index: int, names: dict[str, str]) -> str:
    event = events[index]
    if event.to_unit_id is None:
        return dossier.applicant_name
    for later in events[index + 1:]:
        if later.actor_unit_id == event.to_unit_id and later.actor_username != "system":
            return later.actor_full_name
    assignee = (event.data or {}).get("assignee") if isinstance(event.data, dict) else None
    return names.get(str(assignee), "") if assignee else ""


def build_control_slip(dossier: Dossier, events: list[DossierEvent]) -> fd.ControlSlip:
    """Mẫu 05: every hand-over event, from the desk through each unit and back to the applicant."""
    assignees = {str(e.data.get("assignee")) for e in events if isinstance(e.data, dict) and e.data.get("assignee")}
    names = dict(User.objects.filter(username__in=assignees).values_list("username", "full_name")) if assignees else {}
    rows = []
    for index, event in enumerate(events):
        if not _is_handover(event):
            continue
        if event.from_unit_id is not None:
            giver = _unit_name(event.from_unit_id)
        elif event.actor_unit_id is not None and event.actor_id != dossier.applicant_user_id:
            giver = _unit_name(event.actor_unit_id)
        else:
            giver = _applicant_label(dossier)
        receiver = _unit_name(event.to_unit_id) if event.to_unit_id else _applicant_label(dossier)
        rows.append(fd.ControlRow(
            giver_unit=giver, receiver_unit=receiver, at=event.at, outcome=outcome_label(event.step_outcome),
            note=_row_note(event), giver_name=event.actor_full_name,
            receiver_name=_receiver_name(dossier, events, index, names), step=event.step_name,
        ))
    apology = _last(events, "apologize")
    route = DossierRoute.objects.filter(dossier=dossier).exclude(
        unit_id__in=[dossier.receiving_unit_id, dossier.handling_unit_id]).values_list("unit_id", flat=True)
    return fd.ControlSlip(
        header=fd.Header(agency=agency_of(dossier.receiving_unit), place=place_name(dossier.receiving_unit_id),
                         issued_at=clock.now()),
        code=dossier.code, applicant=applicant_of(dossier), request=dossier.procedure_version.name,
        received_at=received_at_receipt(dossier, events), due_at=due_at_receipt(dossier, events),
        handling_unit=dossier.handling_unit.name,
        coordinating_units=sorted(_unit_name(u) for u in route),
        rows=rows,
        new_due_at=_parse(apology.data.get("new_due_at")) if apology is not None and isinstance(apology.data, dict)
        else None,
    )


BUILDERS: dict[str, Callable[[Dossier, list[DossierEvent]], fd.FormData]] = {
    "mau-01": build_receipt,
    "mau-02": build_supplement_request,
    "mau-03": build_refusal,
    "mau-04": build_apology,
    "mau-05": build_control_slip,
}


def build_form(dossier: Dossier, form: str) -> fd.FormData:
    builder = BUILDERS.get(form)
    if builder is None:
        raise NotFound("unknown_form", f"Không có biểu mẫu {form!r}; các biểu mẫu: {', '.join(DOSSIER_FORMS)}.",
                       details={"form": form})
    return builder(dossier, dossier_events(dossier))


def dossier_form_pdf(*, actor: Actor, code: str, form: str) -> RenderedFile:
    """Mẫu 01–05 of a dossier the actor may see (404 otherwise), as PDF."""
    if form not in BUILDERS:
        raise NotFound("unknown_form", f"Không có biểu mẫu {form!r}; các biểu mẫu: {', '.join(DOSSIER_FORMS)}.",
                       details={"form": form})
    dossier = dossier_get(actor, code)
    events = dossier_events(dossier)
    data = BUILDERS[form](dossier, events)
    pdf = render_form_pdf(form, data, form_set=form_set_of(dossier, events))
    return RenderedFile(pdf, "application/pdf", f"{dossier.code}-{form}.pdf")


# --- Mẫu 06: the tracking book ---------------------------------------------------------------


def can_read_book(actor: Actor, unit: Unit) -> bool:
    if actor.system or actor.is_admin:
        return True
    return unit.pk in actor.unit_ids() or unit.pk in actor.supervised_unit_ids()


def _first(events: list[DossierEvent], test: Callable[[DossierEvent], bool]) -> datetime | None:
    for event in events:
        if test(event):
            return event.at
    return None


def _book_note(dossier: Dossier, events: list[DossierEvent]) -> str:
    notes = []
    if dossier.channel == "online":
        notes.append("Nộp trực tuyến")
    elif dossier.channel == "postal":
        notes.append("Nộp qua bưu chính")
    if dossier.result_delivery == ResultDelivery.POSTAL:
        notes.append("Trả kết quả qua bưu chính")
    if dossier.supplement_requests:
        notes.append(f"Yêu cầu bổ sung {dossier.supplement_requests} lần")
    apology = _last(events, "apologize")
    if apology is not None and isinstance(apology.data, dict):
        new_due = _parse(apology.data.get("new_due_at"))
        if new_due is not None:
            notes.append(f"Xin lỗi, hẹn lại {date_short(new_due)}")
    if dossier.status == Status.WITHDRAWN:
        notes.append("Đã rút hồ sơ")
    elif dossier.status == Status.STOPPED:
        notes.append("Dừng xử lý")
    return "; ".join(notes)


def tracking_book(*, actor: Actor, unit_code: str, date_from: date, date_to: date) -> fd.TrackingBook:
    """Mẫu 06: the dossiers a unit received in a period (whole days, Vietnam time), numbered as in
    its yearly book, with the dates taken from their events."""
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise NotFound("not_found", f"Không có đơn vị mã {unit_code}.")
    if not can_read_book(actor, unit):
        raise Forbidden("forbidden", "Chỉ cán bộ của đơn vị, đơn vị cấp trên hoặc quản trị viên được xem sổ theo dõi.")
    if date_from > date_to:
        raise ValidationFailed("invalid_period", "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
                               details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    if date_from < date(1900, 1, 1) or date_to >= date(9999, 12, 31):
        raise ValidationFailed("invalid_period", "Khoảng thời gian không hợp lệ.",
                               details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    if (date_to - date_from).days >= MAX_BOOK_DAYS:
        raise ValidationFailed("period_too_long", f"Mỗi lần xem sổ tối đa {MAX_BOOK_DAYS} ngày.",
                               details={"max_days": MAX_BOOK_DAYS})
    start, end = _day_start(date_from), _day_start(date_to + timedelta(days=1))
    # Sequence numbers run per calendar year of receipt, so count from the first day of that year.
    numbering = (Dossier.objects.filter(receiving_unit=unit, received_at__gte=_year_bounds(date_from.year)[0],
                                        received_at__lt=end)
                 .order_by("received_at", "id").values_list("id", "received_at"))
    numbers: dict[int, int] = {}
    counter, year = 0, None
    for dossier_id, received in numbering:
        if received is None:  # pragma: no cover - filtered out above
            continue
        received_year = _local(received).year
        if received_year != year:
            counter, year = 0, received_year
        counter += 1
        numbers[dossier_id] = counter
    dossiers = list(
        Dossier.objects.filter(receiving_unit=unit, received_at__gte=start, received_at__lt=end)
        .select_related("procedure_version", "handling_unit", "receiving_unit")
        .prefetch_related("pauses").order_by("received_at", "id")
    )
    by_dossier: dict[int, list[DossierEvent]] = defaultdict(list)
    for event in DossierEvent.objects.filter(dossier__in=dossiers).order_by("at", "id"):
        by_dossier[event.dossier_id].append(event)
    rows = []
    for dossier in dossiers:
        events = by_dossier[dossier.pk]
        desk_id = dossier.receiving_unit_id

        def sent(event: DossierEvent, desk: int = desk_id) -> bool:
            return event.action == "forward" and event.from_unit_id == desk

        rows.append(fd.BookRow(
            number=numbers.get(dossier.pk, 0), code=dossier.code, procedure=dossier.procedure_version.name,
            sets=dossier.sets, applicant=dossier.applicant_name,
            address_phone="; ".join(x for x in (dossier.applicant_address, dossier.applicant_phone) if x),
            handling_unit=dossier.handling_unit.name, received_at=received_at_receipt(dossier, events),
            due_at=due_at_receipt(dossier, events),
            sent_at=_first(events, sent),
            result_back_at=_first(events, lambda e: e.to_status == Status.RESOLVED),
            returned_at=_first(events, lambda e: e.to_status == Status.RETURNED),
            note=_book_note(dossier, events),
        ))
    years = sorted({date_from.year, date_to.year})
    return fd.TrackingBook(
        header=fd.Header(agency=agency_of(unit), place=place_name(unit.pk), issued_at=clock.now()),
        unit_code=unit.code, period_from=date_from, period_to=date_to,
        book_number="–".join(str(y) for y in years), rows=rows,
    )


def tracking_book_file(*, actor: Actor, unit_code: str, date_from: date, date_to: date,
                       fmt: str = "pdf") -> RenderedFile:
    if fmt not in {"pdf", "xlsx"}:
        raise ValidationFailed("invalid_format", "Định dạng phải là pdf hoặc xlsx.", details={"format": fmt})
    book = tracking_book(actor=actor, unit_code=unit_code, date_from=date_from, date_to=date_to)
    name = f"so-theo-doi-{book.unit_code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if fmt == "xlsx":
        return RenderedFile(tracking_book_xlsx(book),
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{name}.xlsx")
    return RenderedFile(render_form_pdf("mau-06", book, form_set=form_set_for(date_from)), "application/pdf",
                        f"{name}.pdf")
