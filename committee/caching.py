"""The committee pages' cache: what they compute and render, kept under change stamps.

At province scale (80,000 assignments) the progress table's row count and per-task layout
take 60–250 ms to compute and change only when someone reports, reviews or issues a task.
The task list and the progress table keep their whole body in the cache under the stamps
of :data:`TABLES` (portal/fragments.py), the table's layout under :func:`stamp`; the
matrix keeps its table under :func:`fingerprint_counting`. Each is read from what the
values are computed from, so any change gives a new key and shows at once; the expiry
only bounds the cache's size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet

from portal import stamps
from portal.models import ChangeStamp

T = TypeVar("T")

CACHE_SECONDS = 120


# The tables the cached pages read, whose change stamps (portal/stamps.py: moved by a
# trigger on every write, in the writing transaction) key them.
STAMPED = ("committee_task", "committee_assignment", "portal_organisation")
# The committee's own tables a cached page body reads (portal/fragments.py adds the tree,
# posts and people's names).
TABLES = ("committee_task", "committee_assignment")


def stamp() -> str:
    """What :func:`fingerprint_counting`'s fingerprint tells, from the change stamps a
    request reads anyway (no query of its own): the tables above, and people's names
    (``portal_user`` is stamped when a name changes, not at a login)."""
    return stamps.read((*STAMPED, "portal_user"))


def fingerprint_counting(rows: QuerySet[Any] | None) -> tuple[str, int]:
    """A fingerprint of what the cached pages show and, in the same query, how many rows
    ``rows`` has (a paginator's count, so that a cached page costs one query beside the
    session and scope). One primary-key query; the fingerprint changes whenever:

    * the change stamps of tasks, assignments and organisations move (portal/stamps.py):
      any insert, update or delete, however made (services, the admin, a bulk
      ``update()``, raw SQL), moves them in its own transaction, so a change shows as soon
      as it commits. The tree decides who sees what; its names label the rows;
    * the names of the people given tasks in person change (the row labels).
    """
    table = ChangeStamp._meta.db_table
    stamp = f"(SELECT value FROM {table} WHERE name = %s)"  # noqa: S608 - a model's table
    if connection.vendor == "postgresql":
        people = "COUNT(*) || '.' || COALESCE(SUM(hashtext(u.name)::bigint), 0)"
    else:
        people = "COUNT(*) || '.' || COALESCE(GROUP_CONCAT(u.name), '')"
    counted, params = "0", ()
    if rows is not None:
        inner, params = rows.order_by().values("pk").query.sql_with_params()
        counted = f"(SELECT COUNT(*) FROM ({inner}) counted)"  # noqa: S608 - compiled by Django
    sql = (
        f"SELECT {counted}, {', '.join([stamp] * len(STAMPED))}, "  # noqa: S608 - fixed SQL
        f"(SELECT {people} FROM portal_user u WHERE u.id IN "
        "(SELECT assignee_id FROM committee_assignment WHERE assignee_id IS NOT NULL))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *STAMPED])
        count, *row = cursor.fetchone()
    digest = hashlib.sha256("|".join(str(part) for part in row).encode()).hexdigest()[:32]
    return digest, count


# Part of every key: change it when what a cached value holds or means changes.
VERSION = 1


def key(prefix: str, *parts: Any) -> str:
    """A cache key for a value computed from ``parts`` (reprs of plain, ordered values)."""
    raw = repr((VERSION, *parts))
    return f"committee:{prefix}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def cached(key: str, compute: Callable[[], T]) -> T:
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
