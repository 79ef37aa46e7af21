"""The beat schedule, declared here once and kept in the database by django-celery-beat.

``schedule_sync`` runs after every migrate: it creates the periodic tasks that are
missing and leaves existing ones alone, so times an administrator changed in the admin
(*Periodic tasks*) stay as they were set.
"""

from __future__ import annotations

from typing import Any

# name: (task, crontab fields in Asia/Shanghai)
BEAT_SCHEDULE: dict[str, tuple[str, dict[str, str]]] = {
    "每日提醒 daily reminders": ("portal.tasks.run_reminder_sweeps", {"minute": "0", "hour": "7"}),
    "邮件投递 e-mail delivery": ("portal.tasks.deliver_notifications", {"minute": "*"}),
    "每日摘要 daily digests": ("portal.tasks.send_daily_digests", {"minute": "30", "hour": "7"}),
    # An attempt whose time ran out with its tab closed is marked with what was saved.
    "考学超时交卷 close expired attempts": ("assessment.close_expired_attempts", {"minute": "*/5"}),
    # Builds and reports whose hand-over found the broker down, or whose worker died.
    "考评续建 resume waiting scorecard work": ("scorecards.resume_waiting", {"minute": "*/5"}),
    "季度考学评学 quarterly scorecards": (
        "scorecards.build_quarter_end",
        {"minute": "0", "hour": "2", "day_of_month": "1", "month_of_year": "1,4,7,10"},
    ),
}


def schedule_sync(**kwargs: Any) -> None:
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, (task, fields) in BEAT_SCHEDULE.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=fields.get("minute", "*"),
            hour=fields.get("hour", "*"),
            day_of_week=fields.get("day_of_week", "*"),
            day_of_month=fields.get("day_of_month", "*"),
            month_of_year=fields.get("month_of_year", "*"),
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
