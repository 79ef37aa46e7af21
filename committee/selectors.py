"""Reads for the committee pages and for the home dashboard; each a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from committee.access import feed_paths
from committee.models import Assignment, AssignmentEvent, Post, Task
from portal.models import Membership, Organisation
from portal.scoping import scope_for


def overdue_assignments(
    user: Any, *, responsible_only: bool = False, on: datetime.date | None = None
) -> QuerySet[Assignment]:
    """Overdue 目标责任 assignments for ``user``'s dashboard and reminders, earliest deadline first.

    Overdue means past the task's deadline with no report outstanding for review (state
    assigned or returned). By default the result holds both the assignments ``user`` must
    answer (to them, or to an organisation they manage) and, for a committee member, every
    overdue assignment of the tasks their committee issued. With ``responsible_only`` it
    holds only the first kind: the set a reminder should go to ``user`` for.

    One query when evaluated (task, issuer, organisation and person joined); ``on``
    defaults to today in Asia/Shanghai.
    """
    scope = scope_for(user)
    base = Assignment.objects.overdue(on).for_table()
    rows = base.answerable_by(scope) if responsible_only else base.visible_to(scope)
    return rows.order_by("task__due_on", "task_id", "pk")


def issuers_for(user: Any) -> QuerySet[Organisation]:
    """The 党委/党总支 in whose name ``user`` may issue tasks."""
    scope = scope_for(user)
    committees = Organisation.objects.filter(
        kind__in=(Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH)
    )
    if scope.is_superuser:
        return committees
    return committees.filter(path__in=sorted(scope.oversee_paths))


def assignable_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations below the nodes ``user`` issues for (groups are reached via their branch)."""
    scope = scope_for(user)
    rows = Organisation.objects.exclude(kind=Organisation.Kind.GROUP)
    if scope.is_superuser:
        return rows.filter(depth__gt=1)
    condition = Q(pk__in=[])
    for path in sorted(scope.oversee_paths):
        condition |= Q(path__startswith=path)
    return rows.filter(condition).exclude(path__in=sorted(scope.oversee_paths))


def members_below(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(branch__path__startswith=organisation.path)


def task_list(user: Any) -> QuerySet[Task]:
    """Tasks issued within the user's oversight, with counts by state (one query a page)."""
    scope = scope_for(user)
    tasks = (
        Task.objects.all()
        if scope.is_superuser
        else Task.objects.issued_within(scope.oversee_paths)
    )
    return tasks.with_progress().order_by("-created_at", "-pk")


def task_choices(user: Any) -> QuerySet[Task]:
    """The tasks of :func:`task_list` as choices for a filter: id and title, newest first."""
    scope = scope_for(user)
    tasks = (
        Task.objects.all()
        if scope.is_superuser
        else Task.objects.issued_within(scope.oversee_paths)
    )
    return tasks.only("pk", "title").order_by("-created_at", "-pk")


def my_assignments(user: Any) -> QuerySet[Assignment]:
    """Assignments the user answers, open ones first, then by deadline."""
    scope = scope_for(user)
    return (
        Assignment.objects.answerable_by(scope)
        .for_table()
        .annotate(
            urgency=Case(
                When(state__in=Assignment.OPEN_STATES, then=Value(0)),
                When(state=Assignment.State.REPORTED, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("urgency", "task__due_on", "pk")
    )


def assignment_table(user: Any) -> QuerySet[Assignment]:
    """The state table: every assignment the user may see, by task then assignee."""
    scope = scope_for(user)
    return (
        Assignment.objects.visible_to(scope)
        .for_table()
        .order_by("-task__created_at", "task_id", "organisation__path", "assignee__name", "pk")
    )


def task_assignments(task: Task, user: Any, *, committee: bool) -> QuerySet[Assignment]:
    rows = Assignment.objects.filter(task=task).select_related("task", "organisation", "assignee")
    if not committee:
        rows = rows.answerable_by(scope_for(user))
    return rows.order_by("organisation__path", "assignee__name", "pk")


def assignment_history(assignment: Assignment) -> QuerySet[AssignmentEvent]:
    return assignment.events.select_related("actor").order_by("created_at", "pk")


def feed(user: Any) -> QuerySet[Post]:
    """Published posts from the user's tree, featured first, newest first."""
    scope = scope_for(user)
    posts = Post.objects.published()
    if not scope.is_superuser:
        posts = posts.in_subtrees(feed_paths(scope))
    return posts.for_feed()


def review_queue(user: Any) -> QuerySet[Post]:
    """Posts awaiting the committee's review within what the user oversees."""
    scope = scope_for(user)
    posts = Post.objects.filter(state=Post.State.SUBMITTED)
    if not scope.is_superuser:
        posts = posts.in_subtrees(scope.oversee_paths)
    return posts.for_feed().order_by("created_at", "pk")


def my_posts(user: Any) -> QuerySet[Post]:
    """Posts the user wrote or that organisations they manage submitted, newest first."""
    scope = scope_for(user)
    condition = Q(author_id=scope.user_id) | Q(
        scope.organisations_q(manage=True, prefix="organisation__")
    )
    if not (scope.manage_paths or scope.manage_nodes or scope.is_superuser):
        condition = Q(author_id=scope.user_id)
    return (
        Post.objects.filter(condition)
        .select_related("organisation", "author")
        .order_by("-created_at", "-pk")
    )


def post_page(post: Post) -> Post:
    """Attach the post's photos and history for its page (two queries)."""
    post.photo_list = list(post.photos.order_by("pk"))  # type: ignore[attr-defined]
    post.history = list(post.events.select_related("actor").order_by("created_at", "pk"))  # type: ignore[attr-defined]
    return post


@dataclass
class MatrixRow:
    """One assignee's line of the matrix: a cell (assignment or None) per task column."""

    name: str
    cells: list[Assignment | None]


def task_matrix(tasks: list[Task]) -> list[MatrixRow]:
    """Assignees down, ``tasks`` across: each task's state per branch (one query).

    Organisations come in tree order, then people by name; a blank cell means the task
    was not given to that assignee.
    """
    column = {task.pk: n for n, task in enumerate(tasks)}
    rows: dict[tuple[int, str, int], MatrixRow] = {}
    assignments = Assignment.objects.filter(task__in=tasks).select_related(
        "task", "organisation", "assignee"
    )
    for assignment in assignments:
        if assignment.organisation is not None:
            key = (0, assignment.organisation.path, assignment.organisation.pk)
        else:
            assert assignment.assignee is not None
            key = (1, assignment.assignee.name, assignment.assignee.pk)
        row = rows.setdefault(key, MatrixRow(assignment.assignee_name, [None] * len(tasks)))
        row.cells[column[assignment.task_id]] = assignment
    return [rows[key] for key in sorted(rows)]
