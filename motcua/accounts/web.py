"""Helpers the page interfaces (portal, desk, supervision) share: who is asking, once per request,
and a service error shown next to the form field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from motcua.core.errors import DomainError

from .selectors import Actor, actor_for


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
