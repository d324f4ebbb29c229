"""Reads of ratings and petitions. Who sees which petition is decided here and only here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.core import clock
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.text import fold
from motcua.units.selectors import unit_descendant_ids, unit_get_by_code, unit_refs

from . import domain
from .models import Petition, PetitionAttachment, PetitionEvent, Rating, RatingOfficial
from .services.petitions import is_sender, may_handle, times_of

# -- ratings ----------------------------------------------------------------------------------------


def rating_get(code: str) -> Rating | None:
    return (Rating.objects.filter(dossier_code=code)
            .prefetch_related(Prefetch("officials", RatingOfficial.objects.select_related("official")
                                       .order_by("id"))).first())


def rating_representation(rating: Rating) -> dict[str, Any]:
    refs = unit_refs({o.unit_id for o in rating.officials.all() if o.unit_id})
    return {
        "dossier": rating.dossier_code, "overall": rating.overall, "criteria": rating.criteria(),
        "comment": rating.comment or None, "channel": rating.channel,
        "created_at": clock.local(rating.created_at).isoformat(),
        "officials": [{"username": o.official.username, "full_name": o.official.full_name,
                       "unit": refs[o.unit_id][0] if o.unit_id in refs else None} for o in rating.officials.all()],
    }


# -- petitions: who sees what -----------------------------------------------------------------------


def petitions_visible_to(actor: Actor) -> QuerySet[Petition]:
    """Administrators see every petition; officials and supervisors those of their units and the
    units below; a citizen their own."""
    qs = Petition.objects.all()
    if actor.is_admin or actor.system:
        return qs
    if actor.user is None:
        return qs.none()
    condition = Q(sender_id=actor.user.pk)
    units = unit_descendant_ids(actor.unit_ids()) if actor.unit_ids() else set()
    if units:
        condition |= Q(unit_id__in=sorted(units))
    return qs.filter(condition)


def _pk(value: Any) -> int:
    try:
        pk = int(str(value))
    except ValueError:
        pk = 0
    if not 0 < pk < 2**63:
        raise NotFound("not_found", _("Không tìm thấy phản ánh, kiến nghị."))
    return pk


def petition_get(actor: Actor, petition_id: Any) -> Petition:
    """A petition the actor may see, or 404 (the same answer as for one that does not exist)."""
    petition = (petitions_visible_to(actor).select_related("unit").prefetch_related("attachments")
                .filter(pk=_pk(petition_id)).first())
    if petition is None:
        raise NotFound("not_found", _("Không tìm thấy phản ánh, kiến nghị."))
    return petition


def petition_lookup(code: str, verify: str) -> Petition:
    """The sender's view without an account: the code and the last 4 digits of the contact phone."""
    petition = Petition.objects.select_related("unit").prefetch_related("attachments").filter(
        code=code.strip().upper()).first()
    if petition is None or not domain.phone_matches(petition.contact_phone, verify):
        raise NotFound("not_found", _("Không tìm thấy phản ánh với mã và số điện thoại đã nhập."))
    return petition


def petition_list(actor: Actor, *, status: str | None = None, overdue: bool | None = None, unit: str | None = None,
                  q: str | None = None, now: datetime | None = None) -> QuerySet[Petition]:
    """The petitions the actor sees, filtered; the most urgent deadline first, then the newest."""
    qs = petitions_visible_to(actor)
    if status:
        if status not in domain.STATUSES:
            raise ValidationFailed("invalid_status", _("Trạng thái phản ánh không hợp lệ."),
                                   details={"status": status, "allowed": list(domain.STATUSES)})
        qs = qs.filter(status=status)
    if overdue is not None:
        now = now or clock.now()
        late = Q(current_deadline__lt=now)
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if unit:
        qs = qs.filter(unit_id__in=sorted(unit_descendant_ids({unit_get_by_code(unit).pk})))
    if q:
        text = q.strip()
        qs = qs.filter(Q(code__iexact=text) | Q(title__icontains=text) | Q(dossier_code=text))
    return qs.select_related("unit").order_by(F("current_deadline").asc(nulls_last=True), "-received_at", "-id")


# -- representations --------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return clock.local(value).isoformat() if value else None


def available_actions(actor: Actor, p: Petition) -> list[str]:
    """What the actor may do now: the same predicates as `services.petitions.petition_perform`."""
    actions: list[str] = []
    if may_handle(actor, p.unit_id):
        actions += domain.allowed_actions(p.status, public=p.public, actions=domain.OFFICIAL_ACTIONS)
    if is_sender(actor, p):
        actions += domain.allowed_actions(p.status, actions=domain.SENDER_ACTIONS)
    return list(dict.fromkeys(actions))


def attachment_representation(a: PetitionAttachment) -> dict[str, Any]:
    return {"id": str(a.id), "name": a.name, "size": a.size, "sha256": a.sha256, "content_type": a.content_type,
            "uploaded_at": _iso(a.uploaded_at)}


def petition_representation(p: Petition, *, actor: Actor | None = None, now: datetime | None = None,
                            contact: bool = True) -> dict[str, Any]:
    """The contract's petition, with more: the contact (for the sender and the unit's officials),
    the reason or request of the unit, the attachments and what the caller may do now."""
    now = now or clock.now()
    t = times_of(p)
    unit = unit_refs({p.unit_id})[p.unit_id]
    body: dict[str, Any] = {
        "id": p.pk, "code": p.code, "category": p.category, "title": p.title, "content": p.content,
        "unit": {"code": unit[0], "name": unit[1]}, "dossier": p.dossier_code or None, "status": p.status,
        "received_at": _iso(p.received_at),
        "deadlines": {"decide_by": _iso(p.decide_by), "answer_by": _iso(p.answer_by),
                      "publish_by": _iso(p.publish_by), "request_info_by": _iso(p.info_by)},
        "answered_at": _iso(p.answered_at), "answer": p.answer or None,
        "overdue": domain.is_overdue(t, now), "current_deadline": _iso(domain.current_deadline(t, now)),
        "public": p.public, "published_at": _iso(p.published_at),
        "refusal_reason": p.refusal_reason or None, "info_request": p.info_request or None,
        "attachments": [attachment_representation(a) for a in p.attachments.all()],
        "available_actions": available_actions(actor, p) if actor is not None else [],
    }
    if contact:
        body["contact"] = {"name": p.contact_name, "phone": p.contact_phone, "email": p.contact_email or None}
    return body


def petition_events(p: Petition) -> list[dict[str, Any]]:
    rows = list(PetitionEvent.objects.filter(petition=p).order_by("at", "id"))
    refs = unit_refs({e.actor_unit_id for e in rows if e.actor_unit_id})
    return [{"at": _iso(e.at), "action": e.action, "from_status": e.from_status or None, "to_status": e.to_status,
             "actor": {"name": e.actor_name, "unit": refs[e.actor_unit_id][0] if e.actor_unit_id in refs else None},
             "note": e.note, "data": e.data} for e in rows]


# -- the public page --------------------------------------------------------------------------------


def public_petitions(*, unit: str | None = None, q: str | None = None) -> QuerySet[Petition]:
    """Published petitions with their answers (searchable without accents), newest first."""
    qs = Petition.objects.filter(status="published")
    if unit:
        qs = qs.filter(unit_id__in=sorted(unit_descendant_ids({unit_get_by_code(unit).pk})))
    for word in fold(q or "").split()[:10]:
        qs = qs.filter(public_search__contains=word)
    return qs.order_by("-published_at", "-id")


def public_representation(p: Petition) -> dict[str, Any]:
    """What anyone may read: the masked texts, no contact and no attachment."""
    unit = unit_refs({p.unit_id})[p.unit_id]
    return {"id": p.pk, "code": p.code, "category": p.category, "title": p.public_title,
            "content": p.public_content, "unit": {"code": unit[0], "name": unit[1]},
            "received_at": _iso(p.received_at), "answered_at": _iso(p.answered_at), "answer": p.public_answer,
            "published_at": _iso(p.published_at)}


def public_petition_get(code: str) -> Petition:
    petition = Petition.objects.filter(code=code.strip().upper(), status="published").first()
    if petition is None:
        raise NotFound("not_found", _("Không tìm thấy phản ánh đã công khai."))
    return petition
