"""Benchmarks of 考学 at province scale (``manage.py benchmark``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from assessment.models import Attempt, AttemptItem, Contest
from bench.pages import time_page
from portal.bench import benchmark
from portal.models import Organisation, Position


def _open_contest() -> tuple[Contest, Any]:
    root = Organisation.objects.get(code="PROV")
    contest = Contest.objects.filter(organisation=root, closes_at__gt=timezone.now()).first()
    post = Position.objects.current().filter(organisation=root).select_related("user").first()
    if contest is None or post is None:
        raise RuntimeError("No province contest: seed_demo --scale province")
    return contest, post.user


@benchmark("contest league table, open province contest (page)", target="< 150 ms")
def league_page() -> dict[str, Any]:
    contest, user = _open_contest()
    figures = time_page(user, f"/assessment/contests/{contest.pk}/league/")
    figures["attempts"] = Attempt.objects.filter(contest=contest).count()
    return figures


@benchmark("contest question analysis, open province contest (page)", target="< 300 ms")
def analysis_page() -> dict[str, Any]:
    contest, user = _open_contest()
    figures = time_page(user, f"/assessment/contests/{contest.pk}/analysis/", runs=3)
    figures["answers"] = AttemptItem.objects.filter(attempt__contest=contest).count()
    return figures
