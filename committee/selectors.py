"""Reads for the committee pages and for the home dashboard; each a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone

from committee import caching
from committee.access import feed_paths
from committee.models import Assignment, AssignmentEvent, Post, Task
from portal.models import Membership, Organisation
from portal.paging import LazyList
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


def task_list(user: Any, *, progress: bool = True) -> QuerySet[Task]:
    """Tasks issued within the user's oversight, newest first, with counts by state (one
    query a page) unless ``progress`` is false."""
    scope = scope_for(user)
    tasks = (
        Task.objects.all()
        if scope.is_superuser
        else Task.objects.issued_within(scope.oversee_paths)
    )
    tasks = tasks.with_progress() if progress else tasks.for_list()
    return tasks.order_by("-created_at", "-pk")


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
        .select_related("task", "organisation", "assignee")
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


class AssignmentTable:
    """The rows of :func:`assignment_table` (filtered) for a ``Paginator``, paged over tasks.

    The table is ordered by task first, so a page's rows belong to a few consecutive tasks.
    How many rows each task has, in the table's task order, is read once, together with
    the task filter's options (one query: a grouped count of the rows by task, and the
    tasks of the user's committee), and kept in the cache under the data's change stamps
    (``stamp``: committee/caching.py), the user's scope, the filters and the day. From it the
    paginator's count is a sum, and a page is the rows of just its tasks, sorted and
    sliced in SQL: an index lookup, not a sort of the province's 80,000 assignments.

    ``rows`` is :func:`assignment_table` for ``user`` with the filters ``filters``
    describes (:meth:`AssignmentFilterForm.applied`) applied.
    """

    def __init__(
        self, user: Any, rows: QuerySet[Assignment], stamp: str, filters: tuple[Any, ...]
    ) -> None:
        self.rows = rows
        self.user = user
        visibility = scope_for(user).cache_key()
        today = timezone.localdate().isoformat()
        self.key = caching.key("table", visibility, filters, today, stamp)
        self.options_html, self.task_counts = caching.cached(self.key, self._layout)

    def _layout(self) -> tuple[str, list[tuple[int, int]]]:
        """The filter's options (the committee's tasks, newest first) and (task id, rows)
        in the table's task order: one query, the two parts told apart by ``n`` = -1."""
        from committee.forms import options_html

        counts = (
            self.rows.order_by()
            .values("task_id")
            .annotate(title=Value("", output_field=CharField()), n=Count("pk"))
            .values_list("task_id", "task__created_at", "title", "n")
        )
        own = task_choices(self.user).order_by()
        own = own.annotate(n=Value(-1, output_field=BigIntegerField()))
        both = counts.union(own.values_list("pk", "created_at", "title", "n"), all=True)
        rows = list(both)
        options = sorted((-c.timestamp(), -pk, title) for pk, c, title, n in rows if n < 0)
        tasks = sorted((-c.timestamp(), pk, n) for pk, c, _title, n in rows if n >= 0)
        return (
            options_html([(-pk, title) for _c, pk, title in options]),
            [(pk, n) for _c, pk, n in tasks],
        )

    def count(self) -> int:
        return sum(n for _task, n in self.task_counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> LazyList:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("AssignmentTable supports slices only")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        rows = self.page_rows(start, stop)
        # Read only if the page's fragment is not in the cache (the template's {% cache %}).
        return LazyList(lambda: list(rows))

    def page_rows(self, start: int, stop: int) -> QuerySet[Assignment]:
        """Rows ``start`` to ``stop`` of the table: only the tasks they belong to are read."""
        ids: list[int] = []
        skip = offset = 0
        for task_id, n in self.task_counts:
            if offset >= stop:
                break
            if offset + n > start:
                if not ids:
                    skip = start - offset
                ids.append(task_id)
            offset += n
        if not ids:
            return self.rows.none()
        return self.rows.filter(task_id__in=ids)[skip : skip + max(stop - start, 0)]


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


@dataclass(frozen=True)
class MatrixCell:
    """One assignment in the matrix: what its cell (and the spreadsheet's) shows."""

    pk: int
    state: str
    due_on: datetime.date

    def get_state_display(self) -> str:
        return str(Assignment.State(self.state).label)

    @property
    def is_overdue(self) -> bool:
        return self.state in Assignment.OPEN_STATES and self.due_on < timezone.localdate()


@dataclass
class MatrixRow:
    """One assignee's line of the matrix: a cell (assignment or None) per task column."""

    name: str
    cells: list[MatrixCell | None]


def task_matrix(tasks: list[Task]) -> list[MatrixRow]:
    """Assignees down, ``tasks`` across: each task's state per branch (one query).

    Organisations come in tree order, then people by name; a blank cell means the task
    was not given to that assignee. The assignments are read as plain values (10,000 of
    them for ten tasks at province scale), not as model instances.
    """
    column = {task.pk: n for n, task in enumerate(tasks)}
    due = {task.pk: task.due_on for task in tasks}
    rows: dict[tuple[int, str, int], MatrixRow] = {}
    assignments = Assignment.objects.filter(task__in=tasks).values_list(
        "pk",
        "task_id",
        "state",
        "organisation_id",
        "organisation__path",
        "organisation__name",
        "assignee_id",
        "assignee__name",
        "assignee__username",
    )
    for pk, task_id, state, org_id, path, org_name, person_id, name, username in assignments:
        if org_id is not None:
            key, label = (0, path, org_id), org_name
        else:
            key, label = (1, name, person_id), name or username
        row = rows.setdefault(key, MatrixRow(label, [None] * len(tasks)))
        row.cells[column[task_id]] = MatrixCell(pk, state, due[task_id])
    return [rows[key] for key in sorted(rows)]
