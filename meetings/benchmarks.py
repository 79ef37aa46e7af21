"""Benchmarks of 三会一课 at province scale (``manage.py benchmark``)."""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone

from bench.pages import time_page
from meetings import selectors
from portal.bench import benchmark, province_committee


@benchmark("committee compliance calendar, 1,000 branches (page)", target="< 300 ms")
def committee_calendar_page() -> dict[str, Any]:
    root, user = province_committee()
    return time_page(user, f"/meetings/committees/{root.pk}/")


@benchmark("compliance of 1,000 branches for a year (selector)", target="—")
def compliance_selector() -> dict[str, Any]:
    root, _user = province_committee()
    started = time.perf_counter()
    summaries = selectors.committee_overview(root, timezone.localdate().year)
    return {
        "branches": len(summaries),
        "ms": round((time.perf_counter() - started) * 1000),
    }
