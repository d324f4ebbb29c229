"""Login for officials."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.accounts.models import UserKind
from motcua.accounts.web import form_login

from .forms import LoginForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Officials' pages: the desk and the supervisors' reports.
    if target.startswith(("/desk/", "/bao-cao/")) and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/desk/"


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "kind", None) == UserKind.OFFICIAL:
        return redirect(_next_url(request))
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form_login(form, _("Tên đăng nhập hoặc mật khẩu không đúng."))
        if user is not None:
            if user.kind != UserKind.OFFICIAL:
                form.add_error("username", _("Đây là tài khoản công dân; vui lòng đăng nhập trên Cổng dịch vụ công."))
            else:
                login(request, user)
                return redirect(_next_url(request))
    return render(request, "desk/login.html", {"form": form, "next": _next_url(request)})
