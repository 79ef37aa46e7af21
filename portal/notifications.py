"""Reminders and notifications: each one written once, delivered once, never lost.

How it fits together:

* Each app declares its reminder **sweeps** in ``<app>/reminders.py`` with :func:`sweep`.
  A sweep is a function ``(on, days) -> iterable of Reminder`` that decides who gets what
  in a fixed number of queries (``days`` is the timing set in the admin).
* :func:`sweeps_run` (the daily beat task, or ``manage.py send_reminders``) writes each
  reminder as a :class:`~portal.models.Notification` row, unique on
  (recipient, kind, subject, period): a sweep run twice, or two sweeps at once, write
  each row once. The text is rendered in the recipient's language when it is written.
* Delivery is separate. Rows that want an immediate e-mail are ``pending``; a delivery
  task claims them in batches (``select_for_update(skip_locked)``, so two workers never
  take the same row), sends them over one SMTP connection, and marks each ``sent``, or
  schedules a retry with exponential backoff, or after the last try ``failed`` with its
  reason (visible in the admin). Rows of people who chose a daily digest wait for
  :func:`digests_send`. A worker killed mid-batch leaves rows ``sending``; they are put
  back after ``NOTIFICATION_CLAIM_TIMEOUT`` seconds, so nothing is lost (a message whose
  SMTP send completed just before the kill may then go out twice: at-least-once is the
  honest guarantee for e-mail; the in-app message is exactly once).
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Notification, NotificationPreference, ReminderSetting, User

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 5)
WRITE_BATCH = 2000


@dataclass(frozen=True)
class Message:
    """A message in source language (English msgids) with its parameters.

    Rendered per recipient with ``gettext`` under their language, so mark the strings
    with ``gettext_noop`` where they are written.
    """

    title: str
    body: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str) -> tuple[str, str]:
        with translation.override(language):
            params = {k: str(v) for k, v in self.params.items()}
            title = _(self.title) % params if params else _(self.title)
            body = (_(self.body) % params if params else _(self.body)) if self.body else ""
        return title[:200], body


@dataclass(frozen=True)
class Reminder:
    recipient_id: int
    subject: str  # what it is about, e.g. "meeting:42"
    period: str  # which occurrence, e.g. "2026-11-28" or "2026-Q4"
    message: Message
    url: str = ""


SweepFunction = Callable[[datetime.date, int], Iterable[Reminder]]


@dataclass(frozen=True)
class Sweep:
    kind: str
    label: str
    default_days: int
    function: SweepFunction


SWEEPS: dict[str, Sweep] = {}


def sweep(
    kind: str, *, label: str, default_days: int = 1
) -> Callable[[SweepFunction], SweepFunction]:
    """Register a reminder sweep under ``kind`` (its timing is then editable in the admin)."""

    def register(function: SweepFunction) -> SweepFunction:
        SWEEPS[kind] = Sweep(kind, label, default_days, function)
        return function

    return register


# --- writing ----------------------------------------------------------------------------


def notifications_write(*, kind: str, reminders: Iterable[Reminder]) -> list[Reminder]:
    """Write the reminders not yet written; returns those that were new.

    A fixed number of queries per batch: existing keys, preferences, one insert, one
    recount. Concurrent writers are safe: the unique key makes the database keep one row.
    """
    written: list[Reminder] = []
    batch: list[Reminder] = []
    for reminder in reminders:
        batch.append(reminder)
        if len(batch) >= WRITE_BATCH:
            written += _write_batch(kind, batch)
            batch = []
    if batch:
        written += _write_batch(kind, batch)
    if written:
        transaction.on_commit(_enqueue_delivery)
    return written


def _write_batch(kind: str, reminders: list[Reminder]) -> list[Reminder]:
    fresh: dict[tuple[int, str, str], Reminder] = {}
    for r in reminders:
        fresh.setdefault((r.recipient_id, r.subject, r.period), r)
    if connection.vendor != "postgresql":
        # PostgreSQL reports what it inserted (RETURNING below); elsewhere, look first.
        existing = Notification.objects.filter(
            kind=kind,
            period__in={r.period for r in reminders},
            recipient_id__in={r.recipient_id for r in reminders},
        ).values_list("recipient_id", "subject", "period")
        for existing_key in existing:
            fresh.pop(existing_key, None)
    if not fresh:
        return []
    recipients = {r.recipient_id for r in fresh.values()}
    preferences = {
        p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=recipients)
    }
    emails = dict(User.objects.filter(pk__in=recipients).values_list("pk", "email"))
    now = timezone.now()
    rows = []
    default = NotificationPreference()
    # Thousands of recipients share a handful of messages: render each once per language.
    rendered: dict[tuple[str, str, tuple[tuple[str, str], ...], str], tuple[str, str]] = {}
    for r in fresh.values():
        preference = preferences.get(r.recipient_id) or default
        text_key = (
            r.message.title,
            r.message.body,
            tuple(sorted((k, str(v)) for k, v in r.message.params.items())),
            preference.language,
        )
        if text_key not in rendered:
            rendered[text_key] = r.message.render(preference.language)
        title, body = rendered[text_key]
        state = _email_state(preference, bool(emails.get(r.recipient_id)))
        rows.append((r.recipient_id, kind, r.subject, r.period, title, body, r.url, now, state))
    written = _insert_once(rows)
    if connection.vendor == "postgresql":
        # RETURNING told us exactly which rows are new: add them to the counts.
        per_user = Counter(key[0] for key in written)
        by_count: dict[int, list[int]] = {}
        for user_id, n in per_user.items():
            by_count.setdefault(n, []).append(user_id)
        for n, user_ids in by_count.items():
            User.objects.filter(pk__in=user_ids).update(
                unread_notifications=F("unread_notifications") + n
            )
    else:
        notifications_recount(user_ids={key[0] for key in written})
    return [fresh[key] for key in written]


_COLUMNS = (
    "recipient_id",
    "kind",
    "subject",
    "period",
    "title",
    "body",
    "url",
    "created_at",
    "email_state",
)


def _insert_once(rows: list[tuple[Any, ...]]) -> list[tuple[int, str, str]]:
    """Insert the rows not already there; returns the keys this call inserted.

    On PostgreSQL one INSERT … ON CONFLICT DO NOTHING RETURNING per batch: the database,
    not a prior look-up, decides what is new, so two sweeps at once each report only
    their own rows (and the ORM's per-field preparation of 50,000 objects is skipped).
    """
    if connection.vendor == "postgresql":
        table = Notification._meta.db_table
        template = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, 0, '')"
        with connection.cursor() as cursor:
            # Values are quoted by psycopg2 itself; the statement then runs through Django's
            # cursor (without parameters), so query logging and counting still see it.
            values = b",".join(cursor.cursor.mogrify(template, row) for row in rows).decode()
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_COLUMNS)}, email_attempts, email_error) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (recipient_id, kind, subject, period) DO NOTHING "
                "RETURNING recipient_id, subject, period"
            )
            return [tuple(row) for row in cursor.fetchall()]
    Notification.objects.bulk_create(
        [Notification(**dict(zip(_COLUMNS, row, strict=True))) for row in rows],
        ignore_conflicts=True,
    )
    return [(row[0], row[2], row[3]) for row in rows]


def _email_state(preference: NotificationPreference, has_address: bool) -> str:
    if preference.channel != NotificationPreference.Channel.EMAIL or not has_address:
        return Notification.EmailState.NOT_WANTED
    if preference.frequency == NotificationPreference.Frequency.DAILY_DIGEST:
        return Notification.EmailState.DIGEST
    return Notification.EmailState.PENDING


def notifications_recount(*, user_ids: Iterable[int]) -> None:
    """Set each user's unread count from the rows themselves: one UPDATE."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=set(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


def notify(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    subject: str,
    period: str,
    message: Message,
    url: str = "",
) -> list[Reminder]:
    """Send an event notification now (a report is ready, a scorecard confirmed…)."""
    reminders = [Reminder(rid, subject, period, message, url) for rid in set(recipient_ids)]
    return notifications_write(kind=kind, reminders=reminders)


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with ``ids`` None, all) of ``user``'s notifications read."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    changed = rows.update(read_at=timezone.now())
    if changed:
        notifications_recount(user_ids=[user.pk])
    return changed


# --- sweeps ---------------------------------------------------------------------------------


def reminder_days(kind: str) -> tuple[bool, int]:
    """(enabled, days) for ``kind``, creating the admin row with its default on first use."""
    definition = SWEEPS[kind]
    setting, _created = ReminderSetting.objects.get_or_create(
        kind=kind, defaults={"days": definition.default_days}
    )
    return setting.enabled, setting.days


def sweeps_run(
    *, on: datetime.date | None = None, kinds: Iterable[str] | None = None, dry_run: bool = False
) -> dict[str, list[Reminder]]:
    """Run the registered sweeps for ``on``; returns, per kind, what was (or would be) new."""
    day = on or timezone.localdate()
    results: dict[str, list[Reminder]] = {}
    for kind in sorted(kinds or SWEEPS):
        enabled, days = reminder_days(kind)
        if not enabled:
            continue
        reminders = list(SWEEPS[kind].function(day, days))
        if dry_run:
            results[kind] = _not_yet_written(kind, reminders)
        else:
            with transaction.atomic():
                results[kind] = notifications_write(kind=kind, reminders=reminders)
    return results


def _not_yet_written(kind: str, reminders: list[Reminder]) -> list[Reminder]:
    if not reminders:
        return []
    existing = set(
        Notification.objects.filter(
            kind=kind,
            period__in={r.period for r in reminders},
            recipient_id__in={r.recipient_id for r in reminders},
        ).values_list("recipient_id", "subject", "period")
    )
    return [r for r in reminders if (r.recipient_id, r.subject, r.period) not in existing]


# --- delivery -------------------------------------------------------------------------------


def _enqueue_delivery() -> None:
    """Wake the senders now. If the broker is down the rows wait as pending, and beat's
    every-minute delivery run sends them once it is back: the request must not fail."""
    from kombu.exceptions import OperationalError

    from portal.tasks import deliver_notifications

    try:
        deliver_notifications.delay()
    except OperationalError as exc:
        logger.warning("broker unreachable, e-mail delivery waits: %s", exc)


def emails_reclaim_stale(*, now: datetime.datetime | None = None) -> int:
    """Put rows left ``sending`` by a killed worker back in the queue."""
    moment = now or timezone.now()
    timeout = datetime.timedelta(seconds=getattr(settings, "NOTIFICATION_CLAIM_TIMEOUT", 600))
    return Notification.objects.filter(
        email_state=Notification.EmailState.SENDING, email_claimed_at__lt=moment - timeout
    ).update(email_state=Notification.EmailState.PENDING, email_claimed_at=None)


def emails_claim(*, limit: int = 100) -> list[int]:
    """Claim up to ``limit`` due e-mails for one sender; no two senders get the same row."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(email_state=Notification.EmailState.PENDING)
            .filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(
                email_state=Notification.EmailState.SENDING, email_claimed_at=now
            )
    return ids


def _retry_delay(attempts: int) -> datetime.timedelta:
    base = getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 60)
    return datetime.timedelta(seconds=base * 4 ** (attempts - 1))


def _record_failure(notification_ids: list[int], attempts: int, error: str) -> None:
    if attempts >= MAX_EMAIL_ATTEMPTS:
        Notification.objects.filter(pk__in=notification_ids).update(
            email_state=Notification.EmailState.FAILED,
            email_attempts=attempts,
            email_error=error[:2000],
            email_claimed_at=None,
        )
        logger.error("notification e-mail failed for good: %s (%s)", notification_ids, error)
    else:
        Notification.objects.filter(pk__in=notification_ids).update(
            email_state=Notification.EmailState.PENDING,
            email_attempts=attempts,
            email_error=error[:2000],
            email_next_attempt_at=timezone.now() + _retry_delay(attempts),
            email_claimed_at=None,
        )


def _render_email(
    recipient: User, language: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = render_to_string(f"portal/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"portal/email/{template}.txt", context)
        html = render_to_string(f"portal/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def emails_send(*, notification_ids: list[int]) -> int:
    """Send the claimed e-mails, one SMTP connection for the batch; returns how many went."""
    rows = list(
        Notification.objects.filter(
            pk__in=notification_ids, email_state=Notification.EmailState.SENDING
        )
        .select_related("recipient", "recipient__notification_preference")
        .order_by("pk")
    )
    if not rows:
        return 0
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except Exception as exc:  # noqa: BLE001 - any connection failure is retried later
        for row in rows:
            _record_failure([row.pk], row.email_attempts + 1, f"{exc.__class__.__name__}: {exc}")
        return 0
    try:
        for row in rows:
            language = _language_of(row.recipient)
            message = _render_email(row.recipient, language, "notification", {"notification": row})
            message.connection = connection
            try:
                message.send()
            except Exception as exc:  # noqa: BLE001 - recorded on the row with its reason
                _record_failure(
                    [row.pk], row.email_attempts + 1, f"{exc.__class__.__name__}: {exc}"
                )
                continue
            Notification.objects.filter(pk=row.pk).update(
                email_state=Notification.EmailState.SENT,
                email_sent_at=timezone.now(),
                email_attempts=row.email_attempts + 1,
                email_error="",
                email_claimed_at=None,
            )
            sent += 1
    finally:
        connection.close()
    return sent


def _language_of(user: User) -> str:
    try:
        return user.notification_preference.language
    except NotificationPreference.DoesNotExist:
        return settings.LANGUAGE_CODE


def digests_send(*, limit: int = 500) -> int:
    """Send each digest reader one e-mail with everything waiting; returns digests sent."""
    now = timezone.now()
    recipients = list(
        Notification.objects.filter(email_state=Notification.EmailState.DIGEST)
        .filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()[:limit]
    )
    sent = 0
    for recipient_id in recipients:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, email_state=Notification.EmailState.DIGEST)
                .order_by("created_at", "pk")
            )
            if not rows:
                continue
            ids = [r.pk for r in rows]
            Notification.objects.filter(pk__in=ids).update(
                email_state=Notification.EmailState.SENDING, email_claimed_at=now
            )
        recipient = User.objects.select_related("notification_preference").get(pk=recipient_id)
        message = _render_email(
            recipient, _language_of(recipient), "digest", {"notifications": rows}
        )
        attempts = max(r.email_attempts for r in rows) + 1
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001
            _record_failure(ids, attempts, f"{exc.__class__.__name__}: {exc}")
            if attempts < MAX_EMAIL_ATTEMPTS:
                Notification.objects.filter(pk__in=ids).update(
                    email_state=Notification.EmailState.DIGEST
                )
            continue
        Notification.objects.filter(pk__in=ids).update(
            email_state=Notification.EmailState.SENT,
            email_sent_at=timezone.now(),
            email_attempts=attempts,
            email_error="",
            email_claimed_at=None,
        )
        sent += 1
    return sent
