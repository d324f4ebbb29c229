"""Forms of the report pages: they check what was typed and say what is wrong in Vietnamese next to
the field. What a report counts is the report selectors' business."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.reports.domain import Period
from motcua.reports.models import ReportFormat, ReportKind
from motcua.reports.selectors import DOSSIER_SET_KEYS

EARLIEST = date(2000, 1, 1)
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PageForm(forms.Form):
    use_required_attribute = False  # our Vietnamese messages, not the browser's bubbles


def _date_field(label: Any, required_message: Any) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": required_message, "invalid": _("Ngày không hợp lệ.")})


class UnitForm(PageForm):
    unit = forms.ChoiceField(label=_("Đơn vị"), error_messages={
        "required": _("Vui lòng chọn đơn vị."),
        "invalid_choice": _("Bạn không có quyền xem báo cáo của đơn vị này, hoặc đơn vị không tồn tại.")})

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units


class PeriodForm(UnitForm):
    """A unit and a period of whole days, ``date_from`` ≤ ``date_to`` ≤ today."""

    date_from = _date_field(_("Từ ngày"), _("Vui lòng nhập ngày bắt đầu."))
    date_to = _date_field(_("Đến ngày"), _("Vui lòng nhập ngày kết thúc."))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first is not None and first < EARLIEST:
            self.add_error("date_from", _("Ngày bắt đầu phải từ năm 2000 trở đi."))
        if last is not None and last > self.today:
            self.add_error("date_to", _("Ngày kết thúc không được sau ngày hôm nay."))
        if first is not None and last is not None and first > last:
            self.add_error("date_to", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["date_from"], self.cleaned_data["date_to"])


class DossierSetForm(PeriodForm):
    """The dossiers behind one figure: an II.06a cell or a 766 indicator (its numerator or
    denominator), optionally one field of the II.06a."""

    set = forms.ChoiceField(label=_("Số liệu"), choices=[(k, k) for k in DOSSIER_SET_KEYS], error_messages={
        "required": _("Vui lòng chọn số liệu."), "invalid_choice": _("Không có số liệu này.")})
    part = forms.ChoiceField(label=_("Phần"), required=False, choices=[
        ("numerator", _("Tử số")), ("denominator", _("Mẫu số"))], error_messages={
        "invalid_choice": _("Chỉ chọn được tử số hoặc mẫu số.")})
    field = forms.RegexField(label=_("Lĩnh vực"), required=False, regex=r"^[A-Za-z0-9_.\-]{1,32}$",
                             error_messages={"invalid": _("Mã lĩnh vực không hợp lệ.")})


class IdleForm(UnitForm):
    days = forms.IntegerField(label=_("Số ngày làm việc không có thao tác"), min_value=1, max_value=60,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}), error_messages={
                                  "required": _("Vui lòng nhập số ngày làm việc."),
                                  "invalid": _("Số ngày phải là một số nguyên."),
                                  "min_value": _("Số ngày phải từ 1 trở lên."),
                                  "max_value": _("Số ngày tối đa là 60.")})


class JobForm(PeriodForm):
    """A report queued as a background job (long periods)."""

    kind = forms.ChoiceField(label=_("Báo cáo"), choices=ReportKind.choices, error_messages={
        "required": _("Vui lòng chọn báo cáo."), "invalid_choice": _("Loại báo cáo không hợp lệ.")})
    format = forms.ChoiceField(label=_("Định dạng"), choices=[(ReportFormat.XLSX, "Excel"),
                                                              (ReportFormat.PDF, "PDF")],
                               error_messages={"required": _("Vui lòng chọn định dạng."),
                                               "invalid_choice": _("Định dạng không hợp lệ.")})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ReportKind.II07B and data.get("format") == ReportFormat.PDF:
            self.add_error("format", _("Biểu II.07b chỉ xuất được dạng Excel."))
        return data
