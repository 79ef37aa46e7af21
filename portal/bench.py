"""A small benchmark harness: ``python manage.py benchmark`` runs every registered benchmark
against the current database (the province data from ``seed_demo --scale province``) and
prints a table of figures. Benchmarks live in ``<app>/benchmarks.py``; they are not tests
and CI does not run them.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BenchFunction = Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Benchmark:
    name: str
    target: str
    function: BenchFunction


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str, *, target: str = "") -> Callable[[BenchFunction], BenchFunction]:
    def register(function: BenchFunction) -> BenchFunction:
        BENCHMARKS[name] = Benchmark(name, target, function)
        return function

    return register


@dataclass
class Timer:
    """Wall time and the growth of peak memory (RSS) of this process around a block."""

    seconds: float = 0.0
    peak_mb: float = 0.0
    _start: float = field(default=0.0, repr=False)

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._start
        self.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def province_committee() -> tuple[Any, Any]:
    """(the province root, a committee member of it) of ``seed_demo --scale province``."""
    from portal.models import Organisation, Position

    root = Organisation.objects.get(code="PROV")
    post = (
        Position.objects.current()
        .filter(organisation=root, title=Position.Title.COMMITTEE_MEMBER)
        .select_related("user")
        .first()
    )
    if post is None:
        raise RuntimeError("No committee member on the province root: seed_demo --scale province")
    return root, post.user
