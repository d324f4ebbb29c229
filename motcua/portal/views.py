"""The landing page of the embedded server: what runs here and where to go next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog.selectors import procedure_list


def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    procedures = list(procedure_list(q=q or None)[:50])
    return render(request, "home.html", {"procedures": procedures, "q": q})
