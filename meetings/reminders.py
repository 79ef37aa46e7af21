"""Meeting reminders (issue 7): to attendees the day before; to the secretary when a required
meeting is still missing near the end of its period; to the recorder when a held meeting
has no submitted record; and the committee's weekly digest of branches falling behind."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from meetings.models import Attendance, Meeting
from meetings.selectors import compliance
from portal.models import Organisation, Position
from portal.notifications import Message, Reminder, sweep
from portal.selectors import secretaries_of


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _day_range(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(
            last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        ),
    )


@sweep("meetings.attendee_day_before", label=gettext_noop("A meeting tomorrow"), default_days=1)
def attendee_day_before(on: datetime.date, days: int) -> Iterator[Reminder]:
    """Each expected attendee of a meeting held ``days`` days from ``on``: two queries."""
    start, end = _day_range(on + datetime.timedelta(days=days), on + datetime.timedelta(days=days))
    rows = (
        Attendance.objects.filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
        .select_related("meeting")
        .order_by("meeting_id")
    )
    for attendance in rows:
        meeting = attendance.meeting
        yield Reminder(
            attendance.user_id,
            f"meeting:{meeting.pk}",
            "day-before",
            Message(
                gettext_noop("Meeting on %(when)s: %(topic)s"),
                gettext_noop("Place: %(place)s"),
                {
                    "when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "topic": meeting.topic,
                    "place": meeting.place or "—",
                },
            ),
            reverse("meetings:detail", args=[meeting.pk]),
        )


@sweep(
    "meetings.required_missing",
    label=gettext_noop("A required meeting is still missing"),
    default_days=7,
)
def required_missing(on: datetime.date, days: int) -> Iterator[Reminder]:
    """For every branch: each kind still short in a period ending within ``days`` days,
    to the branch's secretaries. Compliance is computed for all branches at once."""
    branches = list(Organisation.objects.filter(kind=Organisation.Kind.BRANCH, is_active=True))
    results = [
        r
        for r in compliance(branches, on.year, today=on)
        if r.missing and on <= r.end <= on + datetime.timedelta(days=days)
    ]
    secretaries = secretaries_of(r.organisation.pk for r in results)
    for r in results:
        for user_id in secretaries.get(r.organisation.pk, []):
            yield Reminder(
                user_id,
                f"compliance:{r.organisation.pk}:{r.kind}",
                r.start.isoformat(),
                Message(
                    gettext_noop(
                        "%(branch)s: %(kind)s still missing (%(held)s of %(required)s) by %(end)s"
                    ),
                    "",
                    {
                        "branch": r.organisation.name,
                        "kind": r.kind_label,
                        "held": r.held,
                        "required": r.required,
                        "end": r.end.isoformat(),
                    },
                ),
                reverse("meetings:calendar", args=[r.organisation.pk]),
            )


@sweep(
    "meetings.record_overdue", label=gettext_noop("A meeting record is not filed"), default_days=3
)
def record_overdue(on: datetime.date, days: int) -> Iterator[Reminder]:
    """Meetings held ``days`` or more days ago whose record is still a draft: to the recorder,
    or the secretaries where nobody was named. Once per meeting."""
    _start, end = _day_range(on - datetime.timedelta(days=days), on - datetime.timedelta(days=days))
    drafts = list(
        Meeting.objects.filter(status=Meeting.Status.DRAFT, starts_at__lt=end).order_by("pk")
    )
    secretaries = secretaries_of(m.organisation_id for m in drafts if not m.recorder_id)
    for meeting in drafts:
        people = (
            [meeting.recorder_id]
            if meeting.recorder_id
            else secretaries.get(meeting.organisation_id, [])
        )
        for user_id in people:
            yield Reminder(
                user_id,
                f"meeting:{meeting.pk}",
                "record-overdue",
                Message(
                    gettext_noop("The record of %(topic)s (%(day)s) is not filed yet"),
                    gettext_noop("Complete the attendance and minutes and submit it."),
                    {"topic": meeting.topic, "day": _local_day(meeting.starts_at).isoformat()},
                ),
                reverse("meetings:detail", args=[meeting.pk]),
            )


@sweep(
    "meetings.committee_weekly",
    label=gettext_noop("Weekly digest of branches falling behind"),
    default_days=0,
)
def committee_weekly(on: datetime.date, days: int) -> Iterator[Reminder]:
    """On the weekday ``days`` (0 = Monday): to everyone holding a committee post, how many
    branches below them have missed required meetings this year, and which are worst."""
    if on.weekday() != days % 7:
        return
    branches = list(Organisation.objects.filter(kind=Organisation.Kind.BRANCH, is_active=True))
    missed: dict[int, int] = defaultdict(int)
    for r in compliance(branches, on.year, today=on):
        if r.status == "missed":
            missed[r.organisation.pk] += r.missing
    by_pk = {b.pk: b for b in branches}
    posts = (
        Position.objects.current(on=on)
        .filter(
            organisation__kind__in=[Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH]
        )
        .select_related("organisation")
    )
    week = f"{on.isocalendar().year}-W{on.isocalendar().week:02d}"
    for post in posts:
        behind = sorted(
            (
                (count, by_pk[pk].name)
                for pk, count in missed.items()
                if by_pk[pk].path.startswith(post.organisation.path)
            ),
            reverse=True,
        )
        if not behind:
            continue
        yield Reminder(
            post.user_id,
            f"committee-weekly:{post.organisation_id}",
            week,
            Message(
                gettext_noop("%(count)s branches of %(committee)s are behind on meetings"),
                gettext_noop("Most behind: %(worst)s"),
                {
                    "count": len(behind),
                    "committee": post.organisation.name,
                    "worst": "、".join(f"{name}（{n}）" for n, name in behind[:5]),
                },
            ),
            reverse("meetings:committee", args=[post.organisation_id]),
        )
