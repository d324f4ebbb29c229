"""Petitions (phản ánh, kiến nghị) on the portal: the public page of published answers (searchable
with or without diacritics, no personal data), the form (with or without an account), the sender's
follow-up by code and phone digits (or their account), and the reply to a request for information."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.accounts.models import UserKind
from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import DomainError, NotFound, RateLimited
from motcua.dossiers.selectors import public_lookup_allowed
from motcua.feedback import domain
from motcua.feedback.models import Category, Petition, PetitionStatus
from motcua.feedback.ports import dossier_facts
from motcua.feedback.selectors import petition_lookup, public_petition_get, public_petitions
from motcua.feedback.services import (
    Contact,
    Upload,
    petition_attachment_add,
    petition_create,
    petition_perform,
    petition_rate_check,
    times_of,
)
from motcua.units.selectors import unit_refs

from .common import actor_of, citizen_required, form_error
from .feedback_forms import PetitionForm, PetitionLookupForm, ProvideInfoForm, PublicSearchForm

FIELDS = {"title": "title", "content": "content", "unit": "unit", "dossier": "dossier", "contact.name": "name",
          "contact.phone": "phone", "contact.email": "email", "files": "attachments", "category": "category",
          "note": "note"}


def _labels() -> dict[str, Any]:
    return {"statuses": dict(PetitionStatus.choices), "categories": dict(Category.choices)}


def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET or None)
    q, unit = "", ""
    if form.is_bound and form.is_valid():
        q, unit = form.cleaned_data["q"], form.cleaned_data["unit"]
    page = Paginator(public_petitions(unit=unit or None, q=q), 20).get_page(request.GET.get("trang"))
    query = "&".join(f"{k}={v}" for k, v in (("q", q), ("unit", unit)) if v)
    return render(request, "portal/petitions_public.html", {"form": form, "page": page, "query": query,
                                                             "q": q, **_labels()})


def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        p = public_petition_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "portal/petition_public.html", {"p": p, **_labels()})


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    user = request.user
    if user.is_authenticated and getattr(user, "kind", "") == UserKind.CITIZEN:
        initial |= {"name": user.full_name, "phone": user.phone, "email": user.email}  # type: ignore[union-attr]
    code = request.GET.get("ho-so", "").strip()[:40]
    facts = dossier_facts(code) if code else None
    if facts is not None:
        initial |= {"dossier": code, "category": "dossier", "unit": unit_refs({facts.handling_unit_id})[
            facts.handling_unit_id][0]}
    return initial


def _actor(request: HttpRequest) -> Actor:
    user = request.user
    if user.is_authenticated and getattr(user, "kind", "") == UserKind.CITIZEN:
        return actor_of(request)
    return Actor(user=None)


def petition_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/petition_form.html", {"form": PetitionForm(initial=_initial(request))})
    form = PetitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/petition_form.html", {"form": form}, status=400)
    d = form.cleaned_data
    try:
        petition_rate_check(address=request.META.get("REMOTE_ADDR", ""), phone=d["phone"])
        p = petition_create(actor=_actor(request), category=d["category"], title=d["title"], content=d["content"],
                            unit_code=d["unit"], dossier_code=d["dossier"] or None,
                            contact=Contact(name=d["name"], phone=d["phone"], email=d["email"]),
                            files=[Upload(filename=f.name or "tep", chunks=f.chunks()) for f in d["attachments"]],
                            channel="portal")
    except DomainError as exc:
        form_error(form, exc, FIELDS)
        return render(request, "portal/petition_form.html", {"form": form}, status=exc.status)
    request.session["petition_sent"] = p.pk
    return redirect("portal:petition_sent")


def petition_sent(request: HttpRequest) -> HttpResponse:
    """After filing (post/redirect/get): the code to keep and the deadlines."""
    pk = request.session.get("petition_sent")
    p = Petition.objects.select_related("unit").filter(pk=pk).first() if pk else None
    if p is None:
        return redirect("portal:petition_new")
    return render(request, "portal/petition_sent.html", {"p": p, **_labels()})


def _follow_context(p: Petition) -> dict[str, Any]:
    return {"p": p, "overdue": domain.is_overdue(times_of(p), clock.now()), **_labels()}


def petition_follow(request: HttpRequest) -> HttpResponse:
    """The sender follows a petition by its code and the last 4 digits of the contact phone, and
    answers a request for more information here."""
    data = request.POST if request.method == "POST" else (request.GET if "so" in request.GET else None)
    form = PetitionLookupForm(data, initial={"ma": request.GET.get("ma", "")[:24]})
    context: dict[str, Any] = {"form": form}
    if data is None:
        return render(request, "portal/petition_follow.html", context)
    if not form.is_valid():
        return render(request, "portal/petition_follow.html", context, status=400)
    try:
        public_lookup_allowed(request.META.get("REMOTE_ADDR", ""))
        p = petition_lookup(form.cleaned_data["ma"], form.cleaned_data["so"])
    except (NotFound, RateLimited) as exc:
        form.add_error(None, exc.message)
        return render(request, "portal/petition_follow.html", context, status=exc.status)
    info = ProvideInfoForm(request.POST if request.method == "POST" else None, request.FILES or None)
    context |= _follow_context(p) | {"info": info, "verify": form.cleaned_data["so"]}
    if request.method == "POST":
        if not info.is_valid():
            return render(request, "portal/petition_follow.html", context, status=400)
        error = _provide_info(request, p, info, verify=form.cleaned_data["so"])
        if error is not None:
            return render(request, "portal/petition_follow.html", context, status=error)
        messages.success(request, _("Đã gửi thông tin bổ sung cho cơ quan."))
        return redirect(f"{request.path}?ma={p.code}&so={form.cleaned_data['so']}")
    return render(request, "portal/petition_follow.html", context)


def _provide_info(request: HttpRequest, p: Petition, info: ProvideInfoForm, *, verify: str | None) -> int | None:
    actor = _actor(request)
    try:
        for f in info.cleaned_data["attachments"]:
            petition_attachment_add(actor=actor, petition_id=p.pk, verify=verify,
                                    upload=Upload(filename=f.name or "tep", chunks=f.chunks()))
        petition_perform(actor=actor, petition_id=p.pk, action="provide-info", verify=verify,
                         body={"note": info.cleaned_data["note"]})
    except DomainError as exc:
        form_error(info, exc, FIELDS)
        return exc.status
    return None


@citizen_required
def my_petitions(request: HttpRequest) -> HttpResponse:
    page = Paginator(Petition.objects.filter(sender_id=request.user.pk).select_related("unit").order_by("-received_at",
                                                                                                 "-id"),
                     10).get_page(request.GET.get("trang"))
    now = clock.now()
    rows = [{"p": p, "overdue": domain.is_overdue(times_of(p), now)} for p in page.object_list]
    return render(request, "portal/my_petitions.html", {"page": page, "rows": rows, **_labels()})


@citizen_required
def my_petition(request: HttpRequest, petition_id: int) -> HttpResponse:
    p = Petition.objects.select_related("unit").filter(pk=petition_id, sender_id=request.user.pk).first()
    if p is None:
        raise Http404
    info = ProvideInfoForm(request.POST if request.method == "POST" else None, request.FILES or None)
    context = _follow_context(p) | {"info": info, "own": True}
    if request.method == "POST":
        if not info.is_valid():
            return render(request, "portal/petition_follow.html", context, status=400)
        error = _provide_info(request, p, info, verify=None)
        if error is not None:
            return render(request, "portal/petition_follow.html", context, status=error)
        messages.success(request, _("Đã gửi thông tin bổ sung cho cơ quan."))
        return redirect("portal:my_petition", petition_id=p.pk)
    return render(request, "portal/petition_follow.html", context)
