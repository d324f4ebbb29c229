"""Small reads the pages ask besides the dossier itself: files added since a moment, whether the
actor is on the dossier's route or may upload the draft result (the services' own rules), the draft,
who received the dossier, the due date a procedure would have if received now, and the public
look-up's budget. Re-exported by `selectors.py`, the read side's face."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.calendar.selectors import work_calendar
from motcua.catalog.models import ProcedureVersion
from motcua.core import clock
from motcua.core.errors import RateLimited
from motcua.core.ratelimit import count_hit
from motcua.workflow.domain import Status
from motcua.workflow.permissions import may_draft_result

from .models import Dossier, DossierEvent, ResultDraft
from .services.attachments import is_official_on_route
from .services.common import parties_of
from .services.timing import limit_for
from .state import state_of


def attachments_since(dossier: Dossier, at: datetime, kind: str = "input") -> int:
    """How many files of `kind` were added to the dossier at or after `at`."""
    return dossier.attachments.filter(kind=kind, uploaded_at__gte=at).count()


def dossier_on_route(actor: Actor, dossier: Dossier) -> bool:
    """Whether the actor takes part in the dossier as an official of a unit on its route (the
    attachment services' rule)."""
    return is_official_on_route(actor, dossier)


def dossier_may_draft_result(actor: Actor, dossier: Dossier) -> bool:
    """Whether the actor may upload the draft result now (the rule `result_draft_upload` asserts)."""
    return may_draft_result(state_of(dossier), parties_of(actor, dossier))


def result_draft_get(dossier: Dossier) -> ResultDraft | None:
    return ResultDraft.objects.filter(dossier=dossier).select_related("uploaded_by").first()


def dossier_receiver_name(dossier: Dossier) -> str:
    """Who received the dossier (the creation at a desk, or the acceptance of an online one)."""
    name = (DossierEvent.objects.filter(dossier=dossier, action__in=("create", "accept"), to_status=Status.RECEIVED)
            .order_by("-at", "-id").values_list("actor_full_name", flat=True).first())
    return name or ""


def due_if_received(version: ProcedureVersion, channel: str, unit_id: int | None = None,
                    at: datetime | None = None) -> datetime:
    """When the result would be due if a dossier of this procedure were received at `at` (now) by
    the unit: the working calendar and the procedure's limit, as at receipt (services.timing)."""
    cal = work_calendar(unit_id)
    start = cal.normalise_receipt(clock.local(at or clock.now()), version.cutoff_time)
    amount, unit = limit_for(version, channel)
    return cal.due_at(start, amount, unit)  # type: ignore[arg-type]


def public_lookup_allowed(address: str) -> None:
    """The public lookup's budget: MOTCUA["PUBLIC_LOOKUPS_PER_MINUTE"] per address and minute, for
    the API and the portal together; 429 `rate_limited` beyond it."""
    count = count_hit(f"lookup:{address}:{clock.now():%Y%m%d%H%M}", timeout=120)
    if count > int(str(settings.MOTCUA["PUBLIC_LOOKUPS_PER_MINUTE"])):
        raise RateLimited("rate_limited", _("Quá nhiều lượt tra cứu; vui lòng thử lại sau một phút."))
