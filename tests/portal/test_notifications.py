"""Notifications in-process: sweeps write once, the inbox, preferences, send_reminders."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from portal.models import Notification, NotificationPreference, ReminderSetting
from portal.notifications import (
    SWEEPS,
    Message,
    Reminder,
    digests_send,
    emails_claim,
    emails_send,
    notifications_mark_read,
    notify,
    sweep,
    sweeps_run,
)


@pytest.fixture
def test_sweep(world):
    """A sweep reminding the world's member, registered only for the test."""
    calls = []

    @sweep("test.member", label="test sweep", default_days=3)
    def remind(on, days):
        calls.append((on, days))
        return [
            Reminder(
                world.member.pk,
                "thing:1",
                on.isoformat(),
                Message("Due in %(days)s days", params={"days": days}),
                "/",
            )
        ]

    yield calls
    SWEEPS.pop("test.member")


def test_a_sweep_run_twice_writes_once(world, test_sweep):
    day = datetime.date(2026, 11, 28)
    first = sweeps_run(on=day, kinds=["test.member"])
    second = sweeps_run(on=day, kinds=["test.member"])
    assert len(first["test.member"]) == 1 and second["test.member"] == []
    assert Notification.objects.filter(kind="test.member").count() == 1
    world.member.refresh_from_db()
    assert world.member.unread_notifications == 1


def test_sweep_timing_comes_from_the_admin_setting(world, test_sweep):
    sweeps_run(on=datetime.date(2026, 11, 28), kinds=["test.member"])
    assert test_sweep[-1][1] == 3  # the default, now stored
    ReminderSetting.objects.filter(kind="test.member").update(days=7)
    sweeps_run(on=datetime.date(2026, 11, 29), kinds=["test.member"])
    assert test_sweep[-1][1] == 7


def test_disabled_sweep_sends_nothing(world, test_sweep):
    ReminderSetting.objects.create(kind="test.member", enabled=False, days=1)
    assert sweeps_run(on=datetime.date(2026, 11, 28), kinds=["test.member"]) == {}
    assert not Notification.objects.exists()


def test_message_is_rendered_in_the_recipient_language(world):
    NotificationPreference.objects.create(user=world.member, language="en", channel="in_app")
    NotificationPreference.objects.create(
        user=world.secretary, language="zh-hans", channel="in_app"
    )
    notify(
        recipient_ids=[world.member.pk, world.secretary.pk],
        kind="k",
        subject="s",
        period="p",
        message=Message("Messages"),
    )
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {"member": "Messages", "secretary": "消息"}


def test_dry_run_command_writes_nothing(world, test_sweep, capsys):
    call_command("send_reminders", "--dry-run", "--kind", "test.member", "--date", "2026-11-28")
    assert "would send 1" in capsys.readouterr().out
    assert not Notification.objects.exists()
    call_command("send_reminders", "--kind", "test.member", "--date", "2026-11-28")
    assert Notification.objects.count() == 1


def test_email_is_sent_once_even_if_claimed_twice(world):
    world.member.email = "m@example.cn"
    world.member.save(update_fields=["email"])
    notify(
        recipient_ids=[world.member.pk], kind="k", subject="s", period="p", message=Message("Hello")
    )
    ids = emails_claim()
    assert emails_claim() == []  # a second sender finds nothing to take
    assert emails_send(notification_ids=ids) == 1
    assert emails_send(notification_ids=ids) == 0  # a redelivered task sends nothing again
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives  # HTML beside the plain text


def test_digest_reader_gets_no_single_emails(world):
    world.member.email = "m@example.cn"
    world.member.save(update_fields=["email"])
    NotificationPreference.objects.create(user=world.member, frequency="daily_digest")
    for n in range(3):
        notify(
            recipient_ids=[world.member.pk],
            kind="k",
            subject=f"s{n}",
            period="p",
            message=Message("Hello"),
        )
    assert emails_claim() == []
    assert digests_send() == 1
    assert len(mail.outbox) == 1
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


def test_user_without_address_gets_in_app_only(world):
    notify(
        recipient_ids=[world.member.pk], kind="k", subject="s", period="p", message=Message("Hello")
    )
    assert Notification.objects.get().email_state == Notification.EmailState.NOT_WANTED


def test_mark_read_updates_the_count(world):
    notify(recipient_ids=[world.member.pk], kind="k", subject="a", period="p", message=Message("A"))
    notify(recipient_ids=[world.member.pk], kind="k", subject="b", period="p", message=Message("B"))
    world.member.refresh_from_db()
    assert world.member.unread_notifications == 2
    first = Notification.objects.filter(recipient=world.member).first()
    assert notifications_mark_read(user=world.member, ids=[first.pk]) == 1
    world.member.refresh_from_db()
    assert world.member.unread_notifications == 1


# --- pages ---------------------------------------------------------------------------------


def test_inbox_shows_own_messages_and_the_unread_count(as_user, world, django_assert_num_queries):
    for n in range(12):
        notify(
            recipient_ids=[world.member.pk],
            kind="k",
            subject=f"s{n}",
            period="p",
            message=Message("Hello"),
        )
    notify(
        recipient_ids=[world.secretary.pk],
        kind="k",
        subject="x",
        period="p",
        message=Message("Secret"),
    )
    client = as_user(world.member)
    # session, user (with its unread count), change stamps, scope positions, scope
    # membership, page count, page rows
    with django_assert_num_queries(7):
        response = client.get(reverse("portal:inbox"))
    assert response.context["page"].paginator.count == 12
    assert 'data-testid="unread-count">12<' in response.content.decode()


def test_cannot_open_another_persons_notification(as_user, world):
    notify(
        recipient_ids=[world.secretary.pk],
        kind="k",
        subject="x",
        period="p",
        message=Message("Secret"),
    )
    other = Notification.objects.get()
    assert (
        as_user(world.outsider).get(reverse("portal:notification", args=[other.pk])).status_code
        == 404
    )
    as_user(world.outsider).post(reverse("portal:notifications_read"), {"id": [other.pk]})
    other.refresh_from_db()
    assert other.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(as_user, world):
    notify(
        recipient_ids=[world.member.pk],
        kind="k",
        subject="x",
        period="p",
        message=Message("Go"),
        url="/members/",
    )
    row = Notification.objects.get()
    response = as_user(world.member).get(reverse("portal:notification", args=[row.pk]))
    assert response["Location"] == "/members/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_external_link_is_not_followed(as_user, world):
    notify(
        recipient_ids=[world.member.pk],
        kind="k",
        subject="x",
        period="p",
        message=Message("Go"),
        url="https://evil.example/",
    )
    row = Notification.objects.get()
    response = as_user(world.member).get(reverse("portal:notification", args=[row.pk]))
    assert response["Location"] == reverse("portal:inbox")


def test_email_channel_needs_an_address(as_user, world):
    response = as_user(world.member).post(
        reverse("portal:notification_settings"),
        {"channel": "email", "frequency": "immediate", "language": "zh-hans", "email": ""},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not NotificationPreference.objects.filter(user=world.member).exists()


def test_preferences_are_saved(as_user, world):
    response = as_user(world.member).post(
        reverse("portal:notification_settings"),
        {
            "channel": "email",
            "frequency": "daily_digest",
            "language": "en",
            "email": "m@example.cn",
        },
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.member)
    assert (preference.frequency, preference.language) == ("daily_digest", "en")
    world.member.refresh_from_db()
    assert world.member.email == "m@example.cn"
