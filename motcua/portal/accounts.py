"""Citizen accounts: registration with the 12-digit ID number, login, logout and the profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from motcua.accounts.models import UserKind
from motcua.accounts.services import citizen_register
from motcua.accounts.web import form_login
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import dossier_list

from .common import actor_of, citizen_required
from .forms import LoginForm, RegisterForm

# The service's refusals, next to the field they concern, in the words the page always used.
REGISTER_ERRORS: dict[str, tuple[str, Any]] = {
    "invalid_id_number": ("id_number", _l("Số định danh cá nhân không hợp lệ: cần đúng 12 chữ số như trên thẻ Căn cước.")),
    "id_number_birth_mismatch": ("birth_date", _l("Năm sinh không khớp với số định danh cá nhân.")),
    "already_registered": ("id_number", _l("Số định danh này đã được đăng ký. Vui lòng đăng nhập.")),
    "invalid_phone": ("phone", _l("Số điện thoại không hợp lệ (ví dụ 0912345678).")),
    "invalid_email": ("email", _l("Địa chỉ thư điện tử không hợp lệ (ví dụ ten@example.vn).")),
    "invalid_full_name": ("full_name", _l("Vui lòng nhập họ và tên.")),
    "weak_password": ("password", None),  # the password validators' own words
}


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
        try:
            user = citizen_register(id_number=data["id_number"], full_name=data["full_name"],
                                    password=data["password"], phone=data["phone"], email=data["email"],
                                    birth_date=data["birth_date"])
        except DomainError as exc:
            field, message = REGISTER_ERRORS.get(exc.code, (None, None))
            form.add_error(field if field in form.fields else None, str(message or exc.message))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng ký thành công. Chào mừng %(name)s!") % {"name": user.full_name})
            return redirect(_next_url(request, "/ho-so/"))
    return render(request, "portal/register.html", {"form": form, "next": _next_url(request, "")})


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form_login(form, _("Số định danh hoặc mật khẩu không đúng."))
        if user is not None:
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
