"""What this app needs to know about a dossier, through a typed hook.

`feedback` sits below `dossiers` in the layers (architecture.md) and never imports it. The dossiers
app provides the facts of a dossier when it starts (`dossiers.apps.DossiersConfig.ready` calls
:func:`provide_dossier_facts`): its status, its applicant, its units and the officials who handled
it. Tests may install another source the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Handler:
    """An official who recorded an event on the dossier, and the unit they acted for."""

    user_id: int
    unit_id: int | None


@dataclass(frozen=True)
class DossierFacts:
    code: str
    status: int
    applicant_user_id: int | None
    applicant_name: str
    applicant_phone: str
    receiving_unit_id: int
    handling_unit_id: int
    finished_at: datetime | None
    handlers: tuple[Handler, ...] = ()


DossierSource = Callable[[str], "DossierFacts | None"]

_source: DossierSource | None = None


def provide_dossier_facts(source: DossierSource | None) -> None:
    """Install the function that answers :func:`dossier_facts` (None removes it)."""
    global _source
    _source = source


def dossier_facts(code: str) -> DossierFacts | None:
    """The facts of the dossier with this code, or None when there is none."""
    if _source is None:
        raise ImproperlyConfigured("no dossier source: install motcua.dossiers (it provides one when ready)")
    return _source(code)
