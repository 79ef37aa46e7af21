"""Page parts kept in the cache under change stamps: what a list page draws from the
database is drawn once until a record behind it changes.

A list page spends most of its time in Python, not in the database: building model rows
and rendering 25 of them through the template engine (a meeting list: 5 ms of queries,
30 of Python). The records behind it change far less often than it is opened, and the
database tells cheaply whether they have (``portal/stamps.py``). So a view names the
tables its body reads and wraps the body in ``{% cache FRAGMENT_SECONDS name body_key %}``;
its expensive context is lazy (:func:`lazy`), so on a hit nothing is queried or rendered.

``body_key`` (:func:`body_key`) holds everything the body depends on: the view, the full
path with its query string, the language, the user's scope (``Scope.cache_key``: two
users share an entry only if they may see exactly the same records), the stamps of the
tables named plus the organisation and account tables, and the day (for "overdue" and
"this year"), and for a body that shows what is upcoming, the minute (:func:`minute`).
Any write to a named table, by any path (services, admin, import, raw SQL),
gives a new key, so a stale body is never served; old entries expire.

What a body must not hold: anything per request or per session (CSRF tokens, messages,
the current time to the minute). Those stay outside the cached block.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from portal import stamps
from portal.scoping import SCOPE_TABLES, scope_for

FRAGMENT_SECONDS = 10 * 60
# Read by nearly every body: the tree, memberships, posts (the scope) and people's names.
COMMON_TABLES = (*SCOPE_TABLES, "portal_user")

T = TypeVar("T")


def minute() -> datetime.datetime:
    """Now, to the minute: what a body that shows "upcoming" or "open now" is computed for
    and keyed by (pass it to :func:`body_key`), so one minute's requests share it."""
    return timezone.now().replace(second=0, microsecond=0)


def body_key(
    request: HttpRequest, tables: Sequence[str], *, at: datetime.datetime | None = None
) -> str:
    """The cache key of a page body that reads ``tables`` (one query for all stamps in a
    request, none if the request has read them); ``at`` (:func:`minute`) for a body that
    depends on the time of day."""
    scope = scope_for(request.user)
    view = request.resolver_match.view_name if request.resolver_match else request.path
    parts = (
        view,
        request.get_full_path(),
        get_language() or "",
        timezone.localdate().isoformat(),
        stamps.read((*COMMON_TABLES, *tables)),
        scope.cache_key(),
        at.isoformat() if at else "",
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def lazy(compute: Callable[[], T]) -> T:
    """``compute()``, run only if the template uses the value (a cache miss)."""
    return SimpleLazyObject(compute)  # type: ignore[return-value]


__all__ = ["COMMON_TABLES", "FRAGMENT_SECONDS", "body_key", "lazy", "minute"]
