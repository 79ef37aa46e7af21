"""Page reads for the learning app, and the public reads other apps use.

Public for other apps:

* :func:`archive_for` — a member's 学习档案 for a year (the lead adds meetings attended);
* :func:`branch_study_figures` — per branch and period, the study figures a scorecard needs,
  each aggregated in the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from learning import counting
from learning.models import (
    Activity,
    Assignment,
    BranchPlan,
    CentreGroupSession,
    Material,
    MaterialRead,
    Reflection,
    ResearchReport,
    ReviewStatus,
    StudyForm,
    StudyLog,
    StudyPlan,
    outermost_paths,
)
from portal.models import Membership, Organisation, User
from portal.scoping import scope_for

COUNTED = (StudyLog.Status.COUNTED, StudyLog.Status.CONFIRMED)

# What each page's cached body reads beyond the tree, memberships, posts and names
# (portal/fragments.py); every table here is stamped (LearningConfig.ready).
PLAN_LIST_TABLES = ("learning_studyplan", "learning_studylog")
REFLECTION_LIST_TABLES = ("learning_reflection",)
MATERIAL_LIST_TABLES = ("learning_material", "learning_material_topics", "learning_topic")
# The study page: plan, minutes, reflections, assigned materials with read marks, the log
# form's materials and topics; for officers the plans, reflections and logs waiting.
HOME_TABLES = (
    "learning_studyplan",
    "learning_studylog",
    "learning_reflection",
    "learning_assignment",
    "learning_material",
    "learning_materialread",
    "learning_topic",
)
# The archive without its contests (read on every view: attempts are written by every
# answer saved, so they are not stamped); the 述学 tables are stamped by AssessmentConfig.
ARCHIVE_TABLES = (
    "learning_studyplan",
    "learning_studylog",
    "learning_topic",
    "learning_materialread",
    "learning_material",
    "learning_reflection",
    "learning_researchreport",
    "learning_researchreport_authors",
    "learning_activity",
    "learning_activity_participants",
    "meetings_meeting",
    "meetings_attendance",
    "assessment_shuxuereport",
    "assessment_shuxueperiod",
)
# The learning tables above, for LearningConfig.ready (the meetings and assessment apps
# stamp their own).
STAMPED = tuple(
    sorted(
        table
        for table in {
            *PLAN_LIST_TABLES,
            *REFLECTION_LIST_TABLES,
            *MATERIAL_LIST_TABLES,
            *HOME_TABLES,
            *ARCHIVE_TABLES,
        }
        if table.startswith("learning_")
    )
)


def _ancestor_paths(path: str) -> list[str]:
    step = Organisation.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def counted_minutes_subquery(year: int | None = None, user_ref: str = "user_id") -> Subquery:
    logs = StudyLog.objects.filter(user_id=OuterRef(user_ref), status__in=COUNTED)
    if year is not None:
        logs = logs.filter(studied_on__year=year)
    return Subquery(
        logs.order_by().values("user_id").annotate(t=Sum("minutes")).values("t")[:1],
        output_field=IntegerField(),
    )


# --- a member's own study --------------------------------------------------------------


def assignments_for(user: Any) -> QuerySet[Assignment]:
    """Materials assigned to the user's branch, group or anything above, with read status."""
    scope = scope_for(user)
    paths = _ancestor_paths(scope.own_branch_path) if scope.own_branch_path else []
    if scope.own_group_path:
        paths.append(scope.own_group_path)
    return (
        Assignment.objects.filter(organisation__path__in=paths)
        .select_related("material", "organisation")
        .annotate(
            is_read=Exists(
                MaterialRead.objects.filter(
                    material_id=OuterRef("material_id"), user_id=scope.user_id or 0
                )
            )
        )
        .order_by("is_read", "due_on", "pk")
    )


@dataclass
class MyStudy:
    year: int
    plan: StudyPlan | None
    counted_minutes: int
    flagged_minutes: int
    reflections: list[Reflection]
    assignments: list[Assignment]
    user: Any = None

    @cached_property
    def logs(self) -> list[StudyLog]:
        """The latest ten logs, read when asked for (the study page does not show them)."""
        return list(
            StudyLog.objects.filter(user=self.user)
            .select_related("material", "topic")
            .order_by("-studied_on", "-pk")[:10]
        )

    @property
    def target_minutes(self) -> int:
        return self.plan.target_hours * 60 if self.plan else 0

    @property
    def progress_percent(self) -> int:
        if not self.target_minutes:
            return 0
        return min(100, round(100 * self.counted_minutes / self.target_minutes))

    @property
    def counted_hours(self) -> float:
        return round(self.counted_minutes / 60, 1)


def my_study(user: Any, year: int) -> MyStudy:
    """The member's study page: four queries whatever the number of records."""
    # One plan a year: no ordering (the default one joins the member and the branch).
    plan = StudyPlan.objects.filter(user=user, year=year).order_by("pk").first()
    totals = StudyLog.objects.filter(user=user, studied_on__year=year).aggregate(
        counted=Coalesce(Sum("minutes", filter=Q(status__in=COUNTED)), 0),
        flagged=Coalesce(Sum("minutes", filter=Q(status=StudyLog.Status.FLAGGED)), 0),
    )
    reflections = list(
        Reflection.objects.filter(author=user)
        .only("title", "status", "grade", "created_at")
        .order_by("-created_at", "-pk")[:10]
    )
    assignments = list(assignments_for(user)[:20])
    return MyStudy(
        year=year,
        plan=plan,
        counted_minutes=totals["counted"],
        flagged_minutes=totals["flagged"],
        reflections=reflections,
        assignments=assignments,
        user=user,
    )


# --- lists for officers ------------------------------------------------------------------


def study_plan_list(user: Any, year: int) -> QuerySet[StudyPlan]:
    """Plans with member, branch and counted minutes: the columns of the list and its export
    (the plans' texts and the accounts' other fields stay in the database)."""
    return (
        StudyPlan.objects.visible_to(user)
        .filter(year=year)
        .for_list()
        .only(
            "user_id",
            "organisation_id",
            "year",
            "target_hours",
            "status",
            "user__name",
            "organisation__name",
        )
        .annotate(counted=Coalesce(counted_minutes_subquery(year), Value(0)))
    )


def plan_count(user: Any, plans: QuerySet[StudyPlan], *, key: str) -> int:
    """``plans.count()`` for plans read through ``study_plan_list(user, …)``.

    ``key`` names everything else the rows depend on (year, filters). A committee's (or a
    superuser's) count reads tens of thousands of plans: it is kept under the database's
    change stamps of plans, memberships and the tree (``learning/counting.py``). A branch
    officer's reads a few dozen and is counted each time.
    """
    scope = scope_for(user)
    if not counting.is_wide(scope):
        return plans.count()
    return counting.cached_count(
        plans, tables=counting.PLANS, key=f"plans|{key}|{scope.cache_key()}"
    )


def flagged_logs(user: Any) -> QuerySet[StudyLog]:
    scope = scope_for(user)
    return (
        StudyLog.objects.filter(scope.organisations_q(manage=True, prefix="organisation__"))
        .filter(status=StudyLog.Status.FLAGGED)
        .select_related("user", "material")
        .order_by("studied_on", "pk")
    )


def reflection_list(user: Any) -> QuerySet[Reflection]:
    return Reflection.objects.visible_to(user).for_list().order_by("-created_at", "-pk")


def waiting_reflection_count(user: Any, *, own: bool) -> int:
    """``reflection_list(user).filter(status=SUBMITTED).count()``, without the user's own
    unless ``own``: the same rows, counted from the partial index of submitted reflections.

    ``reflection_list`` asks for ``organisation_id = ANY(ARRAY(…))`` so that its pages
    are bitmap index scans; for a committee the array holds the 4,021 organisations of the
    province and PostgreSQL searched it linearly for each of the 5,000 waiting rows (45 ms).
    Here the subtrees are ``IN (SELECT id …)``, a hashed lookup (under 2 ms).
    """
    scope = scope_for(user)
    waiting = Reflection.objects.filter(status=Reflection.Status.SUBMITTED)
    if scope.is_superuser:
        return (waiting if own else waiting.exclude(author_id=scope.user_id)).count()
    condition = Q(author_id=scope.user_id) if own else Q(pk__in=[])
    paths = outermost_paths(scope.oversee_paths | scope.manage_paths)
    if paths:
        subtrees = Q(path__startswith=paths[0])
        for path in paths[1:]:
            subtrees |= Q(path__startswith=path)
        condition |= Q(organisation_id__in=Organisation.objects.filter(subtrees).values("id"))
    if scope.own_branch_id:
        condition |= Q(organisation_id=scope.own_branch_id, is_exemplar=True)
    if not own:
        waiting = waiting.exclude(author_id=scope.user_id)
    return waiting.filter(condition).count()


def exemplars(user: Any) -> QuerySet[Reflection]:
    return reflection_list(user).filter(is_exemplar=True)


def material_list(user: Any) -> QuerySet[Material]:
    return (
        Material.objects.visible_to(user)
        .select_related("organisation")
        .prefetch_related("topics")
        .order_by("-created_at", "-pk")
    )


def read_status(material: Material, user: Any) -> QuerySet[Membership]:
    """Every member in scope that ``material`` is assigned to, with whether they read it."""
    scope = scope_for(user)
    paths = list(material.assignments.values_list("organisation__path", flat=True))
    if not paths:
        return Membership.objects.none()
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(branch__path__startswith=path) | Q(group__path__startswith=path)
    return (
        Membership.objects.filter(within)
        .filter(scope.members_q())
        .select_related("user", "branch")
        .annotate(
            has_read=Exists(
                MaterialRead.objects.filter(material_id=material.pk, user_id=OuterRef("user_id"))
            )
        )
        .order_by("has_read", "branch__path", "user__name")
    )


def branch_plan_list(user: Any) -> QuerySet[BranchPlan]:
    scope = scope_for(user)
    return (
        BranchPlan.objects.filter(scope.organisations_q(prefix="organisation__"))
        .select_related("organisation", "filed_by")
        .annotate(
            n_items=Count("items", distinct=True),
            hours=Coalesce(Sum("items__hours"), Value(0), output_field=IntegerField()),
        )
        .order_by("-year", "organisation__path")
    )


def research_report_list(user: Any) -> QuerySet[ResearchReport]:
    scope = scope_for(user)
    return (
        ResearchReport.objects.filter(
            scope.organisations_q(prefix="organisation__") | Q(created_by_id=scope.user_id)
        )
        .select_related("organisation")
        .prefetch_related("authors")
        .order_by("-created_at", "-pk")
    )


def activity_list(user: Any) -> QuerySet[Activity]:
    scope = scope_for(user)
    condition = scope.organisations_q(prefix="organisation__")
    if scope.own_branch_path:
        condition |= Q(organisation__path__in=_ancestor_paths(scope.own_branch_path))
    return (
        Activity.objects.filter(condition)
        .select_related("organisation")
        .annotate(
            n_participants=Count("participants", distinct=True),
            joined=Exists(
                Activity.participants.through.objects.filter(
                    activity_id=OuterRef("pk"), user_id=scope.user_id
                )
            ),
        )
        .order_by("-starts_on", "-pk")
    )


def centre_group_sessions(user: Any) -> QuerySet[CentreGroupSession]:
    scope = scope_for(user)
    if scope.is_superuser:
        condition = Q()
    else:
        condition = Q(pk__in=[])
        for path in sorted(scope.oversee_paths):
            condition |= Q(organisation__path__startswith=path)
    return (
        CentreGroupSession.objects.filter(condition)
        .select_related("organisation", "task")
        .annotate(
            n_attendees=Count("attendees", distinct=True),
            n_speeches=Count("speeches", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


# --- the archive -------------------------------------------------------------------------


@dataclass
class Archive:
    """A member's 学习档案 for a year, with the meetings attended, the contests taken and
    the 述学 results read from the meetings and assessment apps' public selectors."""

    member: User
    membership: Membership
    year: int
    plan: StudyPlan | None
    total_minutes: int
    minutes_by_method: list[tuple[str, int]]
    minutes_by_topic: list[tuple[str, int]]
    materials_read: list[MaterialRead]
    reflections: list[Reflection]
    reports: list[ResearchReport]
    activities: list[Activity]
    meetings: list[Any] = field(default_factory=list)
    contests: list[Any] = field(default_factory=list)
    shuxue: list[Any] = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        return round(self.total_minutes / 60, 1)


def archive_for(
    user: User, year: int, *, membership: Membership | None = None, contests: bool = True
) -> Archive:
    """Everything of ``user``'s study in ``year``: nine queries whatever the record count.

    Without ``contests`` the contests taken are left out (the archive page reads them on
    every view apart from the rest, which it keeps in the cache: :func:`archive_contests`).
    """
    from assessment.selectors import contest_results_for, shuxue_results_for
    from meetings.selectors import attended_meetings

    if membership is None:
        membership = Membership.objects.for_list().get(user=user)
    # One plan a year: no ordering (the default one joins the member and the branch).
    plan = (
        StudyPlan.objects.filter(user=user, year=year)
        .select_related("reviewed_by")
        .order_by("pk")
        .first()
    )
    counted = StudyLog.objects.filter(user=user, studied_on__year=year, status__in=COUNTED)
    # Minutes by method and by topic from one grouped query.
    method_minutes: dict[str, int] = {}
    topic_minutes: dict[str | None, int] = {}
    for row in counted.values("method", "topic__name").annotate(t=Sum("minutes")).order_by():
        method_minutes[row["method"]] = method_minutes.get(row["method"], 0) + row["t"]
        topic_minutes[row["topic__name"]] = topic_minutes.get(row["topic__name"], 0) + row["t"]
    methods = dict(StudyForm.choices)
    by_method = [
        (str(methods.get(method, method)), minutes)
        for method, minutes in sorted(method_minutes.items())
    ]
    by_topic = [
        (name or "—", minutes)
        for name, minutes in sorted(topic_minutes.items(), key=lambda item: -item[1])
    ]
    total = sum(method_minutes.values())
    materials_read = list(
        MaterialRead.objects.filter(user=user, read_at__year=year)
        .select_related("material")
        .order_by("read_at")
    )
    reflections = list(
        Reflection.objects.filter(author=user, submitted_at__year=year).order_by("submitted_at")
    )
    reports = list(
        ResearchReport.objects.filter(authors=user, created_at__year=year).order_by("created_at")
    )
    activities = list(
        Activity.objects.filter(participants=user, starts_on__year=year).order_by("starts_on")
    )
    return Archive(
        member=user,
        membership=membership,
        year=year,
        plan=plan,
        total_minutes=total,
        minutes_by_method=by_method,
        minutes_by_topic=by_topic,
        materials_read=materials_read,
        reflections=reflections,
        reports=reports,
        activities=activities,
        meetings=list(
            attended_meetings(user, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        ),
        contests=list(contest_results_for(user, year)) if contests else [],
        shuxue=shuxue_results_for(user, year),
    )


def archive_contests(user_id: int, year: int) -> list[Any]:
    """The contests of a member's archive for ``year`` with the fields the page shows."""
    from assessment.selectors import contest_results_for

    return list(contest_results_for(user_id, year).only("percent", "passed", "contest__title"))


# --- figures for scorecards --------------------------------------------------------------


@dataclass
class BranchStudyFigures:
    plan_status: str = ""  # the branch annual plan's ReviewStatus, "" if none filed
    personal_plans_filed: int = 0
    personal_plans_approved: int = 0
    study_minutes: int = 0
    reflections_submitted: int = 0
    reflections_graded: int = 0
    reports_adopted: int = 0

    @property
    def plan_filed(self) -> bool:
        return self.plan_status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)

    @property
    def plan_approved(self) -> bool:
        return self.plan_status == ReviewStatus.APPROVED


def branch_study_figures(
    branch_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, BranchStudyFigures]:
    """Per branch, for the period ``start``–``end`` (inclusive): five grouped queries.

    Plans are those of ``start``'s year; reports count by adoption date.
    """
    figures = {pk: BranchStudyFigures() for pk in branch_ids}
    year = start.year
    for branch_id, status in BranchPlan.objects.filter(
        organisation_id__in=branch_ids, year=year
    ).values_list("organisation_id", "status"):
        figures[branch_id].plan_status = status
    for row in (
        StudyPlan.objects.filter(organisation_id__in=branch_ids, year=year)
        .exclude(status=ReviewStatus.DRAFT)
        .values("organisation_id")
        .annotate(filed=Count("pk"), approved=Count("pk", filter=Q(status=ReviewStatus.APPROVED)))
    ):
        figures[row["organisation_id"]].personal_plans_filed = row["filed"]
        figures[row["organisation_id"]].personal_plans_approved = row["approved"]
    for row in (
        StudyLog.objects.filter(
            organisation_id__in=branch_ids, studied_on__range=(start, end), status__in=COUNTED
        )
        .values("organisation_id")
        .annotate(t=Sum("minutes"))
    ):
        figures[row["organisation_id"]].study_minutes = row["t"]
    for row in (
        Reflection.objects.filter(
            organisation_id__in=branch_ids,
            submitted_at__date__range=(start, end),
        )
        .values("organisation_id")
        .annotate(n=Count("pk"), graded=Count("pk", filter=~Q(grade="")))
    ):
        figures[row["organisation_id"]].reflections_submitted = row["n"]
        figures[row["organisation_id"]].reflections_graded = row["graded"]
    for row in (
        ResearchReport.objects.filter(
            organisation_id__in=branch_ids,
            status=ResearchReport.Status.ADOPTED,
            adopted_on__range=(start, end),
        )
        .values("organisation_id")
        .annotate(n=Count("pk"))
    ):
        figures[row["organisation_id"]].reports_adopted = row["n"]
    return figures
