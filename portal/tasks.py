"""Celery tasks of the portal. Tasks take ids, not objects, and call services."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Min
from django.utils import timezone

from portal import notifications
from portal.models import Notification

EMAIL_BATCH = 100


@shared_task(ignore_result=True)
def run_reminder_sweeps() -> dict[str, int]:
    """The daily sweep: write every reminder due today (safe to run twice, or at once)."""
    return {kind: len(rows) for kind, rows in notifications.sweeps_run().items()}


@shared_task(ignore_result=True)
def deliver_notifications() -> int:
    """Fan the due e-mails out to senders in batches; runs every minute and after sweeps."""
    notifications.emails_reclaim_stale()
    batches = 0
    while ids := notifications.emails_claim(limit=EMAIL_BATCH):
        send_notification_emails.delay(ids)
        batches += 1
    _schedule_next_retry()
    return batches


@shared_task(ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    sent = notifications.emails_send(notification_ids=notification_ids)
    _schedule_next_retry()
    return sent


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    return notifications.digests_send()


def _schedule_next_retry() -> None:
    """Wake delivery when the earliest retry is due (beat also runs it every minute)."""
    earliest = Notification.objects.filter(
        email_state=Notification.EmailState.PENDING, email_next_attempt_at__isnull=False
    ).aggregate(at=Min("email_next_attempt_at"))["at"]
    if earliest is not None and not deliver_notifications.app.conf.task_always_eager:
        delay = max(0.0, (earliest - timezone.now()).total_seconds())
        deliver_notifications.apply_async(countdown=delay + 0.5)
