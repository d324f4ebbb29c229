"""The public lookup by dossier code and the last 4 digits of the applicant's phone (also the target
of the QR code printed on the receipt). Nothing personal is shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import NotFound, RateLimited
from motcua.dossiers.selectors import dossier_public

from .forms import LookupForm


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def lookup(request: HttpRequest) -> HttpResponse:
    result: dict[str, Any] | None = None
    status = 200
    if "so" in request.GET:
        form = LookupForm(request.GET)
        if form.is_valid():
            try:
                found = dossier_public(form.cleaned_data["ma"], form.cleaned_data["so"],
                                       address=request.META.get("REMOTE_ADDR", ""))
            except RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except NotFound as exc:
                form.add_error(None, exc.message)
                status = 404
            else:
                result = {**found, "received_at": _dt(found["received_at"]), "due_at": _dt(found["due_at"]),
                          "finished_at": _dt(found["finished_at"])}
        else:
            status = 400
    else:
        form = LookupForm(initial={"ma": request.GET.get("ma", "").strip()[:40]})
    return render(request, "portal/lookup.html", {"form": form, "result": result}, status=status)
