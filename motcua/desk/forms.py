"""Forms of the officials' desk: they check what was typed and say what is wrong in Vietnamese
next to the field; the rules are the services'."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.accounts.domain import id_number_problem
from motcua.core import clock
from motcua.core.text import nfc
from motcua.dossiers.services.create import EMAIL_RE, PHONE_RE

ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


COPY_TYPES = {"original": _("Bản chính"), "certified_copy": _("Bản sao có chứng thực"),
              "copy": _("Bản sao hoặc bản chụp"), "electronic": _("Bản điện tử")}


def document_hint(doc: dict[str, Any]) -> str:
    """'Bản chính · 1 bản · bắt buộc' under a document's name."""
    kind = str(COPY_TYPES.get(doc.get("copy_type", ""), doc.get("copy_type", "")))
    need = _("bắt buộc") if doc.get("required") else _("khi thuộc trường hợp này")
    count = int(doc.get("count") or 1)
    copies = ngettext("%(n)s bản", "%(n)s bản", count) % {"n": count}
    return f"{kind} · {copies} · {need}"


class PageForm(forms.Form):
    use_required_attribute = False  # our Vietnamese messages, not the browser's bubbles


def required(label: Any) -> dict[str, Any]:
    return {"required": format_lazy(_("Vui lòng nhập {label}."), label=label)}


class MultiFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        # No checks here (an empty file would otherwise make the whole form invalid and the other
        # files of the request be dropped): storing each file checks it and names the problem.
        if isinstance(data, list | tuple):
            return [item for item in data if item]
        return [data] if data else []


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


# --- actions on a dossier ----------------------------------------------------------------------

class NoteForm(PageForm):
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(PageForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages=required(_("lý do")))


class ForwardForm(NoteForm):
    assignee = forms.ChoiceField(label=_("Giao cho"), required=False)

    def __init__(self, *args: Any, assignees: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Bất kỳ ai có vai trò của bước tiếp theo —")), *(assignees or [])]


class ResolveForm(NoteForm):
    decision = forms.ChoiceField(label=_("Quyết định"), widget=forms.RadioSelect, initial="approved",
                                 choices=[("approved", _("Đồng ý, ban hành kết quả")),
                                          ("denied", _("Từ chối giải quyết (có văn bản trả lời)"))],
                                 error_messages={"required": _("Vui lòng chọn quyết định.")})


class SupplementRequestForm(ReasonForm):
    documents = forms.MultipleChoiceField(label=_("Giấy tờ cần bổ sung"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    other = forms.CharField(label=_("Giấy tờ khác cần bổ sung"), max_length=500, required=False)

    def __init__(self, *args: Any, documents: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = {d["code"]: d["name"] for d in documents}
        self.fields["documents"].choices = list(self.names.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("documents") and not (data.get("other") or "").strip():
            self.add_error("documents", _("Vui lòng chọn ít nhất một giấy tờ cần bổ sung (phải nêu đủ một lần)."))
        return data

    def items(self) -> list[dict[str, Any]]:
        items = [{"document": code, "name": self.names[code]} for code in self.cleaned_data.get("documents", [])]
        other = (self.cleaned_data.get("other") or "").strip()
        if other:
            items.append({"name": other})
        return items


class PaymentForm(NoteForm):
    def __init__(self, *args: Any, fees: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fee_names = {f["code"]: f.get("name") or f["code"] for f in fees}
        for fee in fees:
            self.fields[f"fee_{fee['code']}"] = forms.IntegerField(
                label=format_lazy(_("{name} (đồng)"), name=self.fee_names[fee["code"]]), required=False,
                min_value=0, initial=fee.get("amount"),
                error_messages={"invalid": _("Số tiền phải là một số."), "min_value": _("Số tiền không được âm.")})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.fee_names or all(data.get(f"fee_{c}") in (None, 0) for c in self.fee_names):
            self.add_error(None, _("Vui lòng nêu khoản phí, lệ phí phải nộp."))
        return data

    def fees(self) -> list[dict[str, Any]]:
        return [{"code": c, "amount": self.cleaned_data[f"fee_{c}"], "name": n} for c, n in self.fee_names.items()
                if self.cleaned_data.get(f"fee_{c}")]


class ApologizeForm(ReasonForm):
    new_due_at = forms.DateTimeField(label=_("Ngày giờ hẹn trả mới"), input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"),
                                     error_messages={"required": _("Vui lòng nhập ngày giờ hẹn trả mới."),
                                                     "invalid": _("Ngày giờ không hợp lệ.")})

    def clean_new_due_at(self) -> datetime:
        value: datetime = self.cleaned_data["new_due_at"]
        if value.tzinfo is None:
            value = value.replace(tzinfo=clock.VN_TZ)
        return clock.local(value)


class SupplementOnBehalfForm(NoteForm):
    def __init__(self, *args: Any, documents: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for doc in documents:
            self.fields[f"doc_{doc['code']}"] = MultipleFileField(label=doc["name"])


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


# --- step actions (issue 4) ----------------------------------------------------------------------

class EmptyForm(PageForm):
    """An action that needs nothing typed (claim)."""


class ReassignForm(NoteForm):
    assignee = forms.ChoiceField(label=_("Giao cho"), required=False, error_messages={
        "invalid_choice": _("Người được giao không có vai trò của bước hiện tại.")})
    field_order = ["assignee", "note"]

    def __init__(self, *args: Any, officials: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Trả về nhóm xử lý chung (chưa giao cho ai) —")), *officials]


class SendBackForm(ReasonForm):
    step = forms.TypedChoiceField(label=_("Trả lại bước"), coerce=int, error_messages={
        "required": _("Vui lòng chọn bước trả lại."),
        "invalid_choice": _("Chỉ có thể trả lại một bước trước bước hiện tại.")})
    field_order = ["step", "reason"]

    def __init__(self, *args: Any, steps: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(str(i), name) for i, name in steps]
        if steps:
            self.fields["step"].initial = str(steps[-1][0])


class ConsultForm(PageForm):
    unit = forms.ChoiceField(label=_("Đơn vị được xin ý kiến"), error_messages={
        "required": _("Vui lòng chọn đơn vị được xin ý kiến."),
        "invalid_choice": _("Đơn vị được xin ý kiến không hợp lệ.")})
    question = forms.CharField(label=_("Nội dung xin ý kiến"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}), error_messages=required(_("nội dung xin ý kiến")))
    hours = forms.DecimalField(label=_("Thời hạn trả lời (giờ làm việc)"), min_value=Decimal("0.5"),
                               max_value=Decimal(400), max_digits=6, decimal_places=1, initial=8,
                               help_text=_("8 giờ làm việc là một ngày làm việc."), error_messages={
                                   "required": _("Vui lòng nhập thời hạn trả lời."),
                                   "invalid": _("Thời hạn trả lời phải là một số giờ."),
                                   "min_value": _("Thời hạn trả lời phải từ 0,5 đến 400 giờ làm việc."),
                                   "max_value": _("Thời hạn trả lời phải từ 0,5 đến 400 giờ làm việc."),
                                   "max_digits": _("Thời hạn trả lời phải từ 0,5 đến 400 giờ làm việc."),
                                   "max_decimal_places": _("Thời hạn trả lời chỉ lấy một chữ số thập phân.")})

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("— Chọn đơn vị —")), *units]


class AnswerConsultationForm(PageForm):
    consultation = forms.TypedChoiceField(label=_("Yêu cầu xin ý kiến"), coerce=int, error_messages={
        "required": _("Vui lòng chọn yêu cầu xin ý kiến."),
        "invalid_choice": _("Yêu cầu xin ý kiến không còn chờ đơn vị bạn trả lời.")})
    answer = forms.CharField(label=_("Ý kiến trả lời"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages=required(_("ý kiến trả lời")))

    def __init__(self, *args: Any, open_items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].choices = [(str(pk), label) for pk, label in open_items]
        if len(open_items) == 1:
            self.fields["consultation"].initial = str(open_items[0][0])


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
