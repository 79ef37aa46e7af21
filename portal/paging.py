"""Paging every list shares: 25 rows a page, counted only so far ahead, and wrappers for
rows whose number is already known or that are read only if a cached fragment misses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 25
# A list counts its rows only this far (and ten pages past the one shown): counting all
# 130,000 meetings of a province for "Page 1 of 5,200" cost more than the page itself.
COUNT_AT_LEAST = 1000


class LazyList:
    """A list computed on first use: a template that finds its fragment in the cache never
    computes what the fragment would have shown."""

    def __init__(self, compute: Callable[[], list[Any]]) -> None:
        self._compute = compute

    @cached_property
    def items(self) -> list[Any]:
        return self._compute()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]


class Counted:
    """Rows whose number is already known (kept in the cache, say), for :func:`paginate`:
    the paginator takes the number instead of counting."""

    def __init__(self, rows: Any, count: int) -> None:
        self.rows = rows
        self._count = count
        self.ordered = getattr(rows, "ordered", True)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self.rows[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


class CappedPaginator(Paginator):
    """A paginator that counts a queryset up to ``limit`` rows at most.

    ``count`` is exact up to the limit; beyond it the paginator says ``more`` and counts
    ``limit`` rows, so the pages up to the limit exist and "Next" leads on. The count is a
    ``LIMIT``ed subquery without ordering: bounded work whatever the table's size.
    """

    def __init__(self, object_list: Any, per_page: int, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit
        self.more = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        counted = self.object_list.order_by()[: self.limit + 1].count()
        self.more = counted > self.limit
        return min(counted, self.limit)


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Any:
    raw = request.GET.get("page", "")
    wanted = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    limit = max(COUNT_AT_LEAST, (wanted + 10) * per_page)
    return CappedPaginator(items, per_page, limit=limit).get_page(raw or None)
