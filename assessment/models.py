"""考学 (question bank, contests, attempts) and 述学评学 (reports rated against rubrics).

A question's text never changes under an attempt: every edit writes a new
:class:`QuestionVersion` and an :class:`AttemptItem` points at the version it showed.
An attempt stores its draw (questions, their order and each question's option order) and
its deadline when it starts; the server alone decides whether time is up.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Organisation

LETTERS = "ABCDEF"


class Difficulty(models.IntegerChoices):
    EASY = 1, pgettext_lazy("difficulty", "Easy")
    MEDIUM = 2, pgettext_lazy("difficulty", "Medium")
    HARD = 3, pgettext_lazy("difficulty", "Hard")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL = "fill", _("Fill in the blank")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


# --- question bank ---------------------------------------------------------------------


class QuestionQuerySet(models.QuerySet["Question"]):
    def in_bank_of(self, organisation: Organisation) -> QuestionQuerySet:
        """Questions a contest of ``organisation`` may draw: its own and its ancestors' banks."""
        return self.filter(
            organisation__path__in=[*organisation.ancestor_paths(), organisation.path],
            is_active=True,
        )

    def for_list(self) -> QuestionQuerySet:
        return self.select_related("current", "organisation")


class Question(models.Model):
    """A question's identity in a bank; its wording lives in versions."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessment_questions",
        verbose_name=_("question bank of"),
    )
    topic = models.CharField(pgettext_lazy("question", "topic"), max_length=100)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    is_active = models.BooleanField(_("in use"), default=True)
    current = models.ForeignKey(
        "QuestionVersion",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("current version"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["topic", "difficulty", "pk"]
        indexes = [
            models.Index(fields=["organisation", "is_active", "topic", "difficulty"], name="q_draw")
        ]

    def __str__(self) -> str:
        return self.current.stem[:40] if self.current else f"#{self.pk}"


class QuestionVersion(models.Model):
    """The wording of a question at one time; never edited once written."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="versions", verbose_name=_("question")
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("question type"), max_length=20, choices=QuestionKind.choices)
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    # Choice questions: the correct letters in order ("A", "AC"); true/false: "A" (正确) or "B".
    answer = models.CharField(_("answer"), max_length=6, blank=True)
    # Fill-in questions: every accepted answer.
    accepted_answers = models.JSONField(_("accepted answers"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="qversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.stem[:40]} (v{self.number})"

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    def lettered_options(self) -> list[tuple[str, str]]:
        return list(zip(LETTERS, self.options, strict=False))

    def answer_display(self) -> str:
        if self.kind == QuestionKind.FILL:
            return " / ".join(self.accepted_answers)
        if self.kind == QuestionKind.TRUE_FALSE:
            return str(_("True")) if self.answer == "A" else str(_("False"))
        return self.answer


# --- contests and attempts -------------------------------------------------------------


class ContestQuerySet(models.QuerySet["Contest"]):
    def open_at(self, moment: Any = None) -> ContestQuerySet:
        now = moment or timezone.now()
        return self.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)

    def for_participant(self, branch_path: str) -> ContestQuerySet:
        """Published contests whose scope (an organisation subtree) covers ``branch_path``."""
        steplen = Organisation.steplen
        paths = [branch_path[: steplen * i] for i in range(1, len(branch_path) // steplen + 1)]
        return self.filter(is_published=True, organisation__path__in=paths)


class Contest(models.Model):
    """A knowledge contest (网上竞赛) or test for an organisation's whole subtree."""

    class Counting(models.TextChoices):
        BEST = "best", _("Best attempt")
        LAST = "last", _("Last attempt")

    class Reveal(models.TextChoices):
        AFTER_SUBMIT = "after_submit", _("When the attempt is submitted")
        AFTER_CLOSE = "after_close", _("When the contest closes")
        NEVER = "never", _("Never")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessment_contests",
        verbose_name=_("for the members of"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=30)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    counting = models.CharField(
        _("attempt that counts"), max_length=10, choices=Counting.choices, default=Counting.BEST
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    reveal = models.CharField(
        _("answers revealed"), max_length=20, choices=Reveal.choices, default=Reveal.AFTER_CLOSE
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="contest_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__gte=1), name="contest_time_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__gte=1), name="contest_attempts_positive"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="contest_pass_mark_le_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, moment: Any = None) -> bool:
        now = moment or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    def has_closed(self, moment: Any = None) -> bool:
        return (moment or timezone.now()) >= self.closes_at


class DrawRule(models.Model):
    """Draw ``count`` questions at random of a topic and difficulty (blank: any)."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="rules", verbose_name=_("contest")
    )
    topic = models.CharField(pgettext_lazy("question", "topic"), max_length=100, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, null=True, blank=True
    )
    count = models.PositiveSmallIntegerField(_("number of questions"))
    points = models.PositiveSmallIntegerField(_("points per question"), default=1)

    class Meta:
        verbose_name = _("draw rule")
        verbose_name_plural = _("draw rules")
        ordering = ["contest", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="drawrule_count_positive"),
            models.CheckConstraint(condition=Q(points__gte=1), name="drawrule_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.topic or '*'} / {self.get_difficulty_display() or '*'} × {self.count}"


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def counted(self) -> AttemptQuerySet:
        """The attempt of each member that counts for the contest (best or last)."""
        return self.filter(counts=True)

    def finished(self) -> AttemptQuerySet:
        return self.exclude(status=Attempt.Status.IN_PROGRESS)


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        TIMED_OUT = "timed_out", _("Closed at the time limit")

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("contest")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessment_attempts",
        verbose_name=_("member"),
    )
    # The member's branch when the attempt started, so league tables keep their history.
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, default=0)
    max_score = models.DecimalField(_("full marks"), max_digits=7, decimal_places=2, default=0)
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    counts = models.BooleanField(_("counts"), default=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["contest", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user", "number"], name="attempt_unique_number"
            ),
            models.UniqueConstraint(
                fields=["contest", "user"],
                condition=Q(status="in_progress"),
                name="attempt_one_in_progress",
            ),
            models.UniqueConstraint(
                fields=["contest", "user"], condition=Q(counts=True), name="attempt_one_counts"
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "counts", "percent"], name="attempt_league"),
            models.Index(fields=["contest", "branch", "counts"], name="attempt_branch"),
            # The leagues' and item analysis's cache fingerprint (count, latest finish and
            # sum of scores of the counting attempts) reads this index alone.
            models.Index(
                fields=["contest", "counts", "finished_at", "percent"], name="attempt_counted"
            ),
            models.Index(fields=["status", "deadline"], name="attempt_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.contest} · {self.user} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    def seconds_left(self, moment: Any = None) -> int:
        now = moment or timezone.now()
        return max(0, int((self.deadline - now).total_seconds()))

    @property
    def duration_seconds(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((min(self.finished_at, self.deadline) - self.started_at).total_seconds())


class AttemptItem(models.Model):
    """One drawn question of an attempt: the version shown, its place, and the answer given."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="items", verbose_name=_("attempt")
    )
    position = models.PositiveSmallIntegerField(_("number"))
    version = models.ForeignKey(
        QuestionVersion,
        on_delete=models.PROTECT,
        related_name="attempt_items",
        verbose_name=_("question version"),
    )
    # Original option letters in the order shown, e.g. "CADB"; the answer is stored in
    # original letters so marking and item analysis never depend on the shuffle.
    option_order = models.CharField(_("option order"), max_length=6, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    response = models.CharField(_("answer given"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attemptitem_unique_pos"),
        ]
        indexes = [models.Index(fields=["version"], name="attemptitem_version")]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


# --- 述学评学 ----------------------------------------------------------------------------


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    POOR = "poor", _("Poor")


class Rubric(models.Model):
    """Criteria with levels and points; frozen once a rating uses it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessment_rubrics",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("criterion"), max_length=200)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="criterion_unique_pos"),
        ]

    def __str__(self) -> str:
        return self.name


class RubricLevel(models.Model):
    criterion = models.ForeignKey(
        RubricCriterion,
        on_delete=models.CASCADE,
        related_name="levels",
        verbose_name=_("criterion"),
    )
    name = models.CharField(_("level"), max_length=50)
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["criterion", "-points"]

    def __str__(self) -> str:
        return f"{self.name} ({self.points})"


class ShuxuePeriod(models.Model):
    """A 述学评学 round for an organisation's subtree, with the committee's grade thresholds."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessment_shuxue_periods",
        verbose_name=_("for the members of"),
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, related_name="periods", verbose_name=_("rubric")
    )
    excellent_from = models.PositiveSmallIntegerField(_("优秀 from (%)"), default=90)
    good_from = models.PositiveSmallIntegerField(_("良好 from (%)"), default=80)
    pass_from = models.PositiveSmallIntegerField(_("合格 from (%)"), default=60)
    anonymous_peers = models.BooleanField(_("peer ratings are anonymous"), default=True)

    class Meta:
        verbose_name = _("述学 period")
        verbose_name_plural = _("述学 periods")
        ordering = ["-year", "-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="shuxue_period_dates"
            ),
            models.CheckConstraint(
                condition=Q(excellent_from__lte=100)
                & Q(excellent_from__gt=F("good_from"))
                & Q(good_from__gt=F("pass_from")),
                name="shuxue_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ShuxueReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")

    period = models.ForeignKey(
        ShuxuePeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="shuxue_reports",
        verbose_name=_("member"),
    )
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("report"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    rating_count = models.PositiveSmallIntegerField(_("ratings"), default=0)

    class Meta:
        verbose_name = _("述学 report")
        verbose_name_plural = _("述学 reports")
        ordering = ["period", "branch__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "user"], name="shuxue_one_report"),
        ]

    def __str__(self) -> str:
        return self.title


class ShuxueRating(models.Model):
    class Role(models.TextChoices):
        SELF = "self", _("Self")
        PEER = "peer", _("Peer")
        BRANCH = "branch", _("Branch")
        COMMITTEE = "committee", _("Committee")

    report = models.ForeignKey(
        ShuxueReport, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("report")
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rater"),
    )
    role = models.CharField(_("rater role"), max_length=20, choices=Role.choices)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    total = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["report", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "rater"], name="shuxue_one_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_role_display()}"


class ShuxueRatingScore(models.Model):
    rating = models.ForeignKey(
        ShuxueRating, on_delete=models.CASCADE, related_name="scores", verbose_name=_("rating")
    )
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    level = models.ForeignKey(
        RubricLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("level")
    )
    points = models.PositiveSmallIntegerField(_("points"))
    remark = models.CharField(_("remark"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["rating", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="shuxue_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


# Reviews and decisions are audited: who changed them, when, and what (SECURITY.md).
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Contest)
auditlog.register(ShuxueReport)
auditlog.register(ShuxueRating)
