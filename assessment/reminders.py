"""Contest reminders: a contest has opened; it closes soon and you have not taken part."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from assessment.models import Attempt, Contest
from portal.notifications import Message, Reminder, sweep
from portal.selectors import members_under


def _day_bounds(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _recipients(contests: list[Contest]) -> Iterator[tuple[Contest, int]]:
    """(contest, member) for every member in each contest's subtree: one query for all."""
    members = members_under(c.organisation.path for c in contests)
    for contest in contests:
        for user_id, path in members:
            if path.startswith(contest.organisation.path):
                yield contest, user_id


@sweep("assessment.contest_open", label=gettext_noop("A contest has opened"), default_days=1)
def contest_open(on: datetime.date, days: int) -> Iterator[Reminder]:
    """Contests that opened in the last ``days`` days, to every member in their scope."""
    start, end = _day_bounds(on - datetime.timedelta(days=days - 1), on)
    contests = list(
        Contest.objects.filter(
            is_published=True, opens_at__gte=start, opens_at__lt=end
        ).select_related("organisation")
    )
    for contest, user_id in _recipients(contests):
        yield Reminder(
            user_id,
            f"contest:{contest.pk}",
            "open",
            Message(
                gettext_noop("Contest open: %(title)s"),
                gettext_noop("Open until %(closes)s."),
                {
                    "title": contest.title,
                    "closes": timezone.localtime(contest.closes_at).strftime("%Y-%m-%d %H:%M"),
                },
            ),
            reverse("assessment:contest", args=[contest.pk]),
        )


@sweep("assessment.contest_closing", label=gettext_noop("A contest closes soon"), default_days=2)
def contest_closing(on: datetime.date, days: int) -> Iterator[Reminder]:
    """Open contests closing within ``days`` days, to members in scope with no attempt yet."""
    start, end = _day_bounds(on, on + datetime.timedelta(days=days))
    contests = list(
        Contest.objects.filter(
            is_published=True,
            opens_at__lte=end,
            closes_at__gte=max(start, timezone.now()),
            closes_at__lt=end,
        ).select_related("organisation")
    )
    taken = set(Attempt.objects.filter(contest__in=contests).values_list("contest_id", "user_id"))
    for contest, user_id in _recipients(contests):
        if (contest.pk, user_id) in taken:
            continue
        yield Reminder(
            user_id,
            f"contest:{contest.pk}",
            "closing",
            Message(
                gettext_noop("Contest closing soon: %(title)s"),
                gettext_noop("You have not taken part yet. It closes at %(closes)s."),
                {
                    "title": contest.title,
                    "closes": timezone.localtime(contest.closes_at).strftime("%Y-%m-%d %H:%M"),
                },
            ),
            reverse("assessment:contest", args=[contest.pk]),
        )
