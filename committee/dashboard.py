"""Home-page card: overdue 目标责任 assignments (to answer, or, for the committee, to chase)."""

from __future__ import annotations

from typing import Any

from committee.selectors import overdue_assignments
from portal.dashboard import Card


def cards(user: Any, scope: Any) -> list[Card]:
    if not (scope.manages or scope.oversees):
        return []
    rows = list(overdue_assignments(user)[:6])
    if not rows:
        return []
    return [
        Card("committee/_card_overdue.html", {"rows": rows[:5], "more": len(rows) > 5}, order=5)
    ]
