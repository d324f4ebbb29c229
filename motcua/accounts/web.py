"""Helpers the page interfaces (portal, desk, supervision) share: who is asking, once per request,
a service error shown next to the form field it names, and the pieces of their forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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


# -- Form pieces --------------------------------------------------------------------------------------

# What the file controls offer to choose (the stored file is judged by its content, not its name).
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


class PageForm(forms.Form):
    # Our messages, in Vietnamese, instead of the browser's own bubbles.
    use_required_attribute = False


def required(label: Any) -> dict[str, Any]:
    return {"required": format_lazy(_("Vui lòng nhập {label}."), label=label)}


class MultiFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one control; the real checks (type by content, size) happen when the
    files are stored."""

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
