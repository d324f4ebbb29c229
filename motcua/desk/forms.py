"""Forms of the officials' desk: they check what was typed and say what is wrong in Vietnamese
next to the field; the rules are the services'."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.accounts.domain import EMAIL_RE, PHONE_RE, id_number_problem
from motcua.accounts.web import MultipleFileField, PageForm, required
from motcua.core.text import nfc

COPY_TYPES = {"original": _("Bản chính"), "certified_copy": _("Bản sao có chứng thực"),
              "copy": _("Bản sao hoặc bản chụp"), "electronic": _("Bản điện tử")}


def document_hint(doc: dict[str, Any]) -> str:
    """'Bản chính · 1 bản · bắt buộc' under a document's name."""
    kind = str(COPY_TYPES.get(doc.get("copy_type", ""), doc.get("copy_type", "")))
    need = _("bắt buộc") if doc.get("required") else _("khi thuộc trường hợp này")
    count = int(doc.get("count") or 1)
    copies = ngettext("%(n)s bản", "%(n)s bản", count) % {"n": count}
    return f"{kind} · {copies} · {need}"


class LoginForm(PageForm):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150, error_messages=required(_("tên đăng nhập")))
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, max_length=256,
                               error_messages=required(_("mật khẩu")))


class SearchForm(PageForm):
    q = forms.CharField(label=_("Mã hồ sơ hoặc tên người nộp"), max_length=100, error_messages=required(
        _("mã hồ sơ hoặc tên người nộp")))


class ProcedureSearchForm(PageForm):
    q = forms.CharField(label=_("Tìm thủ tục"), max_length=200, required=False)


class ReceiveForm(PageForm):
    """Receiving a walk-in or postal dossier on behalf of the applicant."""

    receiving_unit = forms.ChoiceField(label=_("Đơn vị tiếp nhận"), error_messages={
        "required": _("Vui lòng chọn đơn vị tiếp nhận."), "invalid_choice": _("Đơn vị tiếp nhận không hợp lệ.")})
    channel = forms.ChoiceField(label=_("Hình thức nộp"), widget=forms.RadioSelect, initial="direct",
                                choices=[("direct", _("Trực tiếp tại Bộ phận Một cửa")),
                                         ("postal", _("Qua bưu chính công ích"))],
                                error_messages={"required": _("Vui lòng chọn hình thức nộp.")})
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=12, required=False,
                                help_text=_("12 chữ số. Bấm «Điền từ hồ sơ trước» để lấy thông tin đã có."),
                                error_messages={"max_length": _("Số định danh cá nhân gồm đúng 12 chữ số.")})
    name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255, error_messages=required(_("họ và tên")))
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                            help_text=_("Người nộp dùng 4 số cuối để tra cứu hồ sơ."))
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=100, initial=1, error_messages={
        "required": _("Vui lòng nhập số bộ hồ sơ."), "invalid": _("Số bộ hồ sơ phải là một số."),
        "min_value": _("Số bộ hồ sơ phải từ 1 đến 100."), "max_value": _("Số bộ hồ sơ phải từ 1 đến 100.")})
    result_delivery = forms.ChoiceField(label=_("Nhận kết quả"), widget=forms.RadioSelect, initial="desk",
                                        choices=[("desk", _("Tại Bộ phận Một cửa")),
                                                 ("postal", _("Qua bưu chính công ích")),
                                                 ("online", _("Trực tuyến"))],
                                        error_messages={"required": _("Vui lòng chọn cách nhận kết quả.")})

    def __init__(self, *args: Any, units: list[tuple[str, str]], documents: list[dict[str, Any]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        self.fields["receiving_unit"].choices = units
        if len(units) == 1:
            self.fields["receiving_unit"].initial = units[0][0]
        for doc in documents:
            self.fields[f"got_{doc['code']}"] = forms.BooleanField(
                label=doc["name"], required=False)
            self.fields[f"file_{doc['code']}"] = MultipleFileField(label=format_lazy(
                _("Bản quét: {name}"), name=doc["name"]))

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if value and id_number_problem(value):
            raise ValidationError(_("Số định danh cá nhân không hợp lệ: cần đúng 12 chữ số."))
        return value

    def clean_name(self) -> str:
        return nfc(self.cleaned_data["name"].strip())

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s.\-]", "", self.cleaned_data["phone"] or "")
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."))
        return phone

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and not EMAIL_RE.match(email):
            raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ."))
        return email

    def doc_rows(self, staged: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        return [{"doc": d, "got": self[f"got_{d['code']}"], "file": self[f"file_{d['code']}"],
                 "kept": staged.get(d["code"], []), "hint": document_hint(d)} for d in self.documents]


class UploadForm(PageForm):
    document = forms.ChoiceField(label=_("Thành phần hồ sơ"), error_messages={
        "required": _("Vui lòng chọn thành phần hồ sơ."), "invalid_choice": _("Thành phần hồ sơ không hợp lệ.")})
    files = MultipleFileField(label=_("Tệp (bản quét hoặc bản điện tử)"))
    digitised = forms.BooleanField(label=_("Bản quét (số hóa) từ giấy tờ bản giấy"), required=False, initial=True,
                                   help_text=_("Bỏ chọn khi tệp là bản điện tử người nộp gửi, không phải bản quét."))

    def __init__(self, *args: Any, documents: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("— Chọn —")), *((d["code"], d["name"]) for d in documents)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("files"):
            self.add_error("files", _("Vui lòng chọn tệp để tải lên."))
        return data


class ResultUploadForm(PageForm):
    files = MultipleFileField(label=_("Tệp kết quả (PDF)"))

    def __init__(self, *args: Any, draft: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if draft:
            self.fields["files"].label = _("Tệp dự thảo kết quả (PDF)")
            self.fields["files"].widget.attrs["accept"] = ".pdf,application/pdf"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("files"):
            self.add_error("files", _("Vui lòng chọn tệp kết quả."))
        return data


class TrackingBookForm(PageForm):
    unit = forms.ChoiceField(label=_("Đơn vị tiếp nhận"), error_messages={
        "required": _("Vui lòng chọn đơn vị."), "invalid_choice": _("Đơn vị không hợp lệ.")})
    date_from = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                input_formats=["%Y-%m-%d", "%d/%m/%Y"], error_messages={
                                    "required": _("Vui lòng nhập ngày bắt đầu."), "invalid": _("Ngày không hợp lệ.")})
    date_to = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              input_formats=["%Y-%m-%d", "%d/%m/%Y"], error_messages={
                                  "required": _("Vui lòng nhập ngày kết thúc."), "invalid": _("Ngày không hợp lệ.")})

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units
