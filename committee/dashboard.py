"""Home-page card: overdue 目标责任 assignments (to answer, or, for the committee, to chase)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from committee.selectors import overdue_assignments
from portal.dashboard import Card

# What the card reads (portal/dashboard.py keys the cached cards by their stamps).
TABLES = ("committee_task", "committee_assignment")


def cards(user: Any, scope: Any, now: datetime.datetime) -> list[Card]:
    if not (scope.manages or scope.oversees):
        return []
    rows = list(overdue_assignments(user, on=timezone.localdate(now))[:6])
    if not rows:
        return []
    return [
        Card("committee/_card_overdue.html", {"rows": rows[:5], "more": len(rows) > 5}, order=5)
    ]
