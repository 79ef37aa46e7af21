"""Counts over a committee's whole tree, cached under the database's change stamps.

A province committee's list of study plans counts 50,000 plans of the year for its
paginator (30–60 ms) and its home page counts the 10,000 waiting for review, on every
view. Such a count only changes when a plan, a membership or the organisation tree
changes, and the database stamps exactly that (portal/stamps.py; ``learning_studyplan`` is
tracked by ``LearningConfig.ready``): a count kept in the cache under the tables' current
stamps can never be stale. Reading the stamps is one primary-key query a request.

Branch officers' counts read a few dozen rows and are not cached; neither is a count
filtered by a member's name (accounts are not stamped).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from portal import stamps
from portal.scoping import Scope

# What a count of study plans in a scope reads.
PLANS = ("learning_studyplan", "portal_membership", "portal_organisation")
# Entries are keyed by the stamps, so they are never stale; the expiry only bounds the
# cache's size.
CACHE_SECONDS = 600


def is_wide(scope: Scope) -> bool:
    """A scope whose counts read a large part of the tree: worth caching."""
    return scope.is_superuser or bool(scope.oversee_paths)


def cached_count(queryset: QuerySet[Any], *, tables: tuple[str, ...], key: str) -> int:
    """``queryset.count()``, kept under ``key`` and the current stamps of ``tables``."""
    stamped = stamps.read(tables)
    digest = hashlib.sha256(f"{stamped}|{key}".encode()).hexdigest()[:32]
    cache_key = f"learning:count:{digest}"
    count: int | None = cache.get(cache_key)
    if count is None:
        count = queryset.count()
        cache.set(cache_key, count, CACHE_SECONDS)
    return count
