"""The beat schedule is declared once and lands in django-celery-beat's tables."""

from django_celery_beat.models import PeriodicTask

from portal.celery import app
from portal.schedule import BEAT_SCHEDULE, schedule_sync


def test_every_scheduled_task_exists(db):
    app.loader.import_default_modules()
    for name, (task, _fields) in BEAT_SCHEDULE.items():
        assert task in app.tasks, f"{name}: no task named {task}"


def test_sync_creates_missing_entries_and_keeps_edited_ones(db):
    schedule_sync()
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= set(BEAT_SCHEDULE)
    edited = PeriodicTask.objects.get(name="每日提醒 daily reminders")
    edited.crontab.hour = "6"
    edited.crontab.save()
    PeriodicTask.objects.filter(name="每日摘要 daily digests").delete()
    schedule_sync()
    assert PeriodicTask.objects.get(name="每日提醒 daily reminders").crontab.hour == "6"
    assert PeriodicTask.objects.filter(name="每日摘要 daily digests").exists()
