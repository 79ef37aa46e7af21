"""目标责任 reminders: a task comes due soon; a task is overdue. To the assignee, or to the
secretaries of the assigned organisation."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_noop

from committee.models import Assignment
from portal.notifications import Message, Reminder, sweep
from portal.selectors import secretaries_of


def _reminders(assignments: list[Assignment], period: str, message: Message) -> Iterator[Reminder]:
    secretaries = secretaries_of(a.organisation_id for a in assignments if a.organisation_id)
    for assignment in assignments:
        people = (
            [assignment.assignee_id]
            if assignment.assignee_id
            else secretaries.get(assignment.organisation_id or 0, [])
        )
        params = {"title": assignment.task.title, "due": assignment.task.due_on.isoformat()}
        for user_id in people:
            yield Reminder(
                user_id,
                f"assignment:{assignment.pk}",
                period,
                Message(message.title, message.body, params),
                reverse("committee:assignment", args=[assignment.pk]),
            )


@sweep("committee.assignment_due", label=gettext_noop("A task comes due"), default_days=3)
def assignment_due(on: datetime.date, days: int) -> Iterator[Reminder]:
    """Open assignments whose deadline is within ``days`` days: once per deadline."""
    rows = list(
        Assignment.objects.filter(
            state__in=Assignment.OPEN_STATES,
            task__due_on__gte=on,
            task__due_on__lte=on + datetime.timedelta(days=days),
        ).select_related("task")
    )
    yield from _reminders(
        rows,
        "due",
        Message(
            gettext_noop("Task due %(due)s: %(title)s"),
            gettext_noop("Report progress and evidence before the deadline."),
        ),
    )


@sweep("committee.assignment_overdue", label=gettext_noop("A task is overdue"), default_days=1)
def assignment_overdue(on: datetime.date, days: int) -> Iterator[Reminder]:
    """Assignments still owing a report ``days`` days after their deadline: once each."""
    rows = list(
        Assignment.objects.overdue(on - datetime.timedelta(days=days - 1)).select_related("task")
    )
    yield from _reminders(
        rows,
        "overdue",
        Message(
            gettext_noop("Overdue since %(due)s: %(title)s"),
            gettext_noop("The committee is waiting for your report."),
        ),
    )
