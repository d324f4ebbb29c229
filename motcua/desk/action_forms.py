"""The desk's action forms: one per kind of input of the dossier action registry. A form is built
for one action (its prefix) with the dossier's choices (`for_dossier`); once valid, `payload()`
gives that action's typed input, of the registry's type for it; the services check the same things
again and say what is wrong (desk/actions.error_field)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.accounts.selectors import Actor
from motcua.accounts.web import MultipleFileField, PageForm, required
from motcua.core import clock
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.selectors import (
    consultable_units,
    current_step_pool,
    next_step_pool,
    open_consultations,
    send_back_steps,
)
from motcua.dossiers.services import ACTIONS, ActionInput


class ActionForm(PageForm):
    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix)

    def payload(self) -> ActionInput:
        """The action's input (the registry's type for the action this form is for: its prefix)."""
        return ACTIONS[self.prefix or ""].input.model_validate(self.values())

    def values(self) -> dict[str, Any]:
        return {}


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def values(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note", "")}


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages=required(_("lý do")))

    def values(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class ForwardForm(NoteForm):
    assignee = forms.ChoiceField(label=_("Giao cho"), required=False)

    def __init__(self, *args: Any, assignees: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Bất kỳ ai có vai trò của bước tiếp theo —")), *(assignees or [])]

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix, assignees=next_step_pool(dossier))

    def values(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note", ""), "assignee": self.cleaned_data.get("assignee") or None}


class ResolveForm(NoteForm):
    decision = forms.ChoiceField(label=_("Quyết định"), widget=forms.RadioSelect, initial="approved",
                                 choices=[("approved", _("Đồng ý, ban hành kết quả")),
                                          ("denied", _("Từ chối giải quyết (có văn bản trả lời)"))],
                                 error_messages={"required": _("Vui lòng chọn quyết định.")})

    def values(self) -> dict[str, Any]:
        return {"decision": self.cleaned_data["decision"], "note": self.cleaned_data.get("note", "")}


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

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix, documents=dossier.procedure_version.documents)

    def values(self) -> dict[str, Any]:
        items = [{"document": code, "name": self.names[code]} for code in self.cleaned_data.get("documents", [])]
        other = (self.cleaned_data.get("other") or "").strip()
        if other:
            items.append({"name": other})
        return {"reason": self.cleaned_data["reason"], "items": items}


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

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix, fees=dossier.procedure_version.fees)

    def values(self) -> dict[str, Any]:
        fees = [{"code": c, "amount": self.cleaned_data[f"fee_{c}"], "name": n} for c, n in self.fee_names.items()
                if self.cleaned_data.get(f"fee_{c}")]
        return {"fees": fees, "note": self.cleaned_data.get("note", "")}


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

    def values(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"], "new_due_at": self.cleaned_data["new_due_at"]}


class SupplementOnBehalfForm(NoteForm):
    def __init__(self, *args: Any, documents: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for doc in documents:
            self.fields[f"doc_{doc['code']}"] = MultipleFileField(label=doc["name"])

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix, documents=dossier.procedure_version.documents)


class ClaimForm(ActionForm):
    """An action that needs nothing typed (claim)."""

    def values(self) -> dict[str, Any]:
        return {}


class ReassignForm(NoteForm):
    assignee = forms.ChoiceField(label=_("Giao cho"), required=False, error_messages={
        "invalid_choice": _("Người được giao không có vai trò của bước hiện tại.")})
    field_order = ["assignee", "note"]

    def __init__(self, *args: Any, officials: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Trả về nhóm xử lý chung (chưa giao cho ai) —")), *officials]

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix, officials=current_step_pool(dossier))

    def values(self) -> dict[str, Any]:
        return {"assignee": self.cleaned_data.get("assignee") or None, "note": self.cleaned_data.get("note", "")}


class SendBackForm(ReasonForm):
    step = forms.TypedChoiceField(label=_("Trả lại bước"), coerce=int, error_messages={
        "required": _("Vui lòng chọn bước trả lại."),
        "invalid_choice": _("Chỉ có thể trả lại một bước trước bước hiện tại.")})
    field_order = ["step", "reason"]

    def __init__(self, *args: Any, steps: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(str(i), f"{i + 1}. {name}") for i, name in steps]
        if steps:
            self.fields["step"].initial = str(steps[-1][0])

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix, steps=send_back_steps(dossier))

    def values(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"], "step": self.cleaned_data["step"]}


class ConsultForm(ActionForm):
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

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        return cls(data, files, prefix=prefix, units=consultable_units(dossier))

    def values(self) -> dict[str, Any]:
        return {"unit": self.cleaned_data["unit"], "question": self.cleaned_data["question"],
                "hours": float(self.cleaned_data["hours"])}


def _consultation_label(row: Consultation) -> str:
    question = row.question if len(row.question) <= 80 else row.question[:79] + "…"
    return str(_("%(unit)s: %(question)s (hạn %(due)s)")) % {
        "unit": row.unit.name, "question": question, "due": f"{clock.local(row.due_at):%H:%M %d/%m/%Y}"}


class AnswerConsultationForm(ActionForm):
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

    @classmethod
    def for_dossier(cls, dossier: Dossier, actor: Actor, data: Any = None, files: Any = None, *,
                    prefix: str) -> ActionForm:
        rows = open_consultations(actor, dossier)
        return cls(data, files, prefix=prefix, open_items=[(r.pk, _consultation_label(r)) for r in rows])

    def values(self) -> dict[str, Any]:
        return {"consultation": self.cleaned_data["consultation"], "answer": self.cleaned_data["answer"]}
