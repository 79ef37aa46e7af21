"""Benchmarks of the portal's own heavy work (run by ``manage.py benchmark``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.bench import Timer, benchmark
from portal.models import Membership, Notification
from portal.notifications import Message, Reminder, notifications_write


@benchmark("reminder sweep, 50,000 members", target="< 60 s")
def reminder_sweep() -> dict[str, Any]:
    """Write one reminder to every member (as a contest opening to the whole province does),
    through the same path a sweep takes; rolled back afterwards, so it can run again."""
    members = list(Membership.objects.values_list("user_id", flat=True))
    period = f"bench-{timezone.now():%Y%m%d%H%M%S}"
    with transaction.atomic():
        with Timer() as decide:
            reminders = [
                Reminder(
                    uid,
                    "bench:1",
                    period,
                    Message("Contest open: %(title)s", params={"title": "党章知识竞赛"}),
                    "/",
                )
                for uid in members
            ]
        with Timer() as write:
            written = notifications_write(kind="bench.sweep", reminders=reminders)
        with Timer() as again:
            rewritten = notifications_write(kind="bench.sweep", reminders=reminders)
        rows = Notification.objects.filter(kind="bench.sweep", period=period).count()
        transaction.set_rollback(True)
    return {
        "members": len(members),
        "written": len(written),
        "rows": rows,
        "seconds": round(decide.seconds + write.seconds, 2),
        "second run writes": len(rewritten),
        "second run seconds": round(again.seconds, 2),
        "peak MB": round(write.peak_mb),
        "at": datetime.datetime.now().isoformat(timespec="seconds"),
    }
