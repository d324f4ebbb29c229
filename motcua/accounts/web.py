"""Helpers the page interfaces (portal, desk, supervision) share: who is asking, once per request,
and a service error shown next to the form field it names."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import DomainError

from .selectors import Actor, actor_for
from .services import login_attempt

View = Callable[..., HttpResponse]


def request_actor(request: HttpRequest) -> Actor:
    """The actor of the logged-in user, read once per request."""
    actor: Actor | None = getattr(request, "_motcua_actor", None)
    if actor is None:
        actor = actor_for(request.user)  # type: ignore[arg-type]
        request._motcua_actor = actor  # type: ignore[attr-defined]
    return actor


def form_error(form: forms.Form, exc: DomainError, fields: dict[str, Any]) -> None:
    """A service's error next to the field it names (details.field), else above the form."""
    target = fields.get(str(exc.details.get("field", "")))
    if target and target in form.fields:
        form.add_error(target, exc.message)
    else:
        form.add_error(None, exc.message)


def kind_required(kind: str, login_url: str, refused_template: str) -> Callable[[View], View]:
    """A view decorator: anonymous visitors go to `login_url`; a user of another kind (citizen or
    official) gets `refused_template` with status 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url)
            if getattr(user, "kind", None) != kind:
                return render(request, refused_template, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def form_login(form: forms.Form, wrong_credentials: str) -> Any:
    """Check the username and password of a valid login form with the per-account lock; on
    failure put the error on the form and return None."""
    try:
        return login_attempt(form.cleaned_data["username"].strip(), form.cleaned_data["password"])
    except DomainError as exc:
        if exc.code == "invalid_credentials":
            form.add_error("password", wrong_credentials)
        else:  # too_many_login_failures: the account is locked for a while
            form.add_error(None, exc.message)
        return None
