"""The rating card of the applicant's dossier page (a resolved or returned dossier)."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.feedback.domain import RATEABLE_STATUSES
from motcua.feedback.models import Level
from motcua.feedback.selectors import rating_get

from ..feedback_forms import RatingForm

register = template.Library()


@register.inclusion_tag("portal/_rating_card.html", takes_context=True)
def rating_card(context: Any, dossier: Any) -> dict[str, Any]:
    show = dossier.status in RATEABLE_STATUSES
    rating = rating_get(dossier.code) if show else None
    return {"show": show, "rating": rating, "code": dossier.code, "request": context.get("request"),
            "csrf_token": context.get("csrf_token"), "form": RatingForm(auto_id="rating_%s"),
            "level_name": dict(Level.choices).get(rating.overall, "") if rating else ""}
