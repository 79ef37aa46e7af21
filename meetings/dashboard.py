"""Home-page cards: what a secretary's branch must still hold; a member's next meetings."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from meetings.selectors import DASHBOARD_TABLES, due_for_cached, managed_branches, upcoming_for
from portal.dashboard import Card

# What the cards read (portal/dashboard.py keys the cached cards by their stamps).
TABLES = DASHBOARD_TABLES


def cards(user: Any, scope: Any, now: datetime.datetime) -> list[Card]:
    result = []
    if scope.manage_paths and not scope.is_superuser:
        # One branch for almost every secretary; a handful at most for anyone else.
        branches = list(managed_branches(user)[:5])
        due = due_for_cached(branches, timezone.localdate(now))
        result.append(Card("meetings/_card_due.html", {"due": due}, order=10))
    if scope.is_member:
        upcoming = list(upcoming_for(user, since=now)[:5])
        result.append(Card("meetings/_card_upcoming.html", {"upcoming": upcoming}, order=40))
    return result
