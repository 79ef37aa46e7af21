"""``{% commendations_of organisation_or_user %}``: the confirmed commendations, for the
organisation and member pages and the study archive (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from scorecards.selectors import commendations_for

register = template.Library()


@register.inclusion_tag("scorecards/_commendations.html")
def commendations_of(user_or_org: Any, year: int | None = None) -> dict[str, Any]:
    return {"commendations": list(commendations_for(user_or_org, year)[:20])}
