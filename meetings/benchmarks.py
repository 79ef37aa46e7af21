"""Benchmarks of 三会一课 at province scale (``manage.py benchmark``)."""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone

from bench.pages import time_page
from meetings import selectors
from portal.bench import benchmark
from portal.models import Organisation, Position


def _province() -> tuple[Organisation, Any]:
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


@benchmark("committee compliance calendar, 1,000 branches (page)", target="< 300 ms")
def committee_calendar_page() -> dict[str, Any]:
    root, user = _province()
    return time_page(user, f"/meetings/committees/{root.pk}/")


@benchmark("compliance of 1,000 branches for a year (selector)", target="—")
def compliance_selector() -> dict[str, Any]:
    root, _user = _province()
    started = time.perf_counter()
    summaries = selectors.committee_overview(root, timezone.localdate().year)
    return {
        "branches": len(summaries),
        "ms": round((time.perf_counter() - started) * 1000),
    }
