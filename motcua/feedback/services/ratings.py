"""Rating a finished dossier: once, by its applicant, from the portal, the QR code on Mẫu 01, the
kiosk or the API; attributed to the officials who handled it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.accounts.selectors import Actor
from motcua.audit.services import audit_record
from motcua.core import clock
from motcua.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from motcua.core.text import nfc

from .. import domain
from ..models import Rating, RatingOfficial
from ..ports import DossierFacts, dossier_facts


def _already_rated(code: str) -> Conflict:
    return Conflict("already_rated", _("Hồ sơ %(code)s đã được đánh giá.") % {"code": code}, details={"dossier": code})


def rater_check(actor: Actor, facts: DossierFacts, verify: str | None) -> None:
    """The applicant rates: their account, or (public page, kiosk) the last 4 digits of the phone
    given on the dossier. Wrong digits say "not found", as the public lookup does."""
    if actor.user is not None and facts.applicant_user_id == actor.user.pk:
        return
    if verify is not None:
        if domain.phone_matches(facts.applicant_phone, verify):
            return
        raise NotFound("not_found", _("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập."))
    raise Forbidden("forbidden", _("Chỉ người nộp hồ sơ được đánh giá hồ sơ."))


def rating_submit(*, actor: Actor, code: str, overall: str, criteria: Mapping[str, object], comment: str = "",
                  channel: str = "api", verify: str | None = None, kiosk: str = "",
                  at: datetime | None = None) -> Rating:
    """Record the applicant's rating of a resolved (9) or returned (10) dossier. Raises 404 for an
    unknown dossier (or wrong phone digits), 403 for someone else, 400 `invalid_rating`, 409
    `not_finished` before status 9, 409 `already_rated` for a second rating (also when two arrive
    at once: the unique code decides)."""
    code = code.strip()
    facts = dossier_facts(code)
    if facts is None:
        raise NotFound("not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    rater_check(actor, facts, verify)
    try:
        level, levels = domain.check_rating(overall, criteria)
    except domain.RatingInvalid as exc:
        raise ValidationFailed("invalid_rating", _("Vui lòng chọn mức đánh giá: rất hài lòng, hài lòng hoặc không "
                                                   "hài lòng."), details={"field": exc.field}) from exc
    text = nfc((comment or "").strip())
    if len(text) > domain.COMMENT_MAX:
        raise ValidationFailed("comment_too_long", _("Góp ý tối đa %(n)s ký tự.") % {"n": domain.COMMENT_MAX},
                               details={"field": "comment", "max_length": domain.COMMENT_MAX})
    if channel not in domain.RATING_CHANNELS:
        raise ValidationFailed("invalid_channel", _("Kênh đánh giá không hợp lệ."), details={"field": "channel"})
    if facts.status not in domain.RATEABLE_STATUSES:
        raise Conflict("not_finished", _("Hồ sơ chưa giải quyết xong nên chưa đánh giá được."),
                       details={"dossier": code, "status": facts.status})
    at = at or clock.now()
    try:
        with transaction.atomic():
            if Rating.objects.filter(dossier_code=code).exists():
                raise _already_rated(code)
            rating = Rating.objects.create(
                dossier_code=code, handling_unit_id=facts.handling_unit_id, receiving_unit_id=facts.receiving_unit_id,
                rater=actor.user if actor.user is not None and actor.user.pk == facts.applicant_user_id else None,
                overall=level, comment=text, channel=channel, kiosk=kiosk if channel == "kiosk" else "",
                created_at=at, **levels)
            RatingOfficial.objects.bulk_create([RatingOfficial(rating=rating, official_id=h.user_id, unit_id=h.unit_id)
                                                for h in facts.handlers])
            audit_record(actor=actor, action="rating.create", obj=rating, at=at,
                         data={"dossier": code, "overall": level, "channel": channel})
    except IntegrityError as exc:  # another rating of the same dossier committed first
        raise _already_rated(code) from exc
    return rating
