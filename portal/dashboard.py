"""Cards on the home dashboard that other apps contribute.

Each feature app may have ``<app>/dashboard.py`` with ``cards(user, scope, now) -> list[Card]``;
the home page shows them in order. A card's data is read in a fixed, small number of
queries, so the home page's query count does not grow with the records behind it.

The home page is the page everyone opens first and most often, so each app's cards are
also kept in the cache. An app names in ``TABLES`` every table its cards read (each one
stamped, see ``portal/stamps.py``); the key holds those stamps, the organisation tables'
(what the scope is read from), the user's scope and the minute. ``now`` is that minute, so
a card computed at 10:00:50 and one computed at 10:00:05 are the same card: any write to a
table a card reads, and the next minute, give a new key. What a card shows of a person
(a name) is read with it; a renamed member shows under the new name once anything the
card reads changes. An app without ``TABLES`` is read on every request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from portal import stamps
from portal.scoping import SCOPE_TABLES

FEATURE_APPS = ("meetings", "learning", "assessment", "committee", "scorecards")
CARDS_CACHE_SECONDS = 2 * 60


@dataclass
class Card:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def _modules() -> list[tuple[str, Any]]:
    found = []
    for app in FEATURE_APPS:
        try:
            found.append((app, import_module(f"{app}.dashboard")))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.dashboard":
                raise
    return found


def card_tables() -> tuple[str, ...] | None:
    """Every table some card reads, or None if an app's cards do not say (then the home
    page's body cannot be cached as a whole)."""
    tables: set[str] = set()
    for _app, module in _modules():
        declared = getattr(module, "TABLES", None)
        if declared is None:
            return None
        tables.update(declared)
    return tuple(sorted(tables))


def cards_for(user: Any, scope: Any, now: datetime.datetime | None = None) -> list[Card]:
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    cards: list[Card] = []
    for app, module in _modules():
        tables = getattr(module, "TABLES", None)
        if tables is None:
            cards.extend(module.cards(user, scope, now))
            continue
        key = (
            f"cards:{app}:{now.isoformat()}:{get_language()}:"
            f"{stamps.read((*SCOPE_TABLES, *tables))}:{scope.cache_key()}"
        )
        found: list[Card] | None = cache.get(key)
        if found is None:
            found = module.cards(user, scope, now)
            cache.set(key, found, CARDS_CACHE_SECONDS)
        cards.extend(found)
    return sorted(cards, key=lambda c: c.order)
