from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.signals import post_save

from motcua.core import clock
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.text import fold

from .models import Field, Procedure, ProcedureVersion

MAX_QUERY_WORDS = 12


def procedure_list(*, q: str | None = None, field: str | None = None, level: str | None = None,
                   online_mode: str | None = None) -> QuerySet[Procedure]:
    qs = Procedure.objects.filter(is_active=True, current__isnull=False).select_related(
        "field", "current", "current__field", "current__procedure")
    if q:
        # Distinct words, a bounded number of them: a pasted paragraph must not build a huge query.
        for word in list(dict.fromkeys(fold(q).split()))[:MAX_QUERY_WORDS]:
            qs = qs.filter(search_text__contains=word)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(level=level)
    if online_mode:
        qs = qs.filter(online_mode=online_mode)
    return qs.order_by("code")


def procedure_get(code: str) -> Procedure:
    procedure = Procedure.objects.select_related("current", "current__field", "field").filter(
        code=code, current__isnull=False).first()
    if procedure is None:
        raise NotFound("not_found", f"Không có thủ tục mã {code}.")
    return procedure


def procedure_current_version(code: str) -> ProcedureVersion:
    """The version a new dossier pins; an unknown code is a 400 (it comes in a request body)."""
    procedure = Procedure.objects.select_related("current").filter(code=code, is_active=True).first()
    if procedure is None or procedure.current is None:
        raise ValidationFailed("unknown_procedure", f"Không có thủ tục mã {code!r}.", details={"procedure": code})
    return procedure.current


def _limit(value: Any, unit: str) -> dict[str, Any] | None:
    if value is None:
        return None
    number = float(value)
    return {"value": int(number) if number.is_integer() else number, "unit": unit}


def procedure_body(version: ProcedureVersion) -> dict[str, Any]:
    """The contract's procedure representation of one version."""
    return {
        "code": version.procedure.code,
        "name": version.name,
        "version": version.version,
        "field": {"code": version.field.code, "name": version.field.name},
        "level": version.level,
        "time_limit": _limit(version.time_limit_value, version.time_limit_unit),
        "online_time_limit": _limit(version.online_time_limit_value, version.online_time_limit_unit),
        "cutoff_time": version.cutoff_time.strftime("%H:%M") if version.cutoff_time else None,
        "online_mode": version.online_mode,
        "pause_rule": version.pause_rule,
        "handling_unit": version.handling_unit,
        "fees": version.fees,
        "documents": version.documents,
        "workflow": version.workflow,
        "description": version.description,
        "legal_basis": version.legal_basis,
        "result": version.result,
        "agency": version.agency,
        "effective_from": clock.local(version.effective_from).isoformat(),
    }


# -- Process-level copies of published versions ------------------------------------------------------
# A published version never changes (ProcedureVersion.save refuses), so what a dossier or the search
# shows of it can be kept in memory: no join on the version table, no JSON parsing per row. The copies
# are dropped every REFERENCE_CACHE_SECONDS (a field may be renamed) and bounded in number.


@dataclass(frozen=True)
class VersionRef:
    """What a dossier's representation shows of its procedure version. `workflow` is shared: read only."""

    id: int
    procedure_code: str
    name: str
    version: int
    workflow: list[dict[str, Any]]


_lock = threading.Lock()
_refs: dict[int, VersionRef] = {}
_bodies: dict[int, dict[str, Any]] = {}
_started = time.monotonic()
_MAX_ENTRIES = 20_000


def _fresh() -> None:
    global _started
    ttl = float(str(settings.MOTCUA.get("REFERENCE_CACHE_SECONDS", 60)))
    if time.monotonic() - _started > ttl or len(_refs) + len(_bodies) > _MAX_ENTRIES:
        with _lock:
            _refs.clear()
            _bodies.clear()
            _started = time.monotonic()


def invalidate(**_: object) -> None:
    with _lock:
        _refs.clear()
        _bodies.clear()


post_save.connect(invalidate, sender=Field, dispatch_uid="catalog-refs-field")
post_save.connect(invalidate, sender=Procedure, dispatch_uid="catalog-refs-procedure")


def version_refs(version_ids: set[int]) -> dict[int, VersionRef]:
    _fresh()
    found = {i: ref for i in version_ids if (ref := _refs.get(i)) is not None}
    missing = [i for i in version_ids if i not in found]
    if missing:
        rows = ProcedureVersion.objects.filter(id__in=missing).values_list(
            "id", "procedure__code", "name", "version", "workflow")
        for row in rows:
            found[row[0]] = _refs[row[0]] = VersionRef(*row)
    return found


def procedure_bodies(version_ids: list[int]) -> list[dict[str, Any]]:
    """`procedure_body` of each version, in the order given (shared dicts: do not modify)."""
    _fresh()
    found = {i: body for i in version_ids if (body := _bodies.get(i)) is not None}
    missing = [i for i in version_ids if i not in found]
    if missing:
        for version in ProcedureVersion.objects.select_related("procedure", "field").filter(id__in=missing):
            found[version.pk] = _bodies[version.pk] = procedure_body(version)
    return [found[i] for i in version_ids if i in found]
