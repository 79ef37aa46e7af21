"""Study reminders (issue 7): the personal plan not filed by its deadline; 必学 materials
coming due and not yet read; plans and reflections waiting for the secretary too long."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from learning.models import (
    Assignment,
    MaterialRead,
    Reflection,
    Requirement,
    ReviewStatus,
    StudyPlan,
)
from portal.notifications import Message, Reminder, sweep
from portal.selectors import members_under, secretaries_of


@sweep(
    "learning.plan_missing", label=gettext_noop("Personal study plan not filed"), default_days=31
)
def plan_missing(on: datetime.date, days: int) -> Iterator[Reminder]:
    """From the ``days``-th day of the year: members with no submitted plan for the year.
    Three queries; once per member and year."""
    deadline = datetime.date(on.year, 1, 1) + datetime.timedelta(days=days - 1)
    if on <= deadline:
        return
    filed = set(
        StudyPlan.objects.filter(year=on.year)
        .exclude(status=ReviewStatus.DRAFT)
        .values_list("user_id", flat=True)
    )
    from portal.models import Membership

    for user_id in Membership.objects.values_list("user_id", flat=True):
        if user_id in filed:
            continue
        yield Reminder(
            user_id,
            f"study-plan:{on.year}",
            str(on.year),
            Message(
                gettext_noop("Your %(year)s personal study plan is not filed"),
                gettext_noop(
                    "It was due on %(deadline)s. File it so your secretary can approve it."
                ),
                {"year": on.year, "deadline": deadline.isoformat()},
            ),
            reverse("learning:home"),
        )


@sweep("learning.material_due", label=gettext_noop("Required reading coming due"), default_days=3)
def material_due(on: datetime.date, days: int) -> Iterator[Reminder]:
    """必学 assignments due within ``days`` days, to members below them who have not read
    the material. Three queries whatever the number of members."""
    assignments = list(
        Assignment.objects.filter(
            requirement=Requirement.REQUIRED,
            due_on__gte=on,
            due_on__lte=on + datetime.timedelta(days=days),
        ).select_related("material", "organisation")
    )
    if not assignments:
        return
    members = members_under(a.organisation.path for a in assignments)
    read = set(
        MaterialRead.objects.filter(material__in={a.material_id for a in assignments}).values_list(
            "material_id", "user_id"
        )
    )
    for assignment in assignments:
        for user_id, path in members:
            if not path.startswith(assignment.organisation.path):
                continue
            if (assignment.material_id, user_id) in read:
                continue
            yield Reminder(
                user_id,
                f"material:{assignment.material_id}",
                assignment.due_on.isoformat(),
                Message(
                    gettext_noop("Required reading due %(due)s: %(title)s"),
                    "",
                    {"due": assignment.due_on.isoformat(), "title": assignment.material.title},
                ),
                reverse("learning:material", args=[assignment.material_id]),
            )


@sweep("learning.reviews_waiting", label=gettext_noop("Reviews waiting too long"), default_days=3)
def reviews_waiting(on: datetime.date, days: int) -> Iterator[Reminder]:
    """Plans and reflections submitted ``days`` or more days ago and still not reviewed, to
    the secretaries of their branch; once per submission."""
    zone = timezone.get_current_timezone()
    before = datetime.datetime.combine(
        on - datetime.timedelta(days=days - 1), datetime.time.min, tzinfo=zone
    )
    plans = list(
        StudyPlan.objects.filter(
            status=ReviewStatus.SUBMITTED, submitted_at__lt=before
        ).select_related("user")
    )
    reflections = list(
        Reflection.objects.filter(
            status=Reflection.Status.SUBMITTED, submitted_at__lt=before
        ).select_related("author")
    )
    secretaries = secretaries_of(
        [p.organisation_id for p in plans] + [r.organisation_id for r in reflections]
    )
    for plan in plans:
        for user_id in secretaries.get(plan.organisation_id, []):
            if user_id == plan.user_id:
                continue
            yield Reminder(
                user_id,
                f"study-plan-review:{plan.pk}",
                plan.submitted_at.date().isoformat() if plan.submitted_at else "",
                Message(
                    gettext_noop("%(name)s's study plan is waiting for your review"),
                    "",
                    {"name": plan.user.name},
                ),
                reverse("learning:plan", args=[plan.pk]),
            )
    for reflection in reflections:
        for user_id in secretaries.get(reflection.organisation_id, []):
            if user_id == reflection.author_id:
                continue
            yield Reminder(
                user_id,
                f"reflection-review:{reflection.pk}",
                reflection.submitted_at.date().isoformat() if reflection.submitted_at else "",
                Message(
                    gettext_noop("%(name)s's reflection “%(title)s” is waiting for your review"),
                    "",
                    {"name": reflection.author.name, "title": reflection.title},
                ),
                reverse("learning:reflection", args=[reflection.pk]),
            )
