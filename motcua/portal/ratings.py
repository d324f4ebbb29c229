"""Rating a finished dossier: the public page `/danh-gia/` (reached by the QR code printed on
Mẫu 01, which carries the dossier code; the last 4 digits of the phone prove the applicant, as on the
public lookup, unless the applicant is logged in), the same page at a centre's kiosk
(`?kiosk=<centre code>`: large touch targets, back to `/kiosk/<centre>/` afterwards), and the card
on the applicant's dossier page, which posts here."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.accounts.models import UserKind
from motcua.accounts.selectors import Actor
from motcua.core.errors import Conflict, DomainError, NotFound, RateLimited
from motcua.dossiers.selectors import public_lookup_allowed
from motcua.feedback.ports import dossier_facts
from motcua.feedback.selectors import rating_get
from motcua.feedback.services import rating_submit
from motcua.units.models import Unit, UnitLevel

from .common import actor_of
from .feedback_forms import RatingCodeForm, RatingForm, RatingLookupForm

AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
KIOSK_RETURN_SECONDS = 10


def kiosk_centre(request: HttpRequest) -> str:
    """The centre of the kiosk the page runs on (`kiosk=<agency code of a centre>`), else ""."""
    code = (request.POST.get("kiosk") or request.GET.get("kiosk") or "").strip()
    if not AGENCY_CODE.match(code):
        return ""
    return code if Unit.objects.filter(code=code, level=UnitLevel.CENTRE, is_active=True).exists() else ""


def _citizen(request: HttpRequest) -> Actor | None:
    user = request.user
    return actor_of(request) if user.is_authenticated and getattr(user, "kind", "") == UserKind.CITIZEN else None


def _is_applicant(actor: Actor | None, code: str) -> bool:
    if actor is None or actor.user is None or not code:
        return False
    facts = dossier_facts(code)
    return facts is not None and facts.applicant_user_id == actor.user.pk


def rate(request: HttpRequest) -> HttpResponse:
    kiosk = kiosk_centre(request)
    data = request.POST if request.method == "POST" else None
    code = (request.POST.get("ma") or request.GET.get("ma") or request.GET.get("code") or "").strip()[:40]
    citizen = None if kiosk else _citizen(request)
    own = _is_applicant(citizen, code)
    lookup = (RatingCodeForm(data, initial={"ma": code}) if own
              else RatingLookupForm(data, initial={"ma": code}, auto_id="rate_%s"))
    form = RatingForm(data)
    back = "dossier" if (request.POST.get("next") or request.GET.get("next")) == "dossier" else ""
    context: dict[str, Any] = {"lookup": lookup, "form": form, "kiosk": kiosk, "own": own, "code": code,
                               "next": back, "rating": None}
    if own and request.method == "GET":
        context["rating"] = rating_get(code)
    if request.method != "POST":
        return render(request, "portal/rate.html", context)
    if not (lookup.is_valid() and form.is_valid()):
        return render(request, "portal/rate.html", context, status=400)
    code = lookup.cleaned_data["ma"]
    verify = None if own else lookup.cleaned_data["so"]
    channel = "kiosk" if kiosk else ("portal" if own else "qr")
    try:
        if verify is not None:
            public_lookup_allowed(request.META.get("REMOTE_ADDR", ""))
        rating_submit(actor=citizen or Actor(user=None), code=code, overall=form.cleaned_data["overall"],
                      criteria=form.criteria(), comment=form.cleaned_data["comment"], channel=channel,
                      verify=verify, kiosk=kiosk)
    except (NotFound, RateLimited) as exc:
        lookup.add_error(None, exc.message)
        return render(request, "portal/rate.html", context, status=exc.status)
    except Conflict as exc:
        lookup.add_error(None, exc.message)
        return render(request, "portal/rate.html", context, status=409)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "portal/rate.html", context, status=exc.status)
    if own and back:
        messages.success(request, _("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn."))
        return redirect("portal:dossier", code=code)
    return render(request, "portal/rated.html", {"kiosk": kiosk, "code": code, "seconds": KIOSK_RETURN_SECONDS})
