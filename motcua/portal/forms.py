"""Forms of the citizen portal. They check the shape of what was typed and say what is wrong in
Vietnamese next to the field; the rules themselves stay in the domain and the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts.domain import EMAIL_RE, PHONE_RE, id_number_problem
from motcua.accounts.web import MultipleFileField, PageForm, required
from motcua.catalog.models import Field, OnlineMode, ProcedureLevel
from motcua.core.text import nfc


def clean_phone(value: str, *, allow_empty: bool = True) -> str:
    phone = re.sub(r"[\s.\-]", "", value or "")
    if not phone and allow_empty:
        return ""
    if not PHONE_RE.match(phone):
        raise ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."))
    return phone


def clean_email(value: str) -> str:
    email = (value or "").strip()
    if email and not EMAIL_RE.match(email):
        raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ (ví dụ ten@example.vn)."))
    return email


class SearchForm(PageForm):
    q = forms.CharField(label=_("Tên thủ tục hoặc mã thủ tục"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), required=False,
                              choices=[("", _("Tất cả")), *list(ProcedureLevel.choices)])
    online = forms.ChoiceField(label=_("Dịch vụ công trực tuyến"), required=False,
                               choices=[("", _("Tất cả")), *list(OnlineMode.choices)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực"))] + [
            (f.code, f.name) for f in Field.objects.order_by("name")
        ]


class LoginForm(PageForm):
    username = forms.CharField(label=_("Số định danh cá nhân (12 chữ số)"), max_length=150,
                               error_messages=required(_("số định danh cá nhân")))
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, max_length=256,
                               error_messages=required(_("mật khẩu")))


class RegisterForm(PageForm):
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=12,
                                help_text=_("12 chữ số, in trên thẻ Căn cước."),
                                error_messages={**required(_("số định danh cá nhân")),
                                                "max_length": _("Số định danh cá nhân gồm đúng 12 chữ số.")})
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255, error_messages=required(_("họ và tên")))
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": _("Ngày sinh không hợp lệ.")})
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20,
                            help_text=_("Dùng để tra cứu hồ sơ và nhận thông báo."),
                            error_messages=required(_("số điện thoại")))
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, max_length=256,
                               help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số."),
                               error_messages=required(_("mật khẩu")))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput, max_length=256,
                                error_messages=required(_("lại mật khẩu")))

    # Shape checks with the domain's own rules, so that every mistake is shown at once; the account
    # itself (taken ID number, password strength) is checked by citizen_register.
    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if id_number_problem(value):
            raise ValidationError(_("Số định danh cá nhân không hợp lệ: cần đúng 12 chữ số như trên thẻ Căn cước."))
        return value

    def clean_full_name(self) -> str:
        return nfc(self.cleaned_data["full_name"].strip())

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], allow_empty=False)

    def clean_email(self) -> str:
        return clean_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        id_number, birth = data.get("id_number"), data.get("birth_date")
        if id_number and birth and id_number_problem(id_number, birth):
            self.add_error("birth_date", _("Năm sinh không khớp với số định danh cá nhân."))
        password, again = data.get("password"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


class ApplicantForm(PageForm):
    """Step 1 of the online submission: where to submit, how to be reached, how to get the result."""

    receiving_unit = forms.ChoiceField(label=_("Nơi nộp hồ sơ"), error_messages={
        "required": _("Vui lòng chọn nơi nộp hồ sơ."), "invalid_choice": _("Vui lòng chọn nơi nộp hồ sơ trong danh sách.")})
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, error_messages=required(_("số điện thoại")))
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=500, error_messages=required(_("địa chỉ liên hệ")))
    result_delivery = forms.ChoiceField(label=_("Nhận kết quả"), widget=forms.RadioSelect, error_messages={
        "required": _("Vui lòng chọn cách nhận kết quả."), "invalid_choice": _("Cách nhận kết quả không hợp lệ.")})

    def __init__(self, *args: Any, units: list[tuple[str, str]], deliveries: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].choices = [("", _("— Chọn nơi nộp —")), *units]
        self.fields["result_delivery"].choices = deliveries

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], allow_empty=False)

    def clean_email(self) -> str:
        return clean_email(self.cleaned_data["email"])

    def clean_address(self) -> str:
        return nfc(self.cleaned_data["address"].strip())


class DocumentsForm(PageForm):
    """Step 2: one file control per document of the procedure. Files already kept are not lost."""

    def __init__(self, *args: Any, documents: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for doc in documents:
            self.fields[f"doc_{doc['code']}"] = MultipleFileField(label=doc["name"])

    def files_for(self, code: str) -> list[Any]:
        return self.files.getlist(f"doc_{code}") if self.files else []


class ReasonForm(PageForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages=required(_("lý do")))


class SupplementForm(PageForm):
    note = forms.CharField(label=_("Ghi chú cho cơ quan giải quyết"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, documents: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for doc in documents:
            self.fields[f"doc_{doc['code']}"] = MultipleFileField(label=doc["name"])


class LookupForm(PageForm):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=40,
                         help_text=_("In trên giấy tiếp nhận, ví dụ 000.01.31.H45-260310-0001."),
                         error_messages=required(_("mã hồ sơ")))
    so = forms.CharField(label=_("4 số cuối điện thoại của người nộp"), max_length=4, min_length=4,
                         error_messages={**required(_("4 số cuối điện thoại")),
                                         "min_length": _("Vui lòng nhập đúng 4 chữ số."),
                                         "max_length": _("Vui lòng nhập đúng 4 chữ số.")})

    def clean_ma(self) -> str:
        return self.cleaned_data["ma"].strip()

    def clean_so(self) -> str:
        value = self.cleaned_data["so"].strip()
        if not value.isdigit():
            raise ValidationError(_("Vui lòng nhập đúng 4 chữ số."))
        return value
