"""Petitions (phản ánh, kiến nghị) at the desk: the worklist with deadlines and overdue marks, the
petition page with the unit's actions, and the rates per unit for supervisors. Rules and
visibility are the feedback app's (services, selectors); these views translate."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import Membership, Role
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents.storage import open_stored
from motcua.feedback import domain, stats
from motcua.feedback.models import Category, Petition, PetitionStatus
from motcua.feedback.reminders import due_soon_until
from motcua.feedback.selectors import available_actions, petition_get, petitions_visible_to
from motcua.feedback.services import petition_perform, times_of
from motcua.units.models import Unit

from .common import actor_of, form_error, official_required

LISTS: dict[str, tuple[Any, Q]] = {
    "cho-phan-loai": (gettext_lazy("Chờ phân loại"), Q(status="received")),
    "cho-bo-sung": (gettext_lazy("Chờ người gửi bổ sung"), Q(status="info_requested")),
    "dang-xu-ly": (gettext_lazy("Đang xử lý, chờ trả lời"), Q(status="accepted")),
    "cho-cong-khai": (gettext_lazy("Chờ công khai"), Q(status="answered", public=True)),
    "da-xong": (gettext_lazy("Đã kết thúc"), Q(closed_at__isnull=False)),
}
ALERT = "qua-han"
SOON = "sap-den-han"


class _Form(forms.Form):
    use_required_attribute = False


class ReasonForm(_Form):
    reason = forms.CharField(label=gettext_lazy("Lý do từ chối"), max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": gettext_lazy("Vui lòng nhập lý do.")})


class NoteForm(_Form):
    note = forms.CharField(label=gettext_lazy("Nội dung đề nghị bổ sung"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": gettext_lazy("Vui lòng nhập nội dung.")})


class AnswerForm(_Form):
    answer = forms.CharField(label=gettext_lazy("Nội dung trả lời"), max_length=20_000,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             error_messages={"required": gettext_lazy("Vui lòng nhập nội dung trả lời.")})
    public = forms.BooleanField(label=gettext_lazy("Công khai câu trả lời trên Cổng (không kèm thông tin cá nhân)"),
                                required=False)


class TransferForm(_Form):
    unit = forms.ChoiceField(label=gettext_lazy("Chuyển đến đơn vị có thẩm quyền"),
                             error_messages={"required": gettext_lazy("Vui lòng chọn đơn vị."),
                                             "invalid_choice": gettext_lazy("Đơn vị không hợp lệ.")})
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, current: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = Membership.objects.filter(role__in=(Role.RECEPTION, Role.SPECIALIST, Role.LEADER)).values("unit_id")
        self.fields["unit"].choices = [("", _("— Chọn đơn vị —"))] + [
            (u.code, u.name) for u in Unit.objects.filter(pk__in=ids, is_active=True).exclude(pk=current)
            .order_by("name")]


ACTIONS: dict[str, tuple[Any, Any, type[forms.Form], str]] = {
    "accept": (gettext_lazy("Tiếp nhận xử lý"), gettext_lazy("Tiếp nhận"), _Form, "ok"),
    "request-info": (gettext_lazy("Đề nghị người gửi bổ sung thông tin"), gettext_lazy("Gửi đề nghị"), NoteForm, ""),
    "refuse": (gettext_lazy("Từ chối tiếp nhận"), gettext_lazy("Từ chối"), ReasonForm, "danger"),
    "transfer": (gettext_lazy("Chuyển đơn vị có thẩm quyền"), gettext_lazy("Chuyển"), TransferForm, ""),
    "answer": (gettext_lazy("Trả lời người gửi"), gettext_lazy("Gửi trả lời"), AnswerForm, "ok"),
    "publish": (gettext_lazy("Công khai câu trả lời"), gettext_lazy("Công khai"), _Form, "ok"),
}
EVENT_NAMES: dict[str, Any] = {
    "create": gettext_lazy("Tiếp nhận phản ánh"), "accept": gettext_lazy("Tiếp nhận xử lý"),
    "refuse": gettext_lazy("Từ chối tiếp nhận"), "request-info": gettext_lazy("Đề nghị bổ sung thông tin"),
    "provide-info": gettext_lazy("Người gửi bổ sung thông tin"), "answer": gettext_lazy("Trả lời"),
    "publish": gettext_lazy("Công khai câu trả lời"), "transfer": gettext_lazy("Chuyển đơn vị có thẩm quyền"),
}
FIELDS = {"reason": "reason", "note": "note", "answer": "answer", "public": "public", "unit": "unit"}


def _form(action: str, petition: Petition, data: Any = None) -> forms.Form:
    form_class = ACTIONS[action][2]
    kwargs: dict[str, Any] = {"prefix": action}
    if form_class is TransferForm:
        kwargs["current"] = petition.unit_id
    return form_class(data, **kwargs)


def _petition(request: HttpRequest, petition_id: int) -> Petition:
    try:
        return petition_get(actor_of(request), petition_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _deadline_rows(p: Petition, now: datetime) -> list[dict[str, Any]]:
    """Each deadline with when its step was done, whether it is the one owed now, and whether it
    was missed (the rules of feedback.domain)."""
    t = times_of(p)
    missed = set(domain.missed_deadlines(t, now + timedelta(microseconds=1)))
    pending = domain.pending_deadline(t, now, inclusive=True)
    owed = pending[0] if pending else None
    rows = [("decide", _("Phân loại: tiếp nhận hoặc từ chối (2 ngày làm việc; sau đề nghị bổ sung: trong hạn trả "
                         "lời)"), p.answer_by if p.info_requested_at else p.decide_by, p.accepted_at or p.refused_at),
            ("request_info", _("Đề nghị bổ sung thông tin (nếu cần, trong 5 ngày làm việc)"), p.info_by,
             p.info_requested_at),
            ("answer", _("Trả lời (15 ngày làm việc)"), p.answer_by, p.answered_at)]
    if p.publish_by:
        rows.append(("publish", _("Công khai (2 ngày làm việc sau khi trả lời)"), p.publish_by, p.published_at))
    return [{"key": key, "name": name, "due": due, "done": done, "owed": key == owed, "late": key in missed}
            for key, name, due, done in rows]


def _render(request: HttpRequest, p: Petition, *, bound: dict[str, forms.Form] | None = None,
            status: int = 200) -> HttpResponse:
    actor = actor_of(request)
    now = clock.now()
    names = [p.contact_name]
    actions = [a for a in available_actions(actor, p) if a in ACTIONS]
    return render(request, "desk/petition.html", {
        "p": p, "now": now, "overdue": domain.is_overdue(times_of(p), now), "deadlines": _deadline_rows(p, now),
        "events": list(p.events.order_by("at", "id")), "statuses": dict(PetitionStatus.choices),
        "actions": EVENT_NAMES,
        "categories": dict(Category.choices),
        "forms": [{"name": a, "label": ACTIONS[a][0], "button": ACTIONS[a][1], "style": ACTIONS[a][3],
                   "form": (bound or {}).get(a) or _form(a, p)} for a in actions],
        "preview": {"title": domain.redact(p.title, names), "content": domain.redact(p.content, names),
                    "answer": domain.redact(p.answer, names)} if "publish" in actions else None,
    }, status=status)


@official_required
def petition_page(request: HttpRequest, petition_id: int) -> HttpResponse:
    return _render(request, _petition(request, petition_id))


@official_required
@require_POST
def petition_act(request: HttpRequest, petition_id: int, action: str) -> HttpResponse:
    p = _petition(request, petition_id)
    if action not in ACTIONS:
        raise Http404
    form = _form(action, p, request.POST)
    if not form.is_valid():
        return _render(request, p, bound={action: form}, status=400)
    body = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    if action == "answer":
        body["public"] = bool(form.cleaned_data.get("public"))
    version = request.POST.get("version", "")
    try:
        petition_perform(actor=actor_of(request), petition_id=p.pk, action=action, body=body,
                         expected_version=int(version) if version.isdigit() else None)
    except DomainError as exc:
        form_error(form, exc, FIELDS)
        return _render(request, _petition(request, petition_id), bound={action: form}, status=exc.status)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTIONS[action][0]})
    if action == "transfer":
        return redirect("desk:petitions")
    return redirect("desk:petition", petition_id=p.pk)


@official_required
def petition_download(request: HttpRequest, petition_id: int, attachment_id: str) -> FileResponse:
    p = _petition(request, petition_id)
    row = next((a for a in p.attachments.all() if str(a.id) == attachment_id), None)
    if row is None:
        raise Http404
    return FileResponse(open_stored(row.sha256).open("rb"), content_type=row.content_type, as_attachment=True,
                        filename=row.name)


# -- the worklist -----------------------------------------------------------------------------------


@official_required
def petitions_home(request: HttpRequest) -> HttpResponse:
    """Tabs by state (and overdue), the most urgent deadline first; supervisors also see the rates
    of the units they supervise since the start of the year."""
    actor = actor_of(request)
    now = clock.now()
    visible = petitions_visible_to(actor)
    overdue = Q(current_deadline__lt=now)
    soon = Q(current_deadline__gte=now, current_deadline__lte=due_soon_until(now))
    counts = visible.aggregate(**{key.replace("-", "_"): Count("pk", filter=q) for key, (_n, q) in LISTS.items()},
                               qua_han=Count("pk", filter=overdue), sap_den_han=Count("pk", filter=soon))
    chosen = request.GET.get("ds", "")
    if chosen not in LISTS and chosen not in (ALERT, SOON):
        chosen = ALERT if counts["qua_han"] else "cho-phan-loai"
    qs = visible.filter({ALERT: overdue, SOON: soon}.get(chosen) or LISTS[chosen][1])
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(code__iexact=q) | Q(title__icontains=q) | Q(dossier_code=q))
    order = (("-closed_at", "-id") if chosen == "da-xong"
             else (F("current_deadline").asc(nulls_last=True), "received_at", "id"))
    page = Paginator(qs.select_related("unit").order_by(*order), 25).get_page(request.GET.get("trang"))
    rows = [{"p": p, "deadline": p.current_deadline, "overdue": p.current_deadline is not None
             and p.current_deadline < now} for p in page.object_list]
    cards = [{"key": ALERT, "name": _("Quá hạn"), "count": counts["qua_han"], "alert": True},
             {"key": SOON, "name": _("Đến hạn trong 1 ngày làm việc"), "count": counts["sap_den_han"],
              "alert": True}] + [
        {"key": key, "name": name, "count": counts[key.replace("-", "_")], "alert": False}
        for key, (name, _q) in LISTS.items()]
    names = {c["key"]: c["name"] for c in cards}
    return render(request, "desk/petitions.html", {
        "cards": cards, "chosen": chosen, "chosen_name": names[chosen], "page": page, "rows": rows,
        "query": f"ds={chosen}" + (f"&q={q}" if q else ""), "q": q, "now": now,
        "statuses": dict(PetitionStatus.choices), "rates": _unit_rates(actor, now),
    })


def _unit_rates(actor: Any, now: datetime) -> list[dict[str, Any]] | None:
    """Supervisors and leaders: ratings and petitions per unit they supervise, this year so far."""
    if not (actor.is_admin or actor.has_role_anywhere(Role.SUPERVISOR) or actor.has_role_anywhere(Role.LEADER)):
        return None
    unit_ids = None if actor.is_admin else actor.supervised_unit_ids()
    start = datetime.combine(now.date().replace(month=1, day=1), time(0), tzinfo=now.tzinfo)
    rates = stats.unit_rates(unit_ids, start, now, now, now)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(rates))}
    rows = [{"unit": units[pk], **row} for pk, row in rates.items()]
    return sorted(rows, key=lambda r: r["unit"].name)
