"""Citizen accounts: registration with the 12-digit ID number, login, logout and the profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.accounts.models import User, UserKind
from motcua.audit.services import audit_record
from motcua.core.errors import RateLimited
from motcua.dossiers.selectors import dossier_list

from .common import actor_of, citizen_required, throttled_authenticate
from .forms import LoginForm, RegisterForm


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:my_dossiers")
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User(username=data["id_number"], id_number=data["id_number"], full_name=data["full_name"],
                    phone=data["phone"], email=data["email"], birth_date=data["birth_date"], kind=UserKind.CITIZEN)
        user.set_password(data["password"])
        try:
            with transaction.atomic():
                user.save()
                audit_record(actor=None, action="citizen.register", obj=user)
        except IntegrityError:
            form.add_error("id_number", _("Số định danh này đã được đăng ký. Vui lòng đăng nhập."))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng ký thành công. Chào mừng %(name)s!") % {"name": user.full_name})
            return redirect(_next_url(request, "/ho-so/"))
    return render(request, "portal/register.html", {"form": form, "next": _next_url(request, "")})


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = throttled_authenticate(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except RateLimited as exc:
            form.add_error(None, exc.message)
        else:
            if user is None:
                form.add_error("password", _("Số định danh hoặc mật khẩu không đúng."))
            else:
                login(request, user)
                if user.kind != UserKind.CITIZEN:
                    return redirect("/desk/")
                messages.success(request, _("Xin chào %(name)s.") % {"name": user.full_name or user.username})
                return redirect(_next_url(request, "/ho-so/"))
    return render(request, "portal/login.html", {"form": form, "next": _next_url(request, "")})


@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(request, "portal/profile.html", {
        "profile": request.user, "dossier_count": dossier_list(actor).count(),
    })
