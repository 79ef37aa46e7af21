"""Study: plans, materials, study time, reflections, 中心组学习, activities and research reports.

Every record belongs to one organisation node (``organisation``), so who may see it follows
the tree through ``portal.scoping``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Organisation
from portal.uploads import GeneratedPath

USER = settings.AUTH_USER_MODEL


class ReviewStatus(models.TextChoices):
    """The life of anything a member files and an officer reviews."""

    DRAFT = "draft", pgettext_lazy("review status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review status", "Submitted")
    RETURNED = "returned", pgettext_lazy("review status", "Returned")
    APPROVED = "approved", pgettext_lazy("review status", "Approved")


class StudyForm(models.TextChoices):
    """Forms of study (学习形式)."""

    COLLECTIVE = "collective", _("Collective study")
    LECTURE = "lecture", _("Tutorial lecture")
    DISCUSSION = "discussion", _("Exchange and discussion")
    SELF = "self", _("Self-study")


class Topic(models.Model):
    """A study topic (专题), used to tag materials, plans, logs and reflections."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("study topic")
        verbose_name_plural = _("study topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- plans -------------------------------------------------------------------------------


class BranchPlan(models.Model):
    """A branch's 年度学习教育培训计划: filed by the secretary, reviewed by the committee."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="study_plans", verbose_name=_("branch")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    filed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("branch annual study plan")
        verbose_name_plural = _("branch annual study plans")
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="branch_plan_one_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class BranchPlanItem(models.Model):
    """One topic of a branch plan, in a month (1–12) or a quarter (1–4)."""

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    plan = models.ForeignKey(BranchPlan, on_delete=models.CASCADE, related_name="items")
    period_kind = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.MONTH
    )
    period = models.PositiveSmallIntegerField(_("month or quarter"))
    topic = models.CharField(_("topic"), max_length=120)
    form = models.CharField(_("form"), max_length=12, choices=StudyForm.choices)
    materials = models.TextField(_("materials"), blank=True)
    hours = models.DecimalField(_("required hours"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("plan topic")
        verbose_name_plural = _("plan topics")
        ordering = ["period_kind", "period", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__gte=1)
                & (
                    Q(period_kind="month", period__lte=12) | Q(period_kind="quarter", period__lte=4)
                ),
                name="branch_plan_item_period_valid",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="branch_plan_item_hours_pos"),
        ]

    def __str__(self) -> str:
        return self.topic


def like_prefix(path: str) -> str:
    """A LIKE pattern (ESCAPE '\\') for the paths starting with ``path``."""
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def outermost_paths(paths: set[str] | frozenset[str]) -> list[str]:
    """``paths`` without those inside another one of them (their subtrees add nothing)."""
    return sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


class StudyPlanQuerySet(models.QuerySet["StudyPlan"]):
    def visible_to(self, user: Any) -> StudyPlanQuerySet:
        """Plans of the members in the user's sight, and their own: the memberships of
        ``Scope.members_q()`` (a subtree inside another adds nothing and is left out).

        Two forms of the same rows, for the two shapes of scope at province scale:

        * a committee sees most plans: the join user → membership → organisation with a LIKE
          per subtree lets PostgreSQL walk the plans in the list's order and check each;
        * a branch officer sees a few dozen: ``user_id IN (memberships of the subtree UNION
          ALL their own)`` finds them through the membership and plan indexes (0.7 ms where
          the join read all 50,000 plans of the year, 11 ms).
        """
        from portal.scoping import scope_for

        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if scope.user_id is None:
            return self.none()
        subtrees = scope.oversee_paths | scope.manage_paths
        groups = {p for p in subtrees if p in scope.group_paths}
        by_field = [("branch", p) for p in outermost_paths(subtrees - groups)]
        by_field += [("group", p) for p in outermost_paths(groups)]
        if scope.oversee_paths:
            condition = Q(user__membership__user_id=scope.user_id)
            for field, path in by_field:
                condition |= Q(**{f"user__membership__{field}__path__startswith": path})
            return self.filter(condition)
        sql = ["SELECT user_id FROM portal_membership WHERE user_id = %s"]
        params: list[Any] = [scope.user_id]
        for field, path in by_field:
            sql.append(
                # ``field`` is "branch" or "group" (above); the paths are parameters.
                "SELECT m.user_id FROM portal_membership m INNER JOIN portal_organisation o "  # noqa: S608
                f"ON m.{field}_id = o.id WHERE o.path LIKE %s ESCAPE '\\'"
            )
            params.append(like_prefix(path))
        # Fixed SQL fragments only; every value is a parameter.
        return self.filter(user_id__in=RawSQL(" UNION ALL ".join(sql), params))  # noqa: S611

    def for_list(self) -> StudyPlanQuerySet:
        return self.select_related("user", "organisation")


class StudyPlan(models.Model):
    """A member's 个人学习计划 for a year, approved or returned by the branch secretary."""

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="study_plans", verbose_name=_("member")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    goals = models.TextField(_("goals"))
    topics = models.TextField(_("topics"))
    methods = models.TextField(_("methods"), blank=True)
    target_hours = models.PositiveSmallIntegerField(_("target hours"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = StudyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal study plan")
        verbose_name_plural = _("personal study plans")
        ordering = ["-year", "organisation__path", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "year"], name="study_plan_one_a_year"),
            models.CheckConstraint(condition=Q(target_hours__gt=0), name="study_plan_hours_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


# --- materials ---------------------------------------------------------------------------


class MaterialQuerySet(models.QuerySet["Material"]):
    def visible_to(self, user: Any) -> MaterialQuerySet:
        """Materials filed in the user's scope, or anywhere above their own branch."""
        from portal.scoping import scope_for

        scope = scope_for(user)
        condition = scope.organisations_q(prefix="organisation__")
        if scope.own_branch_path:
            ancestors = [
                scope.own_branch_path[:i]
                for i in range(
                    Organisation.steplen, len(scope.own_branch_path) + 1, Organisation.steplen
                )
            ]
            condition |= Q(organisation__path__in=ancestors)
        return self.filter(condition)


class Material(models.Model):
    """A study material: an original document (原文), article, link or book."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Original document")
        ARTICLE = "article", _("Article")
        LINK = "link", _("Link")
        BOOK = "book", _("Book")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author or issuer"), max_length=100, blank=True)
    url = models.URLField(_("link"), blank=True)
    text = models.TextField(
        _("text"), blank=True, help_text=_("The original text; reflections are checked against it.")
    )
    file = models.FileField(_("file"), upload_to=GeneratedPath("learning/materials"), blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="materials", verbose_name=_("topics")
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Requirement(models.TextChoices):
    REQUIRED = "required", _("Required reading")
    ELECTIVE = "elective", _("Elective reading")


class Assignment(models.Model):
    """A material assigned as 必学 or 选学 to an organisation and everything below it."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned to")
    )
    requirement = models.CharField(_("requirement"), max_length=10, choices=Requirement.choices)
    due_on = models.DateField(_("deadline"))
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material assignment")
        verbose_name_plural = _("material assignments")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "organisation"], name="assignment_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} → {self.organisation}"


class MaterialRead(models.Model):
    """A member has read a material."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="material_reads")
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material read")
        verbose_name_plural = _("materials read")
        constraints = [
            models.UniqueConstraint(fields=["material", "user"], name="material_read_once")
        ]

    # --- study time --------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.user_id} · {self.material_id}"


class StudyLogQuerySet(models.QuerySet["StudyLog"]):
    def counted(self) -> StudyLogQuerySet:
        """Logs whose minutes count: not flagged, or flagged and confirmed."""
        return self.filter(status__in=(StudyLog.Status.COUNTED, StudyLog.Status.CONFIRMED))

    def in_year(self, year: int) -> StudyLogQuerySet:
        return self.filter(studied_on__year=year)

    def total_minutes(self) -> int:
        return int(self.aggregate(total=Sum("minutes"))["total"] or 0)


class StudyLog(models.Model):
    """One sitting of study. A log far above the plan's pace waits for the secretary."""

    class Status(models.TextChoices):
        COUNTED = "counted", _("Counted")
        FLAGGED = "flagged", _("Flagged for the secretary")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not accepted")

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="study_logs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    studied_on = models.DateField(_("date"))
    material = models.ForeignKey(
        Material,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logs",
        verbose_name=_("material"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("topic")
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    method = models.CharField(_("method"), max_length=12, choices=StudyForm.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COUNTED
    )
    flag_reason = models.CharField(_("why flagged"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StudyLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("study log")
        verbose_name_plural = _("study logs")
        ordering = ["-studied_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="study_log_minutes_pos"),
        ]
        indexes = [
            models.Index(fields=["user", "studied_on"], name="study_log_user_day"),
            models.Index(fields=["organisation", "studied_on"], name="study_log_org_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.studied_on} {self.minutes}"


# --- activities and 中心组学习 ------------------------------------------------------------


class Activity(models.Model):
    """A 读书会 or 主题教育 activity that members join."""

    class Kind(models.TextChoices):
        READING_CLUB = "reading_club", _("Reading club")
        THEMED_EDUCATION = "themed_education", _("Themed education")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    participants: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, blank=True, related_name="study_activities"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("study activity")
        verbose_name_plural = _("study activities")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CentreGroupTask(models.Model):
    """One of a committee 中心组's annual 专题学习任务."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("centre group study task")
        verbose_name_plural = _("centre group study tasks")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return self.topic


class CentreGroupSession(models.Model):
    """A 中心组学习 session, with its speakers' texts and attendance."""

    class Kind(models.TextChoices):
        KEYNOTE = "keynote", _("Keynote speeches")
        DISCUSSION = "discussion", _("Exchange and discussion")
        LECTURE = "lecture", _("Tutorial lecture")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(
        CentreGroupTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    attendees: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, blank=True, related_name="centre_group_sessions"
    )

    class Meta:
        verbose_name = _("centre group session")
        verbose_name_plural = _("centre group sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.topic


class CentreGroupSpeech(models.Model):
    session = models.ForeignKey(
        CentreGroupSession, on_delete=models.CASCADE, related_name="speeches"
    )
    speaker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("keynote speech")
        verbose_name_plural = _("keynote speeches")
        ordering = ["pk"]

    # --- reflections -------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.speaker_id} · {self.session_id}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", pgettext_lazy("grade", "Excellent")
    GOOD = "good", pgettext_lazy("grade", "Good")
    PASS = "pass", pgettext_lazy("grade", "Pass")
    FAIL = "fail", pgettext_lazy("grade", "Fail")


class ReflectionQuerySet(models.QuerySet["Reflection"]):
    def visible_to(self, user: Any) -> ReflectionQuerySet:
        """The author's own, those in a subtree the user oversees or manages, and exemplars
        of the user's own branch."""
        from portal.scoping import scope_for

        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        paths = outermost_paths(scope.oversee_paths | scope.manage_paths)
        if scope.oversee_paths:
            # A committee sees most of the tree: ``organisation_id IN (SELECT id …)`` is a
            # hashed lookup per row, so its pages walk ``reflection_created`` newest first
            # and stop after a page (3 ms; 2.6 s when each of 250,000 rows was searched
            # for in an array of the province's 4,021 organisations).
            subtrees = Q(pk__in=[])
            for path in paths:
                subtrees |= Q(path__startswith=path)
            condition = Q(author_id=scope.user_id)
            condition |= Q(organisation_id__in=Organisation.objects.filter(subtrees).values("id"))
            if scope.own_branch_id:
                condition |= Q(organisation_id=scope.own_branch_id, is_exemplar=True)
            return self.filter(condition)
        # Anyone else sees a few hundred: ``pk IN (own UNION ALL those of each managed
        # subtree UNION ALL the branch's exemplars)``, each part an index scan that
        # PostgreSQL estimates well (an OR of them was estimated at ten times the rows,
        # and the page walked the newest-first index through 250,000 rows: 33 ms, now 1).
        # (Raw SQL: building the union of querysets cost a millisecond a page.)
        sql = ["SELECT id FROM learning_reflection WHERE author_id = %s"]
        params: list[Any] = [scope.user_id]
        for path in paths:
            sql.append(
                "SELECT r.id FROM learning_reflection r INNER JOIN portal_organisation o "
                "ON r.organisation_id = o.id WHERE o.path LIKE %s ESCAPE '\\'"
            )
            params.append(like_prefix(path))
        if scope.own_branch_id:
            sql.append(
                "SELECT id FROM learning_reflection WHERE organisation_id = %s AND is_exemplar"
            )
            params.append(scope.own_branch_id)
        # Fixed SQL fragments only; every value is a parameter.
        return self.filter(pk__in=RawSQL(" UNION ALL ".join(sql), params))  # noqa: S611

    def for_list(self) -> ReflectionQuerySet:
        return self.select_related("author", "organisation", "material", "topic")


class Reflection(models.Model):
    """A 学习体会: submitted → reviewed with a comment and a grade → accepted or returned."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("reflection", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("reflection", "Submitted")
        RETURNED = "returned", pgettext_lazy("reflection", "Returned for rewriting")
        ACCEPTED = "accepted", pgettext_lazy("reflection", "Accepted")

    author = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("author")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Sanitised HTML."))
    body_text = models.TextField(blank=True, editable=False)
    file = models.FileField(
        _("uploaded file"), upload_to=GeneratedPath("learning/reflections"), blank=True
    )
    material = models.ForeignKey(
        Material,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("material"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("topic")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("activity"),
    )
    # The meetings app is built separately: a plain id, resolved through its public API.
    meeting_id = models.PositiveIntegerField(_("meeting"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_exemplar = models.BooleanField(_("exemplar"), default=False)
    originality_flagged = models.BooleanField(_("possible copying"), default=False)
    originality_score = models.FloatField(_("highest overlap"), default=0)
    originality_matches = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("study reflection")
        verbose_name_plural = _("study reflections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_exemplar=False) | Q(status="accepted"),
                name="reflection_exemplar_is_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | ~Q(grade=""),
                name="reflection_accepted_has_grade",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="reflection_org_status"),
            models.Index(fields=["author", "submitted_at"], name="reflection_author_sub"),
            # Province scale: what waits for review (a few thousand of a million) first.
            models.Index(fields=["status", "organisation"], name="reflection_status_org"),
            # A committee's pages of reflections, newest first (ReflectionQuerySet.visible_to).
            models.Index(fields=["created_at", "id"], name="reflection_created"),
            # What waits for review, counted on officers' home pages: an index-only scan
            # of the few thousand submitted rows (selectors.waiting_reflection_count).
            models.Index(
                fields=["organisation", "author"],
                include=["is_exemplar"],
                condition=Q(status="submitted"),
                name="reflection_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReflectionVersion(models.Model):
    """An earlier version of a reflection, kept when it is rewritten after being returned."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    file = models.CharField(max_length=255, blank=True)
    grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "number"], name="reflection_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class ReflectionBand(models.Model):
    """One LSH band key of a submitted reflection's MinHash signature.

    Looking up candidates is one indexed ``key IN (…)`` query, whatever the number of
    reflections stored, and works from any process.
    """

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="reflection_band_key")]

    def __str__(self) -> str:
        return str(self.key)


class Comment(models.Model):
    """A comment on a reflection or on a material: exactly one of the two."""

    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reflection__isnull=False) & Q(material__isnull=True))
                | (Q(reflection__isnull=True) & Q(material__isnull=False)),
                name="comment_on_one_thing",
            )
        ]

    # --- research reports --------------------------------------------------------------------

    def __str__(self) -> str:
        return self.text[:40]


class ResearchReport(models.Model):
    """A 调研报告: submitted, reviewed by the committee, adopted, with outcomes later."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
        RETURNED = "returned", pgettext_lazy("report", "Returned")
        REVIEWED = "reviewed", pgettext_lazy("report", "Reviewed")
        ADOPTED = "adopted", pgettext_lazy("report", "Adopted")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    authors: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, related_name="research_reports", verbose_name=_("authors")
    )
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=GeneratedPath("learning/reports"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    adoption_decision = models.CharField(_("in decision"), max_length=300, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(adopted_on__isnull=False),
                name="report_adopted_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportOutcome(models.Model):
    """What came of an adopted report (成果转化), recorded later."""

    report = models.ForeignKey(ResearchReport, on_delete=models.CASCADE, related_name="outcomes")
    recorded_on = models.DateField(_("date"), default=datetime.date.today)
    description = models.TextField(_("outcome"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("report outcome")
        verbose_name_plural = _("report outcomes")
        ordering = ["recorded_on", "pk"]

    def __str__(self) -> str:
        return self.description[:40]


# Plans, logs, reflections and reports are reviewed and graded: who changed them, when,
# and what is audited (SECURITY.md).
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(StudyPlan)
auditlog.register(BranchPlan)
auditlog.register(StudyLog)
auditlog.register(Reflection, exclude_fields=["body"])
auditlog.register(ResearchReport)
auditlog.register(ReportOutcome)
