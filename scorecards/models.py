"""考学评学 scorecards: indicators, inspections, innovations, scorecards, builds, reports and
commendations (DESIGN.md §2, 考学 / 评学 / 奖学)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Organisation
from scorecards.quarters import Quarter


class Dimension(models.TextChoices):
    CONDITIONS = "conditions", _("Learning conditions")
    PROCESS = "process", _("Learning process")
    RESULTS = "results", _("Learning results")
    INNOVATION = "innovation", _("Learning innovation")


DIMENSION_FIELDS = {
    Dimension.CONDITIONS: "conditions_points",
    Dimension.PROCESS: "process_points",
    Dimension.RESULTS: "results_points",
    Dimension.INNOVATION: "innovation_points",
}


class QuarterFields(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        abstract = True

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


# --- indicators ------------------------------------------------------------------------------


class IndicatorSetQuerySet(models.QuerySet["IndicatorSet"]):
    def in_force(self, committee: Organisation, period: Quarter) -> IndicatorSet | None:
        """The set a committee scores ``period`` by: its own newest version that started on
        or before the quarter, else the nearest ancestor committee's."""
        paths = [*committee.ancestor_paths(), committee.path]
        return (
            self.filter(committee__path__in=paths)
            .filter(Q(year__lt=period.year) | Q(year=period.year, quarter__lte=period.quarter))
            .select_related("committee")
            .order_by("-committee__depth", "-year", "-quarter", "-version")
            .first()
        )


class IndicatorSet(QuarterFields):
    """The rules a committee scores by, in force from (year, quarter) until a newer version.

    A set that has scored a scorecard is frozen: editing it copies it to a new version,
    so a past quarter keeps the rules it was scored by.
    """

    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="indicator_sets",
        verbose_name=_("committee"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    is_frozen = models.BooleanField(
        _("in use"),
        default=False,
        help_text=_("Scorecards were scored by this set; editing it makes a new version."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = IndicatorSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["committee__path", "-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "quarter", "version"], name="indicator_set_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period.label} v{self.version})"

    @property
    def max_total(self) -> Decimal:
        return sum((i.max_points * i.weight for i in self.indicators.all()), Decimal(0))


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from records")
        INSPECTED = "inspected", _("Scored by inspectors")

    indicator_set = models.ForeignKey(
        IndicatorSet,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("indicator set"),
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Stays the same across versions of the set.")
    )
    name = models.CharField(_("name"), max_length=100)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    metric = models.CharField(
        _("metric"),
        max_length=60,
        blank=True,
        help_text=_("For computed indicators: the registered metric that scores it."),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
        help_text=_("Multiplies the points: 1 counts the indicator in full, 0 leaves it out."),
    )
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(100))],
    )
    description = models.TextField(_("how it is scored"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["indicator_set", "dimension", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_code_once"),
            models.CheckConstraint(
                condition=Q(kind="inspected") | ~Q(metric=""), name="computed_indicator_has_metric"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_points(self) -> Decimal:
        return (self.max_points * self.weight).quantize(Decimal("0.01"))


# --- inspections and innovations ---------------------------------------------------------------


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def in_quarter(self, period: Quarter) -> InspectionQuerySet:
        return self.filter(visited_on__range=(period.start, period.end))


class Inspection(models.Model):
    """A visit to a branch by an inspector, recorded with its method (听、看、查、访)."""

    class Method(models.TextChoices):
        LISTEN = (
            "listen",
            pgettext_lazy("inspection method", "Listen: sit in on a lecture or meeting"),
        )
        LOOK = "look", pgettext_lazy("inspection method", "Look: the study venue and materials")
        CHECK = (
            "check",
            pgettext_lazy(
                "inspection method", "Check: rules, venue, records, reflections and archives"
            ),
        )
        VISIT = "visit", pgettext_lazy("inspection method", "Visit: interviews")

    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspector"),
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("findings"))
    problems = models.TextField(_("problems found"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["branch", "visited_on"], name="inspection_branch_day")]

    def __str__(self) -> str:
        return f"{self.branch} {self.get_method_display()} {self.visited_on}"


def inspection_photo_path(instance: InspectionPhoto, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return (
        f"scorecards/inspections/{instance.inspection_id}/{timezone.now():%Y%m%d%H%M%S%f}.{suffix}"
    )


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    image = models.ImageField(_("photo"), upload_to=inspection_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


class InspectionScore(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="scores", verbose_name=_("inspection")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    # The indicator's code, kept so later versions of the set still count this score.
    indicator_code = models.SlugField(max_length=40, editable=False)
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )
    max_points = models.DecimalField(max_digits=5, decimal_places=1, editable=False)

    class Meta:
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "indicator_code"], name="inspection_score_once"
            ),
            models.CheckConstraint(
                condition=Q(points__lte=F("max_points")), name="inspection_score_within_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.points}"


class Innovation(QuarterFields):
    """学习创新: a new study form, method or result a branch files and the committee scores."""

    class Kind(models.TextChoices):
        FORM = "form", _("New form of study")
        METHOD = "method", _("New method")
        RESULT = "result", _("Result put to use")

    class Status(models.TextChoices):
        FILED = "filed", pgettext_lazy("innovation", "Awaiting score")
        SCORED = "scored", pgettext_lazy("innovation", "Scored")

    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="innovations",
        verbose_name=_("branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FILED
    )
    score = models.PositiveSmallIntegerField(
        _("score (0–100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    comment = models.TextField(_("committee comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning innovation")
        verbose_name_plural = _("learning innovations")
        ordering = ["-year", "-quarter", "-filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="filed", score__isnull=True)
                | Q(status="scored", score__isnull=False),
                name="innovation_scored_has_score",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- builds and scorecards ---------------------------------------------------------------------


class ScorecardBuild(QuarterFields):
    """One run of the quarter's build for a committee's subtree.

    Branches are split into chunks up front; each chunk is scored in one transaction that
    also marks it done, so a build killed half-way resumes from its first unfinished chunk.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("build status", "Waiting")
        RUNNING = "running", pgettext_lazy("build status", "Running")
        DONE = "done", pgettext_lazy("build status", "Done")
        FAILED = "failed", pgettext_lazy("build status", "Failed")

    committee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("committee")
    )
    run = models.PositiveIntegerField(_("run"), default=1)
    # The rules of the whole run, fixed (and frozen) when it is requested.
    indicator_set = models.ForeignKey(
        IndicatorSet,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator set"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    branch_total = models.PositiveIntegerField(_("branches"), default=0)
    branches_done = models.PositiveIntegerField(_("branches done"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scorecard build")
        verbose_name_plural = _("scorecard builds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "quarter", "run"], name="scorecard_build_run"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.period.code} #{self.run}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class BuildChunk(models.Model):
    build = models.ForeignKey(ScorecardBuild, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    branch_ids = models.JSONField(default=list)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["build", "index"]
        constraints = [
            models.UniqueConstraint(fields=["build", "index"], name="build_chunk_once"),
        ]

    def __str__(self) -> str:
        return f"{self.build} chunk {self.index}"


class ScorecardQuerySet(models.QuerySet["Scorecard"]):
    def for_quarter(self, period: Quarter) -> ScorecardQuerySet:
        return self.filter(year=period.year, quarter=period.quarter)

    def newest_versions(self) -> ScorecardQuerySet:
        """Only the newest version of each (branch, quarter)."""
        newer = Scorecard.objects.filter(
            branch=models.OuterRef("branch"),
            year=models.OuterRef("year"),
            quarter=models.OuterRef("quarter"),
            version__gt=models.OuterRef("version"),
        )
        return self.filter(~models.Exists(newer))

    def in_subtree(self, organisation: Organisation) -> ScorecardQuerySet:
        return self.filter(branch__path__startswith=organisation.path)


class Scorecard(QuarterFields):
    """A branch's score for a quarter, by the indicator set it was scored with.

    Versions of one (branch, quarter) sit side by side: a confirmed scorecard never
    changes, and a recompute that comes out differently makes a new draft beside it.
    """

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("scorecard state", "Draft")
        REVIEWED = "reviewed", pgettext_lazy("scorecard state", "Reviewed")
        CONFIRMED = "confirmed", pgettext_lazy("scorecard state", "Confirmed")

    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("branch")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    indicator_set = models.ForeignKey(
        IndicatorSet,
        on_delete=models.PROTECT,
        related_name="scorecards",
        verbose_name=_("indicator set"),
    )
    build = models.ForeignKey(
        ScorecardBuild,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scorecards",
        verbose_name=_("build"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    conditions_points = models.DecimalField(
        _("Learning conditions"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    process_points = models.DecimalField(
        _("Learning process"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    results_points = models.DecimalField(
        _("Learning results"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    innovation_points = models.DecimalField(
        _("Learning innovation"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, default=Decimal(0))
    max_total = models.DecimalField(
        _("maximum"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    ranked_among = models.PositiveIntegerField(_("branches ranked"), null=True, blank=True)
    previous_total = models.DecimalField(
        _("last quarter"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # A digest of every line's points: equal digests mean equal scorecards.
    fingerprint = models.CharField(max_length=64, editable=False, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["-year", "-quarter", "branch__path", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year", "quarter", "version"], name="scorecard_version_once"
            ),
            models.UniqueConstraint(
                fields=["branch", "year", "quarter"],
                condition=Q(state="draft"),
                name="scorecard_one_draft",
            ),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False),
                name="scorecard_confirmed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "branch"], name="scorecard_quarter_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.period.label} v{self.version}"

    @property
    def change(self) -> Decimal | None:
        if self.previous_total is None:
            return None
        return self.total - self.previous_total

    @property
    def percent(self) -> int:
        if not self.max_total:
            return 0
        return round(self.total * 100 / self.max_total)

    def dimension_points(self) -> list[tuple[str, str, Decimal]]:
        return [(d.value, str(d.label), getattr(self, DIMENSION_FIELDS[d])) for d in Dimension]


class ScorecardLine(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("attainment"), max_digits=5, decimal_places=4)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    evidence = models.JSONField(_("evidence"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("scorecard line")
        verbose_name_plural = _("scorecard lines")
        ordering = ["scorecard", "indicator__dimension", "indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "indicator"], name="scorecard_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.points}"


# --- the quarterly evaluation report ------------------------------------------------------------


class EvaluationReport(QuarterFields):
    """The committee's quarterly evaluation report: ready only once its files are written."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("report status", "Waiting")
        BUILDING = "building", pgettext_lazy("report status", "Being written")
        READY = "ready", pgettext_lazy("report status", "Ready")
        FAILED = "failed", pgettext_lazy("report status", "Failed")

    committee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("committee")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    xlsx = models.FileField(_("spreadsheet"), blank=True, max_length=300)
    docx = models.FileField(_("document"), blank=True, max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("quarterly evaluation report")
        verbose_name_plural = _("quarterly evaluation reports")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "quarter"], name="evaluation_report_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(xlsx="") & ~Q(docx="")),
                name="evaluation_report_ready_has_files",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.period.label}"


# --- 奖学 / 评先选优 ----------------------------------------------------------------------------------


class CommendationQuerySet(models.QuerySet["Commendation"]):
    def confirmed(self) -> CommendationQuerySet:
        return self.filter(status=Commendation.Status.CONFIRMED)


class Commendation(models.Model):
    class Kind(models.TextChoices):
        LEARNING_BRANCH = "learning_branch", _("Model learning-type Party branch")
        LEARNING_PACESETTER = "pacesetter", _("Study pacesetter")
        CONTEST_WINNER = "contest_winner", _("Outstanding contest result")
        MOST_IMPROVED = "most_improved", _("Most improved branch")

    class Source(models.TextChoices):
        SCORECARD = "scorecard", _("Scorecards")
        CONTEST = "contest", _("Contests")
        COMMITTEE = "committee", _("Committee nomination")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("commendation", "Proposed")
        CONFIRMED = "confirmed", pgettext_lazy("commendation", "Confirmed")
        DECLINED = "declined", pgettext_lazy("commendation", "Not adopted")

    committee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("committee")
    )
    kind = models.CharField(_("commendation"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("branch"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("member"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "-quarter", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(user__isnull=False),
                name="commendation_has_recipient",
            ),
            models.UniqueConstraint(
                fields=["committee", "kind", "organisation", "year", "quarter"],
                condition=Q(user__isnull=True),
                name="commendation_branch_once",
            ),
            models.UniqueConstraint(
                fields=["committee", "kind", "user", "year", "quarter"],
                condition=Q(user__isnull=False),
                name="commendation_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organisation or self.user} {self.year}"

    @property
    def period_label(self) -> str:
        if self.quarter:
            return str(Quarter(self.year, self.quarter).label)
        return str(self.year)


# Rules, inspections, scores and decisions are audited: who changed them, when, and what
# (portal/audit.py). Scorecards built in bulk are the system's; review and confirmation
# are saved one by one, so they are logged.
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(IndicatorSet)
auditlog.register(Indicator)
auditlog.register(Inspection)
auditlog.register(InspectionScore)
auditlog.register(Innovation)
auditlog.register(Scorecard, exclude_fields=["fingerprint", "computed_at"])
auditlog.register(Commendation)
auditlog.register(EvaluationReport, include_fields=["status", "requested_by"])
