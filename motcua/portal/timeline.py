"""A dossier's history told to its applicant in plain Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent

from .templatetags.ui import DELIVERY, money, vndt


@dataclass
class Entry:
    at: datetime
    title: str
    detail: str = ""
    items: list[str] = field(default_factory=list)
    kind: str = ""  # "attention" (the applicant must act) or "done"


def _when(value: Any) -> str:
    if not value:
        return ""
    try:
        return vndt(datetime.fromisoformat(str(value)))
    except ValueError:
        return ""


def _unit(event: DossierEvent) -> str:
    unit = event.actor_unit or event.to_unit
    return unit.name if unit else ""


def _entry(event: DossierEvent, dossier: Dossier) -> Entry | None:
    data = event.data or {}
    action = event.action
    if action == "create":
        if dossier.channel == "online":
            detail = _("Nơi nộp: %(unit)s.") % {"unit": dossier.receiving_unit.name}
            if event.step_due_at:
                detail += " " + _("Hồ sơ sẽ được kiểm tra trước %(when)s.") % {"when": vndt(event.step_due_at)}
            return Entry(event.at, _("Bạn đã nộp hồ sơ trực tuyến"), detail)
        return Entry(event.at, _("Hồ sơ được tiếp nhận tại %(unit)s") % {"unit": dossier.receiving_unit.name})
    if action == "accept":
        return Entry(event.at, _("Hồ sơ đã được tiếp nhận"),
                     _("%(unit)s đã kiểm tra, thấy hồ sơ đầy đủ và bắt đầu tính thời hạn giải quyết.")
                     % {"unit": _unit(event) or dossier.receiving_unit.name}, kind="done")
    if action == "refuse":
        return Entry(event.at, _("Hồ sơ không được tiếp nhận"), _("Lý do: %(reason)s") % {"reason": event.note})
    if action == "request-supplement":
        items = [f"{i.get('name')}" + (f" — {i['note']}" if i.get("note") else "") for i in data.get("items", [])]
        return Entry(event.at, _("Cơ quan yêu cầu bổ sung giấy tờ"), _("Lý do: %(reason)s") % {"reason": event.note},
                     items, kind="attention")
    if action == "supplement":
        return Entry(event.at, _("Hồ sơ đã được bổ sung"), event.note, kind="done")
    if action == "forward":
        step = data.get("next_step")
        if not step:
            return None
        return Entry(event.at, _("Hồ sơ đang được xử lý: %(step)s") % {"step": step}, _unit_of(event))
    if action == "request-payment":
        fees = [f"{f.get('code')}: {money(int(f.get('amount') or 0))}" for f in data.get("fees", [])]
        return Entry(event.at, _("Yêu cầu nộp phí, lệ phí"), event.note, fees, kind="attention")
    if action == "confirm-payment":
        return Entry(event.at, _("Đã xác nhận nộp phí, lệ phí"), kind="done")
    if action == "resolve":
        if data.get("decision") == "denied":
            title = _("Đã có văn bản trả lời: hồ sơ không đủ điều kiện giải quyết")
        else:
            title = _("Đã có kết quả giải quyết")
        where = str(DELIVERY.get(dossier.result_delivery, ""))
        return Entry(event.at, title, _("Nhận kết quả: %(where)s.") % {"where": where}, kind="done")
    if action == "return":
        return Entry(event.at, _("Đã trả kết quả"), kind="done")
    if action == "withdraw":
        return Entry(event.at, _("Hồ sơ đã được rút"), _("Lý do: %(reason)s") % {"reason": event.note})
    if action == "stop":
        return Entry(event.at, _("Cơ quan dừng xử lý hồ sơ"), _("Lý do: %(reason)s") % {"reason": event.note})
    if action == "apologize":
        return Entry(event.at, _("Cơ quan xin lỗi vì trễ hạn và hẹn lại ngày trả kết quả"),
                     _("Ngày hẹn mới: %(when)s. Lý do: %(reason)s")
                     % {"when": _when(data.get("new_due_at")), "reason": event.note}, kind="attention")
    return None  # attachments and other technical events are not part of the applicant's story


def _unit_of(event: DossierEvent) -> str:
    return event.to_unit.name if event.to_unit else ""


def citizen_timeline(dossier: Dossier, events: list[DossierEvent]) -> list[Entry]:
    entries = [entry for event in events if (entry := _entry(event, dossier)) is not None]
    entries.reverse()  # newest first
    return entries


def latest_supplement_request(events: list[DossierEvent]) -> DossierEvent | None:
    for event in reversed(events):
        if event.action == "request-supplement":
            return event
    return None
