"""The shared user-interface library of the pages (portal and desk templates load it by name):
accessible form fields, Vietnamese dates, sizes, money and status badges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from motcua.core import clock
from motcua.workflow.labels import status_label

register = template.Library()

WEEKDAYS = [_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"), _l("Thứ Bảy"), _l("Chủ nhật")]
COPY_TYPES = {
    "original": _l("Bản chính"),
    "certified_copy": _l("Bản sao có chứng thực"),
    "copy": _l("Bản sao hoặc bản chụp"),
    "electronic": _l("Bản điện tử"),
}
ONLINE_MODES = {"full": _l("Toàn trình"), "partial": _l("Một phần"), "none": _l("Không trực tuyến")}
LEVELS = {"province": _l("Cấp tỉnh"), "department": _l("Cấp sở, ngành"), "commune": _l("Cấp xã"),
          "centre": _l("Trung tâm PVHCC")}
DELIVERY = {"desk": _l("Tại Bộ phận Một cửa"), "postal": _l("Qua bưu chính công ích"), "online": _l("Trực tuyến")}
CHANNELS = {"direct": _l("Trực tiếp"), "online": _l("Trực tuyến"), "postal": _l("Bưu chính công ích")}
OUTCOMES = {"early": _l("Trước hạn"), "on_time": _l("Đúng hạn"), "late": _l("Quá hạn")}


@register.inclusion_tag("includes/field.html")
def field(bf: BoundField, hint: str = "", **attrs: Any) -> dict[str, Any]:
    """A labelled control with its hint and its error, tied together with aria attributes.
    Extra keyword arguments become attributes of the control (underscores turn into dashes)."""
    hint = hint or str(bf.help_text or "")
    described = []
    if hint:
        described.append(f"{bf.auto_id}-hint")
    if bf.errors:
        described.append(f"{bf.auto_id}-error")
    kind = bf.widget_type
    group = kind in {"radioselect", "checkboxselectmultiple"}
    widget_attrs = {key.replace("_", "-"): value for key, value in attrs.items()}
    if not group:
        if described:
            widget_attrs["aria-describedby"] = " ".join(described)
        if bf.errors:
            widget_attrs["aria-invalid"] = "true"
        if bf.field.required and kind != "checkbox":
            widget_attrs["aria-required"] = "true"
    return {
        "bf": bf, "hint": hint, "kind": kind, "group": group,
        "control": None if group else bf.as_widget(attrs=widget_attrs),
        "described": " ".join(described), "required": bf.field.required,
    }


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms: Any) -> dict[str, Any]:
    """The list of problems at the top of a form, each linking to its field."""
    items: list[tuple[str, str]] = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            items.append(("", str(message)))
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bf = form[name]
            anchor = bf.auto_id or ""
            if bf.widget_type in {"radioselect", "checkboxselectmultiple"}:
                anchor = f"{bf.auto_id}-group"
            for message in errors:
                items.append((anchor, f"{bf.label}: {message}" if bf.label else str(message)))
    return {"items": items}


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return clock.local(value)


@register.filter
def vndt(value: datetime | None) -> str:
    """'Thứ Ba, 10/03/2026 lúc 09:00'."""
    moment = _local(value)
    if moment is None:
        return ""
    return _("%(weekday)s, %(date)s lúc %(time)s") % {
        "weekday": WEEKDAYS[moment.weekday()], "date": f"{moment:%d/%m/%Y}", "time": f"{moment:%H:%M}"}


@register.filter
def vndt_short(value: datetime | None) -> str:
    moment = _local(value)
    return f"{moment:%d/%m/%Y %H:%M}" if moment else ""


@register.filter
def vndate(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = clock.local(value).date()
    return f"{value:%d/%m/%Y}"


@register.filter
def isodt(value: datetime | None) -> str:
    moment = _local(value)
    return moment.isoformat() if moment else ""


@register.filter
def filesize(value: int | None) -> str:
    size = int(value or 0)
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB".replace(".", ",")
    shown = f"{size / (1024 * 1024):.1f} MB"
    return shown.replace(".", ",") if _vietnamese_numbers() else shown


def _vietnamese_numbers() -> bool:
    """Vietnamese writes 8.000 and 0,5; English 8,000 and 0.5."""
    return (get_language() or "vi").startswith("vi")


def money(value: int) -> str:
    """8000 -> '8.000 đồng' (in English: 'VND 8,000')."""
    grouped = f"{value:,}"
    if _vietnamese_numbers():
        grouped = grouped.replace(",", ".")
    return _("%(amount)s đồng") % {"amount": grouped}


@register.filter
def vnd(amount: int | None) -> str:
    """8000 -> '8.000 đồng'; 0 -> 'Miễn phí'."""
    value = int(amount or 0)
    if value == 0:
        return _("Miễn phí")
    return money(value)


@register.simple_tag
def limit_text(value: Decimal | int | float | None, unit: str) -> str:
    if value is None:
        return ""
    number = Decimal(str(value))
    whole = number == number.to_integral_value()
    shown = f"{int(number)}" if whole else f"{number}"
    if _vietnamese_numbers():
        shown = shown.replace(".", ",")
    if number == 0 and unit == "working_days":
        return _("Trong ngày làm việc")
    count = int(number) if whole else 2  # "0.5 working days": a fraction takes the plural in English
    if unit == "working_days":
        return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count) % {"n": shown}
    if unit == "working_hours":
        return ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", count) % {"n": shown}
    if unit == "calendar_days":
        return ngettext("%(n)s ngày", "%(n)s ngày", count) % {"n": shown}
    return f"{shown} {unit}"


@register.filter
def copy_type(value: str) -> str:
    return str(COPY_TYPES.get(value, value))


@register.filter
def online_mode(value: str) -> str:
    return str(ONLINE_MODES.get(value, value))


@register.filter
def level_name(value: str) -> str:
    return str(LEVELS.get(value, value))


@register.filter
def delivery_name(value: str) -> str:
    return str(DELIVERY.get(value, value))


@register.filter
def channel_name(value: str) -> str:
    return str(CHANNELS.get(value, value))


@register.filter
def outcome_name(value: str | None) -> str:
    return str(OUTCOMES.get(value or "", ""))


@register.simple_tag
def status_badge(dossier: Any) -> str:
    """The coloured status label (a simple tag: it is drawn on every line of the dossier tables)."""
    return format_html('<span class="badge s{}">{}</span>', dossier.status, status_label(dossier.status))


@register.filter
def status_name(code: int) -> str:
    """The name of a status code in the active language."""
    return status_label(int(code))


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def is_image(content_type: str) -> bool:
    return content_type in {"image/jpeg", "image/png"}


@register.filter
def is_pdf(content_type: str) -> bool:
    return content_type == "application/pdf"
