"""The facts of a dossier that the feedback app (ratings, petitions) needs, provided through its
hook (`motcua.feedback.ports`): `feedback` sits below `dossiers` and never imports it."""

from __future__ import annotations

from motcua.accounts.models import UserKind
from motcua.feedback.ports import DossierFacts, Handler

from .models import Dossier, DossierEvent


def dossier_facts(code: str) -> DossierFacts | None:
    """Status, applicant and units of the dossier, and the officials who recorded its events
    (in the order they first acted), with the unit each acted for. Two indexed queries."""
    row = (Dossier.objects.filter(code=code)
           .values("id", "code", "status", "applicant_user_id", "applicant_name", "applicant_phone",
                   "receiving_unit_id", "handling_unit_id", "finished_at").first())
    if row is None:
        return None
    handlers: dict[int, Handler] = {}
    events = (DossierEvent.objects.filter(dossier_id=row["id"], actor__isnull=False,
                                          actor__kind=UserKind.OFFICIAL)
              .order_by("at", "id").values_list("actor_id", "actor_unit_id"))
    for user_id, unit_id in events:
        handlers.setdefault(user_id, Handler(user_id=user_id, unit_id=unit_id))
    return DossierFacts(
        code=row["code"], status=row["status"], applicant_user_id=row["applicant_user_id"],
        applicant_name=row["applicant_name"], applicant_phone=row["applicant_phone"],
        receiving_unit_id=row["receiving_unit_id"], handling_unit_id=row["handling_unit_id"],
        finished_at=row["finished_at"], handlers=tuple(handlers.values()),
    )
