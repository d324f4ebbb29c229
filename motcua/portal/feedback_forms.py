"""Forms of the rating and petition pages. They check the shape of what was typed; who may rate,
when, and the petition rules stay in the feedback services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.domain import EMAIL_RE
from motcua.accounts.models import Membership, Role
from motcua.accounts.web import MultipleFileField, PageForm, required
from motcua.feedback.models import Category, Level
from motcua.units.models import Unit

from .forms import LookupForm, clean_email, clean_phone


def _levels(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Level.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Vui lòng chọn một mức đánh giá."),
                                             "invalid_choice": _("Vui lòng chọn một mức đánh giá.")})


class RatingForm(PageForm):
    overall = _levels(_("Đánh giá chung về việc giải quyết hồ sơ"))
    attitude = _levels(_("Thái độ phục vụ của cán bộ"))
    timeliness = _levels(_("Thời gian giải quyết"))
    clarity = _levels(_("Hướng dẫn, thông tin rõ ràng, dễ hiểu"))
    comment = forms.CharField(label=_("Góp ý thêm (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": _("Góp ý tối đa 2.000 ký tự.")})

    def criteria(self) -> dict[str, str]:
        return {k: self.cleaned_data[k] for k in ("attitude", "timeliness", "clarity")}


class RatingLookupForm(LookupForm):
    """The dossier code (printed on Mẫu 01, carried by its QR code) and the phone's last 4 digits."""


class RatingCodeForm(PageForm):
    """For the applicant logged in: the code only."""

    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=40, error_messages=required(_("mã hồ sơ")))

    def clean_ma(self) -> str:
        return self.cleaned_data["ma"].strip()


def petition_units() -> list[tuple[str, str]]:
    """Units that have officials to handle petitions (reception, specialists, leaders)."""
    ids = Membership.objects.filter(role__in=(Role.RECEPTION, Role.SPECIALIST, Role.LEADER)).values("unit_id")
    return [(u.code, u.name) for u in Unit.objects.filter(pk__in=ids, is_active=True).order_by("name")]


class PetitionForm(PageForm):
    category = forms.ChoiceField(label=_("Loại phản ánh, kiến nghị"), choices=Category.choices,
                                 widget=forms.RadioSelect, error_messages={
                                     "required": _("Vui lòng chọn loại phản ánh, kiến nghị."),
                                     "invalid_choice": _("Vui lòng chọn loại phản ánh, kiến nghị.")})
    unit = forms.ChoiceField(label=_("Cơ quan, đơn vị nhận phản ánh"), error_messages={
        "required": _("Vui lòng chọn cơ quan, đơn vị."), "invalid_choice": _("Vui lòng chọn cơ quan, đơn vị.")})
    dossier = forms.CharField(label=_("Mã hồ sơ liên quan (nếu có)"), required=False, max_length=40)
    title = forms.CharField(label=_("Tiêu đề"), max_length=255, error_messages=required(_("tiêu đề")))
    content = forms.CharField(label=_("Nội dung phản ánh, kiến nghị"), max_length=10_000,
                              widget=forms.Textarea(attrs={"rows": 6}), error_messages={
                                  **required(_("nội dung")), "max_length": _("Nội dung tối đa 10.000 ký tự.")})
    name = forms.CharField(label=_("Họ và tên người gửi"), max_length=255, error_messages=required(_("họ và tên")))
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, error_messages=required(_("số điện thoại")),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("Thư điện tử (không bắt buộc)"), required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    attachments = MultipleFileField(label=_("Tệp đính kèm (ảnh, PDF; tối đa 5 tệp)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("— Chọn cơ quan, đơn vị —")), *petition_units()]

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"], allow_empty=False)

    def clean_email(self) -> str:
        value = clean_email(self.cleaned_data["email"])
        assert not value or EMAIL_RE.match(value)
        return value

    def clean_dossier(self) -> str:
        return self.cleaned_data["dossier"].strip()


class PetitionLookupForm(LookupForm):
    ma = forms.CharField(label=_("Mã phản ánh"), max_length=24, help_text=_("Ví dụ PA-260310-0001."),
                         error_messages=required(_("mã phản ánh")))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["so"].label = _("4 số cuối điện thoại người gửi")


class ProvideInfoForm(PageForm):
    note = forms.CharField(label=_("Thông tin bổ sung"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages=required(_("thông tin bổ sung")))
    attachments = MultipleFileField(label=_("Tệp đính kèm (không bắt buộc)"))


class PublicSearchForm(PageForm):
    q = forms.CharField(label=_("Tìm trong các câu trả lời (có dấu hoặc không dấu)"), required=False, max_length=200)
    unit = forms.ChoiceField(label=_("Cơ quan, đơn vị"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả cơ quan, đơn vị")), *petition_units()]
