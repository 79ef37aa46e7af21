"""Benchmarks of study records at province scale (``manage.py benchmark``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.utils import timezone

from bench.pages import time_page
from learning.models import Reflection
from portal.bench import benchmark
from portal.models import Membership, Organisation, Position


@benchmark("study archive of a member, 5 years stored (page)", target="< 150 ms")
def archive_page() -> dict[str, Any]:
    root = Organisation.objects.get(code="PROV")
    membership = (
        Membership.objects.filter(branch__path__startswith=root.path)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if membership is None:
        raise RuntimeError("No province members: seed_demo --scale province")
    year = timezone.localdate().year
    return time_page(membership.user, f"/learning/archive/{membership.user_id}/?year={year}")


@benchmark("study plans list, province committee (page)", target="< 150 ms")
def plans_page() -> dict[str, Any]:
    root = Organisation.objects.get(code="PROV")
    post = Position.objects.current().filter(organisation=root).select_related("user").first()
    if post is None:
        raise RuntimeError("No province committee member: seed_demo --scale province")
    return time_page(post.user, "/learning/plans/")


@benchmark("originality check (learning/bench_originality.py, 20,000 stored)", target="< 1 s")
def originality() -> dict[str, Any]:
    """Runs the learning app's own benchmark in a child process: it builds and drops its own
    test database, so it leaves this one alone. ``BENCH_ORIGINALITY_STORED`` changes the
    number stored (the README's figure is for 100,000)."""
    stored = os.environ.get("BENCH_ORIGINALITY_STORED", "20000")
    root = Path(__file__).resolve().parent.parent
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-m", "learning.bench_originality", stored, "100"],
        cwd=root,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings_test"),
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    return {
        "stored": int(stored),
        "reflections in this database": Reflection.objects.count(),
        "result": " | ".join(lines[-4:]) if lines else completed.stderr[-300:],
    }
