"""Pieces every desk page uses: who is asking, error mapping."""

from __future__ import annotations

from motcua.accounts.models import UserKind
from motcua.accounts.web import form_error as form_error
from motcua.accounts.web import kind_required, request_actor

LOGIN_URL = "/desk/dang-nhap/"

# Shared with the other page interfaces (motcua.accounts.web); kept under these names here.
actor_of = request_actor

# Officials only: anonymous visitors go to the desk login, citizens get a 403 page.
official_required = kind_required(UserKind.OFFICIAL, LOGIN_URL, "desk/forbidden.html")
