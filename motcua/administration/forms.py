"""The editor's forms: plain text in, the catalogue's body (`ProcedureIn`) out. The forms only
collect and present; every rule (shapes, ranges, units, hours, duplicates, documents) is checked
by `catalog.schemas` and `catalog.services.procedure_problems`, whose findings come back here as
Vietnamese messages on the fields they concern."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from motcua.catalog.models import Field, LimitUnit, OnlineMode, PauseRule, ProcedureLevel
from motcua.units.models import Unit

MAX_ROWS = 100
COPY_TYPES = [("original", _l("Bản chính")), ("certified_copy", _l("Bản sao có chứng thực")),
              ("copy", _l("Bản sao hoặc bản chụp")), ("electronic", _l("Bản điện tử"))]
ROLES = [("reception", _l("Bộ phận Một cửa (tiếp nhận, trả kết quả)")), ("specialist", _l("Chuyên viên xử lý")),
         ("leader", _l("Lãnh đạo phê duyệt"))]
COLLECT_AT = [("receipt", _l("Khi tiếp nhận hồ sơ")), ("result", _l("Khi trả kết quả"))]
FUNCTIONS = {"police": _l("Công an"), "social_insurance": _l("Bảo hiểm xã hội"), "tax": _l("Cơ quan thuế"),
             "land": _l("Văn phòng đăng ký đất đai")}


def _units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).order_by("code"))


def handling_choices(units: list[Unit], current: str = "") -> list[tuple[str, str]]:
    choices = [("receiving", str(_("Đơn vị tiếp nhận hồ sơ tự giải quyết")))]
    choices += [(u.code, f"{u.name} ({u.code})") for u in units]
    if current and current not in {c for c, _ in choices}:
        choices.append((current, current))
    return choices


def step_unit_choices(units: list[Unit], current: Iterable[str] = ()) -> list[tuple[str, Any]]:
    functions = sorted({u.function for u in units if u.function})
    choices: list[tuple[str, Any]] = [
        ("receiving", str(_("Bộ phận Một cửa nơi tiếp nhận hồ sơ"))),
        ("handling", str(_("Đơn vị giải quyết của thủ tục"))),
    ]
    if functions:
        choices.append((str(_("Đơn vị gần nhất có chức năng")), [
            (f"@{f}", str(FUNCTIONS.get(f, f))) for f in functions]))
    choices.append((str(_("Cơ quan, đơn vị cụ thể")), [(u.code, f"{u.name} ({u.code})") for u in units]))
    known = {"receiving", "handling", *(f"@{f}" for f in functions), *(u.code for u in units)}
    extra = sorted({c for c in current if c and c not in known})
    if extra:
        choices.append((str(_("Giá trị hiện có")), [(c, c) for c in extra]))
    return choices


def _text(label: Any, *, max_length: int | None = None, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}))


def _number(label: Any, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, strip=True,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                         "class": "short", **attrs}))


class VersionForm(forms.Form):
    """The procedure's own fields."""

    code = _text(_l("Mã thủ tục"), spellcheck="false")
    name = forms.CharField(label=_l("Tên thủ tục"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.ChoiceField(label=_l("Lĩnh vực"), required=False)
    level = forms.ChoiceField(label=_l("Cấp thực hiện"), required=False, choices=ProcedureLevel.choices)
    time_limit_value = _number(_l("Thời hạn giải quyết"))
    time_limit_unit = forms.ChoiceField(label=_l("Đơn vị thời hạn"), required=False, choices=LimitUnit.choices)
    online_time_limit_value = _number(_l("Thời hạn khi nộp trực tuyến (nếu khác)"))
    online_time_limit_unit = forms.ChoiceField(label=_l("Đơn vị thời hạn trực tuyến"), required=False,
                                               choices=LimitUnit.choices)
    cutoff_time = forms.CharField(label=_l("Giờ nhận hồ sơ trong ngày (nếu có)"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time", "class": "short"}))
    online_mode = forms.ChoiceField(label=_l("Dịch vụ công trực tuyến"), required=False, choices=OnlineMode.choices)
    pause_rule = forms.ChoiceField(label=_l("Khi yêu cầu bổ sung hồ sơ"), required=False, choices=PauseRule.choices)
    handling_unit = forms.ChoiceField(label=_l("Đơn vị giải quyết"), required=False)
    agency = _text(_l("Cơ quan thực hiện"))
    result = _text(_l("Kết quả thực hiện"))
    description = forms.CharField(label=_l("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_l("Căn cứ pháp lý (mỗi văn bản một dòng)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, units: list[Unit], new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = str(self.data.get(self.add_prefix("handling_unit"), "") if self.is_bound
                      else self.initial.get("handling_unit", ""))
        self.fields["handling_unit"].choices = handling_choices(units, current)
        self.fields["field"].choices = [("", _("— Chọn lĩnh vực —"))] + [
            (f.code, f.name) for f in Field.objects.order_by("name")]
        if not new:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Mã thủ tục không đổi giữa các phiên bản.")


class DocumentForm(forms.Form):
    name = forms.CharField(label=_l("Tên giấy tờ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    copy_type = forms.ChoiceField(label=_l("Loại bản"), required=False, choices=COPY_TYPES)
    count = _number(_l("Số lượng"), inputmode="numeric")
    required = forms.BooleanField(label=_l("Bắt buộc nộp"), required=False)
    template = _text(_l("Mẫu đơn, tờ khai (nếu có)"))
    code = _text(_l("Mã giấy tờ"), spellcheck="false", **{"class": "short"})


class FeeForm(forms.Form):
    name = _text(_l("Tên phí, lệ phí"))
    amount = _number(_l("Mức thu (đồng)"), inputmode="numeric")
    collect_at = forms.ChoiceField(label=_l("Thời điểm thu"), required=False, choices=COLLECT_AT)
    code = _text(_l("Mã phí"), spellcheck="false", **{"class": "short"})


class StepForm(forms.Form):
    name = _text(_l("Tên bước"))
    role = forms.ChoiceField(label=_l("Người thực hiện"), required=False, choices=ROLES)
    unit = forms.ChoiceField(label=_l("Đơn vị thực hiện"), required=False)
    hours = _number(_l("Số giờ làm việc"))

    def __init__(self, *args: Any, unit_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices


DocumentFormSet = formset_factory(DocumentForm, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
FeeFormSet = formset_factory(FeeForm, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
StepFormSet = formset_factory(StepForm, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS)

ROW_FIELDS = {
    "documents": ["code", "name", "copy_type", "count", "required", "template"],
    "fees": ["code", "name", "amount", "collect_at"],
    "workflow": ["name", "role", "unit", "hours"],
}
BLANK_ROWS: dict[str, dict[str, Any]] = {
    "documents": {"copy_type": "original", "count": "1", "required": True},
    "fees": {"collect_at": "receipt"},
    "workflow": {"role": "specialist", "unit": "handling"},
}
MAIN_FIELDS = list(VersionForm.base_fields)


# -- Between the body and the rows -----------------------------------------------------------------

def _plain(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if re.fullmatch(r"-?\d+\.0+", text):
        text = text.split(".")[0]
    return text


def initial_from_body(body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The editor's initial values from a procedure body (a version or an imported file)."""
    limit = body.get("time_limit") or {}
    online = body.get("online_time_limit") or {}
    main = {
        "code": body.get("code", ""), "name": body.get("name", ""),
        "field": (body.get("field") or {}).get("code", ""), "level": body.get("level", "commune"),
        "time_limit_value": _plain(limit.get("value")), "time_limit_unit": limit.get("unit", "working_days"),
        "online_time_limit_value": _plain(online.get("value")),
        "online_time_limit_unit": online.get("unit", "working_days"),
        "cutoff_time": body.get("cutoff_time") or "", "online_mode": body.get("online_mode", "none"),
        "pause_rule": body.get("pause_rule", "pause"), "handling_unit": body.get("handling_unit", "receiving"),
        "agency": body.get("agency", ""), "result": body.get("result", ""),
        "description": body.get("description", ""), "legal_basis": "\n".join(body.get("legal_basis") or []),
    }
    rows: dict[str, list[dict[str, Any]]] = {
        "documents": [{"code": d.get("code", ""), "name": d.get("name", ""),
                       "copy_type": d.get("copy_type", "original"), "count": _plain(d.get("count", 1)),
                       "required": bool(d.get("required", True)), "template": d.get("template") or ""}
                      for d in body.get("documents") or []],
        "fees": [{"code": f.get("code", ""), "name": f.get("name", ""), "amount": _plain(f.get("amount")),
                  "collect_at": f.get("collect_at", "receipt")} for f in body.get("fees") or []],
        "workflow": [{"name": s.get("name", ""), "role": s.get("role", "specialist"),
                      "unit": s.get("unit", "handling"), "hours": _plain(s.get("hours"))}
                     for s in body.get("workflow") or []],
    }
    return main, rows


def rows_from_post(data: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """The rows of one table as posted (for adding and removing rows without validating)."""
    try:
        total = min(max(int(str(data.get(f"{kind}-TOTAL_FORMS", "0"))), 0), MAX_ROWS)
    except ValueError:
        total = 0
    rows = []
    for i in range(total):
        row: dict[str, Any] = {f: str(data.get(f"{kind}-{i}-{f}", "")) for f in ROW_FIELDS[kind]}
        if "required" in row:
            row["required"] = bool(data.get(f"{kind}-{i}-required"))
        rows.append(row)
    return rows


def main_from_post(data: Mapping[str, Any]) -> dict[str, Any]:
    return {f: str(data.get(f, "")) for f in MAIN_FIELDS}


TYPED_FIELDS = {"documents": ("code", "name", "template"), "fees": ("code", "name", "amount"),
                "workflow": ("name", "hours")}


def _blank(row: Mapping[str, Any], kind: str) -> bool:
    """A row nothing was typed into (its lists and boxes aside) is not part of the version."""
    return not any(str(row.get(name) or "").strip() for name in TYPED_FIELDS[kind])


def _decimal_text(value: str) -> str:
    return value.strip().replace(" ", "").replace(",", ".")


def _money_text(value: str) -> str:
    return re.sub(r"[\s.,]", "", value)


def _next_code(prefix: str, used: set[str]) -> str:
    n = 1
    while f"{prefix}{n:02d}" in used:
        n += 1
    used.add(f"{prefix}{n:02d}")
    return f"{prefix}{n:02d}"


@dataclass
class Built:
    """A body ready for the catalogue's checks, and where each of its rows came from."""

    body: dict[str, Any]
    origin: dict[str, list[int]] = field(default_factory=dict)  # kind → body index → form index


def body_from_forms(main: Mapping[str, Any], rows: Mapping[str, list[Mapping[str, Any]]]) -> Built:
    """A procedure body from the cleaned values; rows left entirely empty are dropped, missing
    document and fee codes are numbered (TP01…, LP01…)."""
    field_row = Field.objects.filter(code=main.get("field") or "").first()
    online_value = _decimal_text(str(main.get("online_time_limit_value") or ""))
    body: dict[str, Any] = {
        "code": str(main.get("code") or "").strip(), "name": str(main.get("name") or "").strip(),
        "field": {"code": field_row.code, "name": field_row.name} if field_row else {"code": "", "name": ""},
        "level": main.get("level") or "",
        "time_limit": {"value": _decimal_text(str(main.get("time_limit_value") or "")),
                       "unit": main.get("time_limit_unit") or ""},
        "online_time_limit": ({"value": online_value, "unit": main.get("online_time_limit_unit") or ""}
                              if online_value else None),
        "cutoff_time": (str(main.get("cutoff_time") or "").strip()[:5] or None),
        "online_mode": main.get("online_mode") or "", "pause_rule": main.get("pause_rule") or "",
        "handling_unit": main.get("handling_unit") or "",
        "agency": str(main.get("agency") or "").strip(), "result": str(main.get("result") or "").strip(),
        "description": str(main.get("description") or "").strip(),
        "legal_basis": [line.strip() for line in str(main.get("legal_basis") or "").splitlines() if line.strip()],
    }
    built = Built(body)
    for kind in ("documents", "fees", "workflow"):
        kept = [(i, row) for i, row in enumerate(rows.get(kind, [])) if not _blank(row, kind)]
        built.origin[kind] = [i for i, _row in kept]
        used = {str(r.get("code") or "").strip() for _i, r in kept} - {""}
        items = []
        for _i, row in kept:
            if kind == "documents":
                items.append({
                    "code": str(row.get("code") or "").strip() or _next_code("TP", used),
                    "name": str(row.get("name") or "").strip(), "copy_type": row.get("copy_type") or "",
                    "count": _decimal_text(str(row.get("count") or "")), "required": bool(row.get("required")),
                    "template": str(row.get("template") or "").strip() or None,
                })
            elif kind == "fees":
                items.append({
                    "code": str(row.get("code") or "").strip() or _next_code("LP", used),
                    "name": str(row.get("name") or "").strip(), "amount": _money_text(str(row.get("amount") or "")),
                    "collect_at": row.get("collect_at") or "",
                })
            else:
                items.append({"name": str(row.get("name") or "").strip(), "role": row.get("role") or "",
                              "unit": row.get("unit") or "", "hours": _decimal_text(str(row.get("hours") or ""))})
        body[kind] = items
    return built


# -- Messages of the catalogue's checks, in Vietnamese, on their fields ----------------------------

def _message(error: Mapping[str, Any], where: str) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing" or (isinstance(value, str) and not value.strip()
                             and kind not in {"string_too_long", "value_error"}):
        return _("Không được để trống.")
    if kind == "string_too_long":
        return _("Quá dài: tối đa %(n)s ký tự.") % {"n": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        if where == "cutoff_time":
            return _("Giờ phải có dạng HH:MM, ví dụ 15:00.")
        return _("Mã chỉ gồm chữ cái không dấu, chữ số và các ký tự . - _ (tối đa 32 ký tự).")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Phải là một số nguyên.")
    if kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"}:
        return _("Phải là một số, ví dụ 2 hoặc 0,5.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Không được nhỏ hơn %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Không được lớn hơn %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in {"literal_error", "enum"}:
        return _("Hãy chọn một giá trị trong danh sách.")
    if kind == "value_error" and where in {"unit", "handling_unit"}:
        return _("Đơn vị không hợp lệ: chọn Bộ phận Một cửa, đơn vị giải quyết, một chức năng hoặc một cơ quan "
                 "trong danh sách.")
    return _("Giá trị không hợp lệ.")


MAIN_PLACES = {
    ("time_limit", "value"): "time_limit_value", ("time_limit", "unit"): "time_limit_unit",
    ("online_time_limit", "value"): "online_time_limit_value",
    ("online_time_limit", "unit"): "online_time_limit_unit",
}


@dataclass
class Placed:
    """Where each message goes: a main field, a row's field, a whole table, or the page."""

    main: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[tuple[str, int, str], list[str]] = field(default_factory=dict)
    tables: dict[str, list[str]] = field(default_factory=dict)
    page: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.main or self.rows or self.tables or self.page)


def _add(bucket: dict[Any, list[str]], key: Any, message: str) -> None:
    messages = bucket.setdefault(key, [])
    if message not in messages:
        messages.append(message)


def place(built: Built, where: tuple[Any, ...], message: str, placed: Placed) -> None:
    """File one message under the field `where` (a location in the body) designates."""
    if not where:
        _add(placed.main, "handling_unit", message)  # the body's own check: its unit
        return
    head = where[0]
    if head in ROW_FIELDS:
        if len(where) == 1 or not isinstance(where[1], int):
            _add(placed.tables, head, message)
            return
        origin = built.origin.get(head, [])
        index = origin[where[1]] if where[1] < len(origin) else where[1]
        name = str(where[2]) if len(where) > 2 else ("unit" if head == "workflow" else "name")
        _add(placed.rows, (head, index, name), message)
        return
    if head == "field":
        name = "field"
    elif head == "legal_basis":
        name = "legal_basis"
    else:
        name = MAIN_PLACES.get(tuple(where[:2]), str(head))
    if name in MAIN_FIELDS:
        _add(placed.main, name, message)
    elif message not in placed.page:
        placed.page.append(message)


def place_pydantic(built: Built, errors: Iterable[Mapping[str, Any]], placed: Placed) -> None:
    for error in errors:
        where = tuple(error.get("loc") or ())
        if where and where[0] in ROW_FIELDS and len(where) == 2:
            target = "unit" if where[0] == "workflow" else "name"
            place(built, (*where, target), _message(error, target), placed)
            continue
        last = str(where[-1]) if where else "handling_unit"
        place(built, where, _message(error, last), placed)
