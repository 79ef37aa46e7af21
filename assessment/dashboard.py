"""Home-page card: contests open now for the member."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from assessment.selectors import contests_to_take
from portal.dashboard import Card


def cards(user: Any, scope: Any) -> list[Card]:
    if not scope.is_member:
        return []
    now = timezone.now()
    contests = list(contests_to_take(user).filter(opens_at__lte=now, closes_at__gt=now)[:5])
    if not contests:
        return []
    return [Card("assessment/_card_contests.html", {"contests": contests}, order=30)]
