"""E-mail delivery with real Celery workers on Redis and a real SMTP server.

Rows are written by ``notify`` in this process and committed; workers in other processes
claim and send them, as in production.
"""

import pytest

from portal.models import Notification, NotificationPreference
from portal.notifications import Message, notify
from portal.tasks import deliver_notifications, send_daily_digests
from tests.factories import UserFactory
from tests.support.workers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def person(username, *, channel="email", frequency="immediate"):
    user = UserFactory(username=username, email=f"{username}@example.cn")
    NotificationPreference.objects.create(user=user, channel=channel, frequency=frequency)
    return user


def states():
    return dict(Notification.objects.values_list("recipient__username", "email_state"))


def test_smtp_failure_is_retried_with_backoff_then_sent(celery_workers, smtp_server):
    smtp_server.recorder.fail_next = 1
    celery_workers.start(NOTIFICATION_RETRY_BASE_SECONDS="1")
    reader = person("reader")
    notify(
        recipient_ids=[reader.pk], kind="test", subject="s:1", period="p", message=Message("Hello")
    )
    deliver_notifications.delay()
    wait_until(
        lambda: states().get("reader") == "sent", what="the retried e-mail", workers=celery_workers
    )
    row = Notification.objects.get(recipient=reader)
    assert row.email_attempts == 2 and row.email_error == ""
    assert len(smtp_server.recorder.to("reader@example.cn")) == 1


def test_last_failure_is_marked_failed_with_its_reason(celery_workers, smtp_server):
    smtp_server.recorder.always_fail = True
    celery_workers.start(NOTIFICATION_RETRY_BASE_SECONDS="1", NOTIFICATION_MAX_ATTEMPTS="2")
    reader = person("reader")
    notify(
        recipient_ids=[reader.pk], kind="test", subject="s:1", period="p", message=Message("Hello")
    )
    deliver_notifications.delay()
    wait_until(
        lambda: states().get("reader") == "failed", what="the failure", workers=celery_workers
    )
    row = Notification.objects.get(recipient=reader)
    assert row.email_attempts == 2
    assert "451" in row.email_error


def test_worker_killed_while_sending_loses_nothing_and_sends_once(celery_workers, smtp_server):
    readers = [person(f"reader{n}") for n in range(5)]
    smtp_server.recorder.stall_seconds = 30
    first = celery_workers.start(NOTIFICATION_CLAIM_TIMEOUT="1")
    notify(
        recipient_ids=[r.pk for r in readers],
        kind="test",
        subject="s:1",
        period="p",
        message=Message("Hello"),
    )
    deliver_notifications.delay()
    wait_until(
        lambda: list(states().values()).count("sending") == 5,
        what="the batch to be claimed",
        workers=celery_workers,
    )
    celery_workers.kill(first)  # mid-SMTP: nothing was accepted yet
    assert set(states().values()) == {"sending"}
    smtp_server.recorder.stall_seconds = 0
    celery_workers.start(NOTIFICATION_CLAIM_TIMEOUT="1")
    deliver_notifications.delay()  # beat's next tick
    wait_until(
        lambda: set(states().values()) == {"sent"}, what="all five sent", workers=celery_workers
    )
    for r in readers:
        assert len(smtp_server.recorder.to(r.email)) == 1


def test_preferences_are_honoured(celery_workers, smtp_server):
    celery_workers.start()
    by_mail = person("bymail")
    in_app = person("inapp", channel="in_app")
    notify(
        recipient_ids=[by_mail.pk, in_app.pk],
        kind="test",
        subject="s:1",
        period="p",
        message=Message("Hello"),
    )
    deliver_notifications.delay()
    wait_until(lambda: states()["bymail"] == "sent", what="the e-mail", workers=celery_workers)
    assert states()["inapp"] == "not_wanted"
    assert smtp_server.recorder.to("inapp@example.cn") == []
    in_app.refresh_from_db()
    assert in_app.unread_notifications == 1  # still in the inbox


def test_digest_groups_a_days_messages_into_one_email(celery_workers, smtp_server):
    celery_workers.start()
    reader = person("digester", frequency="daily_digest")
    for n in range(3):
        notify(
            recipient_ids=[reader.pk],
            kind="test",
            subject=f"s:{n}",
            period="p",
            message=Message(f"Item {n}"),
        )
    deliver_notifications.delay()
    send_daily_digests.delay()
    wait_until(
        lambda: set(states().values()) == {"sent"}, what="the digest", workers=celery_workers
    )
    mails = smtp_server.recorder.to("digester@example.cn")
    assert len(mails) == 1
    body = mails[0].get_payload()[0].get_payload(decode=True).decode()
    assert all(f"Item {n}" in body for n in range(3))
