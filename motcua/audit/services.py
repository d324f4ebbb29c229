from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from motcua.core import clock

from .models import AuditEntry

if TYPE_CHECKING:
    from motcua.accounts.selectors import Actor


def audit_record(*, actor: Actor | None, action: str, obj: models.Model, data: dict[str, Any] | None = None,
                 at: datetime | None = None, object_id: str | None = None) -> AuditEntry:
    """Write one audit row; call it inside the transaction of the change it records."""
    user = actor.user if actor is not None else None
    return AuditEntry.objects.create(
        at=at or clock.now(),
        actor=user,
        actor_label=(user.username if user else "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=object_id or str(obj.pk),
        data=data or {},
    )
