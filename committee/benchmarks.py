"""Benchmarks of the committee's 目标责任 work at province scale (``manage.py benchmark``)."""

from __future__ import annotations

from typing import Any

from bench.pages import time_page
from portal.bench import benchmark, province_committee


@benchmark("落实情况一览表, province committee (page)", target="< 150 ms")
def assignment_table_page() -> dict[str, Any]:
    _root, user = province_committee()
    return time_page(user, "/committee/assignments/")
