"""The committee's tools: 目标责任 tasks (assigned, reported, accepted) and the 宣传 board.

A :class:`Task` is issued by a 党委/党总支 and goes to many assignees; each assignee has one
:class:`Assignment` row with its own state, and every report and decision on it is an
:class:`AssignmentEvent` kept for good (督促检查 needs the whole trail). A :class:`Post` is an
experience report or exemplar a branch submits and the committee publishes and features.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Organisation
from portal.uploads import generated_name


def _today() -> datetime.date:
    return timezone.localdate()


# --- 目标责任 ------------------------------------------------------------------------------


class TaskQuerySet(models.QuerySet["Task"]):
    def issued_within(self, paths: frozenset[str] | set[str]) -> TaskQuerySet:
        """Tasks issued by an organisation in any of the subtrees ``paths``."""
        return self.filter(self.issued_within_q(paths))

    @staticmethod
    def issued_within_q(paths: frozenset[str] | set[str]) -> Q:
        condition = Q(pk__in=[])
        for path in sorted(paths):
            condition |= Q(issuer__path__startswith=path)
        return condition

    def with_progress(self) -> TaskQuerySet:
        """Each task with its assignments counted by state, in the same query.

        Each count is a subquery on the task's own assignments (the ``task, state`` index
        alone), which PostgreSQL evaluates only for the rows of the page after sorting
        and slicing; a join with every assignment counted per task took 90 ms for a page
        of 20 of the province's 860 tasks (80,000 assignments).
        """
        state = Assignment.State

        def counted(*states: str) -> Any:
            rows = Assignment.objects.filter(task_id=models.OuterRef("pk"))
            if states:
                rows = rows.filter(state__in=states)
            number = rows.order_by().values("task_id").annotate(n=models.Count("pk"))
            return Coalesce(models.Subquery(number.values("n")), 0)

        return self.select_related("issuer", "created_by").annotate(
            total=counted(),
            accepted=counted(state.ACCEPTED),
            awaiting_review=counted(state.REPORTED),
            overdue=models.Case(
                models.When(due_on__lt=_today(), then=counted(*Assignment.OPEN_STATES)),
                default=models.Value(0),
            ),
        )

    def for_list(self) -> TaskQuerySet:
        """What a task's line or column header shows (no counts)."""
        return self.select_related("issuer", "created_by")


class Task(models.Model):
    """A 目标责任 task the committee sets: what, by when, and what evidence it expects."""

    issuer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="issued_tasks",
        verbose_name=_("issued by"),
    )
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("requirements"), blank=True)
    evidence_expected = models.CharField(
        _("evidence expected"),
        max_length=300,
        help_text=_("For example: the meeting record, the sign-in sheet and two photos."),
    )
    due_on = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_committee_tasks",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("target-responsibility task")
        verbose_name_plural = _("target-responsibility tasks")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["due_on"], name="committee_task_due")]

    def __str__(self) -> str:
        return self.title


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def for_table(self) -> AssignmentQuerySet:
        """What a row of the state table shows: task, issuer, assignee, in one join."""
        return self.select_related("task", "task__issuer", "organisation", "assignee")

    def overdue(self, on: datetime.date | None = None) -> AssignmentQuerySet:
        """Past the deadline and still waiting for the assignee to report."""
        return self.filter(state__in=Assignment.OPEN_STATES, task__due_on__lt=on or _today())

    def overseen_by(self, scope: Any) -> AssignmentQuerySet:
        """Assignments of tasks issued inside the subtrees ``scope`` oversees."""
        return self.filter(overseen_q(scope))

    def answerable_by(self, scope: Any) -> AssignmentQuerySet:
        """Assignments ``scope``'s user must answer: to them, or to an organisation they manage."""
        return self.filter(answerable_q(scope))

    def visible_to(self, scope: Any) -> AssignmentQuerySet:
        return self.filter(overseen_q(scope) | answerable_q(scope))


# The organisations a user answers for are few: ``any_of`` (portal/lookups.py) names them
# by the row's own ``organisation_id``, so that PostgreSQL answers that part of the OR from
# an index (a secretary's rows among the province's 80,000 assignments: a bitmap OR of
# index scans, not a scan of every row joined to its organisation). The tasks a committee
# oversees can be all 860 of the province: matched through the task's issuer they are a
# join the planner handles well; an array of 860 ids is searched element by element for
# every row (the overdue card: 8 ms instead of 1).


def overseen_q(scope: Any) -> Q:
    if scope.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    for path in sorted(scope.oversee_paths):
        condition |= Q(task__issuer__path__startswith=path)
    return condition


def answerable_q(scope: Any) -> Q:
    condition = Q(assignee_id=scope.user_id) if scope.user_id else Q(pk__in=[])
    if scope.is_superuser:
        return condition | Q(organisation__isnull=False)
    for path in sorted(scope.manage_paths):
        condition |= Q(
            organisation_id__any_of=Organisation.objects.filter(path__startswith=path)
            .order_by()
            .values("pk")
        )
    if scope.manage_nodes:
        condition |= Q(
            organisation_id__any_of=Organisation.objects.filter(path__in=sorted(scope.manage_nodes))
            .order_by()
            .values("pk")
        )
    return condition


class Assignment(models.Model):
    """One task for one assignee (an organisation or a person), with its own state."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", pgettext_lazy("task state", "Assigned")
        REPORTED = "reported", pgettext_lazy("task state", "Reported, awaiting review")
        RETURNED = "returned", pgettext_lazy("task state", "Returned for rework")
        ACCEPTED = "accepted", pgettext_lazy("task state", "Accepted")

    # States in which the assignee owes a report.
    OPEN_STATES = (State.ASSIGNED, State.RETURNED)

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("task")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="committee_assignments",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_assignments",
        verbose_name=_("person"),
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.ASSIGNED
    )
    reported_at = models.DateTimeField(_("last reported at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["task_id", "organisation__path", "assignee__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, assignee__isnull=False)
                | Q(organisation__isnull=False, assignee__isnull=True),
                name="committee_assignment_one_assignee",
            ),
            models.UniqueConstraint(
                fields=["task", "organisation"],
                condition=Q(organisation__isnull=False),
                name="committee_assignment_org_once",
            ),
            models.UniqueConstraint(
                fields=["task", "assignee"],
                condition=Q(assignee__isnull=False),
                name="committee_assignment_person_once",
            ),
        ]
        indexes = [
            models.Index(fields=["state"], name="committee_assignment_state"),
            # A task's assignments counted by state from the index alone (the task list).
            models.Index(fields=["task", "state"], name="committee_assignment_task_st"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.assignee_name}"

    @property
    def assignee_name(self) -> str:
        if self.organisation_id is not None:
            return str(self.organisation)
        return str(self.assignee)

    @property
    def is_overdue(self) -> bool:
        return self.state in self.OPEN_STATES and self.task.due_on < _today()

    @property
    def can_be_reported(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def can_be_reviewed(self) -> bool:
        return self.state == self.State.REPORTED


def evidence_upload_to(instance: AssignmentEvent, filename: str) -> str:
    return f"committee/evidence/{timezone.now():%Y/%m}/{generated_name(filename)}"


class AssignmentEvent(models.Model):
    """One step of an assignment's history: assigned, a report with evidence, a decision."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", pgettext_lazy("task event", "Assigned")
        REPORTED = "reported", pgettext_lazy("task event", "Progress reported")
        ACCEPTED = "accepted", pgettext_lazy("task event", "Accepted")
        RETURNED = "returned", pgettext_lazy("task event", "Returned")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="events", verbose_name=_("assignment")
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link to a record"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment history entry")
        verbose_name_plural = _("assignment history")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_kind_display()}"


# --- 宣传 board -------------------------------------------------------------------------


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        return self.filter(state=Post.State.PUBLISHED)

    def in_subtrees(self, paths: list[str] | frozenset[str] | set[str]) -> PostQuerySet:
        condition = Q(pk__in=[])
        for path in sorted(paths):
            condition |= Q(organisation__path__startswith=path)
        return self.filter(condition)

    def for_feed(self) -> PostQuerySet:
        """Feed rows with their organisation, author and photos (two queries a page)."""
        return (
            self.select_related("organisation", "author")
            .prefetch_related(
                models.Prefetch(
                    "photos", queryset=PostPhoto.objects.order_by("pk"), to_attr="photo_list"
                )
            )
            .order_by("-featured", "-published_at", "-pk")
        )


class Post(models.Model):
    """An experience report (经验交流) or exemplar (先进典型) on the 宣传 board."""

    class Kind(models.TextChoices):
        EXPERIENCE = "experience", _("Experience sharing")
        EXEMPLAR = "exemplar", _("Exemplar")
        REFLECTION = "reflection", _("Exemplary study reflection")
        COMMENDATION = "commendation", _("Commendation")

    class State(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("post state", "Awaiting review")
        RETURNED = "returned", pgettext_lazy("post state", "Returned")
        PUBLISHED = "published", pgettext_lazy("post state", "Published")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="committee_posts",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_posts",
        verbose_name=_("submitted by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Stored sanitised; shown as written."))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    featured = models.BooleanField(_("featured"), default=False)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Set by post_publish_from(): where the post came from, so publishing twice is a no-op.
    source = models.CharField(_("source"), max_length=50, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~Q(source=""),
                name="committee_post_source_once",
            ),
            models.CheckConstraint(
                condition=Q(featured=False) | Q(state="published"),
                name="committee_post_featured_is_published",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "featured", "published_at"], name="committee_post_feed")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def can_be_edited(self) -> bool:
        return self.state in (self.State.SUBMITTED, self.State.RETURNED)


def photo_upload_to(instance: PostPhoto, filename: str) -> str:
    return f"committee/photos/{timezone.now():%Y/%m}/{generated_name(filename)}"


class PostPhoto(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="photos", verbose_name=_("post")
    )
    image = models.FileField(_("photo"), upload_to=photo_upload_to, max_length=300)
    content_type = models.CharField(_("content type"), max_length=50)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class PostEvent(models.Model):
    """Each submission and decision on a post, kept as its history."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("post event", "Submitted")
        PUBLISHED = "published", pgettext_lazy("post event", "Published")
        RETURNED = "returned", pgettext_lazy("post event", "Returned")
        FEATURED = "featured", pgettext_lazy("post event", "Featured")
        UNFEATURED = "unfeatured", pgettext_lazy("post event", "No longer featured")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="events", verbose_name=_("post")
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("post history entry")
        verbose_name_plural = _("post history")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.post} · {self.get_kind_display()}"


# Reviews and decisions are audited: who changed them, when, and what (SECURITY.md).
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Assignment)
auditlog.register(Post)
