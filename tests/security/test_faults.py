"""Faults: the broker goes away.

* With Redis unreachable the web keeps serving: pages answer, /healthz says 503 with the
  broker's error, and work that needs the broker waits in the database (never a 500).
  This needs no real services: Celery is pointed at a port where nothing listens.
* A Redis restart loses no work: on a throwaway redis-server of our own (never the shared
  one on 6379) with no persistence, queued messages vanish in the restart, yet every
  notification is delivered exactly once, because the database, not the queue, holds the
  work. Needs PostgreSQL and Redis for the real workers (tests/support/workers.py).

(A worker killed mid-task is tests/portal/test_notification_delivery.py.)
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.celery import app
from portal.models import Notification, NotificationPreference
from portal.notifications import Message, notify
from portal.tasks import deliver_notifications
from tests.factories import UserFactory
from tests.support.workers import free_port, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Publish tasks from this process to `url` (not in-process), then put things back."""
    conf = app.conf
    saved = (conf.broker_url, conf.task_always_eager, conf.broker_transport_options)
    conf.broker_url = url
    conf.task_always_eager = False
    conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}
    conf.broker_connection_timeout = 1
    app._pool = None  # the producer pool was built for the old URL
    app.amqp._producer_pool = None
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            yield
    finally:
        conf.broker_url, conf.task_always_eager, conf.broker_transport_options = saved
        app._pool = None
        app.amqp._producer_pool = None


def person(username: str) -> object:
    user = UserFactory(username=username, email=f"{username}@example.cn")
    NotificationPreference.objects.create(user=user, channel="email", frequency="immediate")
    return user


def test_with_redis_down_pages_answer_and_work_waits(world, as_user):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with broker_at(dead):
        health = as_user(world.member).get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "ok"
        assert health.json()["broker"].startswith("error")

        assert as_user(world.member).get("/").status_code == 200
        assert as_user(world.committee_user).get(reverse("portal:inbox")).status_code == 200

        # A notification-producing action: the row is written and waits as pending for
        # beat's every-minute delivery run; publishing fails quietly, not with a 500.
        reader = person("reader")
        notify(
            recipient_ids=[reader.pk],
            kind="test",
            subject="s:1",
            period="p",
            message=Message("Hello"),
        )
        row = Notification.objects.get(recipient=reader)
        assert row.email_state == Notification.EmailState.PENDING


def test_enqueue_with_redis_down_raises_without_the_guard():
    """The test above could fail: publishing to a dead broker does raise."""
    from kombu.exceptions import OperationalError

    with broker_at(f"redis://127.0.0.1:{free_port()}/0"), pytest.raises(OperationalError):
        deliver_notifications.delay()


class ThrowawayRedis:
    """Our own redis-server, without persistence: a restart empties it."""

    def __init__(self, tmp_path) -> None:
        self.port = free_port()
        self.dir = tmp_path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--daemonize",
                "yes",
                "--dir",
                str(self.dir),
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            check=True,
        )
        for _ in range(50):
            if self.ping():
                return
            time.sleep(0.1)
        raise RuntimeError("throwaway redis did not start")

    def ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return result.stdout.strip() == "PONG"

    def stop(self) -> None:
        # Only ever our own port: other engineers use the shared Redis on 6379.
        assert self.port != 6379
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], check=False)
        for _ in range(50):
            if not self.ping():
                return
            time.sleep(0.1)

    def queued(self) -> int:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "llen", "celery"], capture_output=True, text=True
        )
        return int(result.stdout.strip() or 0)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[ThrowawayRedis]:
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server to start a throwaway Redis")
    redis = ThrowawayRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def test_a_redis_restart_loses_no_work(celery_workers, smtp_server, own_redis):
    early, late = person("early"), person("late")
    with broker_at(own_redis.url):
        # 1. Work queued while no worker runs: the delivery message sits in Redis...
        notify(
            recipient_ids=[early.pk], kind="test", subject="s:1", period="p", message=Message("Hi")
        )
        assert own_redis.queued() == 1
        # ...and the restart (no persistence) throws it away.
        own_redis.stop()
        own_redis.start()
        assert own_redis.queued() == 0

        celery_workers.start(REDIS_URL=own_redis.url, NOTIFICATION_CLAIM_TIMEOUT="1")

        # 2. Work written while Redis is down: the row waits, the request does not fail.
        own_redis.stop()
        notify(
            recipient_ids=[late.pk], kind="test", subject="s:1", period="p", message=Message("Hi")
        )
        own_redis.start()

        # 3. Beat's every-minute delivery run (here by hand) finds both in the database.
        deliver_notifications.delay()
        wait_until(
            lambda: (
                set(Notification.objects.values_list("email_state", flat=True))
                == {Notification.EmailState.SENT}
            ),
            timeout=90,
            what="both e-mails to be sent",
            workers=celery_workers,
        )
    assert len(smtp_server.recorder.to("early@example.cn")) == 1
    assert len(smtp_server.recorder.to("late@example.cn")) == 1
