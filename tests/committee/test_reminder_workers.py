"""Reminder sweeps on real Celery workers: two at once send once; a killed one loses nothing."""

import datetime
import time

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from portal.models import Notification
from portal.tasks import run_reminder_sweeps
from tests.committee.conftest import make_task
from tests.factories import PositionFactory, branch, member_of
from tests.support.workers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def overdue_tasks(world, branches: int = 12):
    """Two overdue tasks for the world's branches and ``branches`` more, each with a secretary."""
    organisations = [world.branch, world.sibling_branch]
    for n in range(branches):
        b = branch(world.committee, f"支部{n}")
        secretary = member_of(b, username=f"sec{n}")
        PositionFactory(user=secretary, organisation=b, title="secretary")
        organisations.append(b)
    today = timezone.localdate()
    for title in ("开展读书会", "报送学习计划"):
        make_task(
            world,
            due_on=today - datetime.timedelta(days=3),
            organisations=organisations,
            title=title,
        )
    return 2 * len(organisations)  # one reminder per task per branch secretary


def test_two_concurrent_sweeps_write_each_reminder_once(celery_workers, world):
    expected = overdue_tasks(world)
    celery_workers.start(concurrency=2)
    first = run_reminder_sweeps.apply_async(ignore_result=False)
    second = run_reminder_sweeps.apply_async(ignore_result=False)
    first.get(timeout=60)
    second.get(timeout=60)
    rows = Notification.objects.filter(kind="committee.assignment_overdue")
    assert rows.count() == expected
    assert rows.values("recipient", "subject", "period").distinct().count() == expected


def test_a_worker_killed_mid_sweep_loses_nothing(celery_workers, world):
    expected = overdue_tasks(world)
    s = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
    )
    cursor = blocker.cursor()
    # Hold the notification table so the sweep stops half-way, after deciding who gets what.
    cursor.execute("LOCK TABLE portal_notification IN ACCESS EXCLUSIVE MODE")
    worker = celery_workers.start(concurrency=1)
    run_reminder_sweeps.delay()
    probe = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    )
    probe.autocommit = True

    def sweep_is_waiting() -> bool:
        with probe.cursor() as c:
            c.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                [s["NAME"]],
            )
            return c.fetchone()[0] > 0

    wait_until(
        sweep_is_waiting, what="the sweep to reach the notification table", workers=celery_workers
    )
    celery_workers.kill(worker)
    blocker.rollback()
    blocker.close()
    time.sleep(0.5)
    assert Notification.objects.count() == 0  # nothing half-written
    celery_workers.start(concurrency=1)
    run_reminder_sweeps.apply_async(ignore_result=False).get(timeout=60)  # the next run
    assert Notification.objects.filter(kind="committee.assignment_overdue").count() == expected
    probe.close()
