"""Home-page card: contests open now for the member."""

from __future__ import annotations

import datetime
from typing import Any

from assessment.selectors import contests_to_take
from portal.dashboard import Card

# What the card reads (portal/dashboard.py keys the cached cards by their stamps).
TABLES = ("assessment_contest",)


def cards(user: Any, scope: Any, now: datetime.datetime) -> list[Card]:
    if not scope.is_member:
        return []
    contests = list(contests_to_take(user).filter(opens_at__lte=now, closes_at__gt=now)[:5])
    if not contests:
        return []
    return [Card("assessment/_card_contests.html", {"contests": contests}, order=30)]
