"""Pieces every citizen page uses: who is asking, error mapping."""

from __future__ import annotations

from motcua.accounts.models import UserKind
from motcua.accounts.web import form_error as form_error
from motcua.accounts.web import kind_required, request_actor

LOGIN_URL = "/dang-nhap/"

# Shared with the other page interfaces (motcua.accounts.web); kept under these names here.
actor_of = request_actor

# Citizens only: anonymous visitors go to the login page, officials get a 403 page.
citizen_required = kind_required(UserKind.CITIZEN, LOGIN_URL, "portal/not_citizen.html")
