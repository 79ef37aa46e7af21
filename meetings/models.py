"""三会一课 and the rest of organisational life: meetings, attendance, talks, democratic
review and the compliance rules the calendar is measured against (DESIGN.md §2)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.choices import ChoiceDisplay
from portal.models import Organisation
from portal.uploads import generated_name


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        """Meetings of the organisations ``user`` may see (a member: their branch and group)."""
        from portal.scoping import scope_for

        return self.filter(scope_for(user).organisations_q(prefix="organisation__"))

    def held_between(self, start: datetime.date, end: datetime.date) -> MeetingQuerySet:
        """Records of meetings held on ``start``..``end`` (inclusive), drafts excluded."""
        return self.filter(held_on__gte=start, held_on__lte=end).exclude(
            status=Meeting.Status.DRAFT
        )

    def for_list(self) -> MeetingQuerySet:
        """A list row: organisation, host and 应到/实到 in one query.

        The counts are correlated subqueries rather than a GROUP BY over the join, so a
        page computes them for its own rows only and counting the pages stays cheap.
        """
        expected = (
            Attendance.objects.filter(meeting=OuterRef("pk"), is_guest=False)
            .order_by()
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")
        )
        present = expected.filter(status=Attendance.Status.PRESENT)
        return (
            self.select_related("organisation", "host")
            .annotate(
                expected_count=Coalesce(Subquery(expected), 0),
                present_count=Coalesce(Subquery(present), 0),
            )
            .order_by("-starts_at", "-pk")
        )

    def attended_by(self, user: Any) -> MeetingQuerySet:
        return self.filter(
            attendances__user=user, attendances__status=Attendance.Status.PRESENT
        ).distinct()


class Meeting(ChoiceDisplay):
    """One meeting record: drafted, submitted, archived; archived records change only by
    an :class:`Amendment`."""

    class Kind(models.TextChoices):
        BRANCH_ASSEMBLY = "branch_assembly", _("Branch assembly")
        COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
        GROUP_MEETING = "group_meeting", _("Party group meeting")
        PARTY_LECTURE = "party_lecture", _("Party lecture")
        THEMED_PARTY_DAY = "themed_party_day", _("Themed Party day")
        ORGANISATIONAL_LIFE = "organisational_life", _("Organisational life meeting")
        DEMOCRATIC_REVIEW = "democratic_review", _("Democratic review of members")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("meeting status", "Submitted")
        ARCHIVED = "archived", pgettext_lazy("meeting status", "Archived")

    # A vote needs more than half of the voting members present at these.
    QUORUM_KINDS = frozenset({Kind.BRANCH_ASSEMBLY, Kind.COMMITTEE_MEETING})
    # The fields a record holds; an amendment may change these and keeps their old values.
    RECORD_FIELDS = (
        "topic",
        "starts_at",
        "ends_at",
        "place",
        "host_id",
        "recorder_id",
        "lecturer_id",
        "lecture_title",
        "minutes",
        "resolutions",
    )

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(pgettext_lazy("meeting", "kind"), max_length=30, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    # The local (Asia/Shanghai) date of starts_at, kept for grouping by month in the DB.
    held_on = models.DateField(_("date"), editable=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("host"),
    )
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorder"),
    )
    lecturer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("lecturer"),
    )
    lecture_title = models.CharField(_("lecture title"), max_length=200, blank=True)
    minutes = models.TextField(pgettext_lazy("meeting record", "minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    is_late = models.BooleanField(
        _("filed late"),
        default=False,
        help_text=_("Filed long after the meeting (补记)."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "held_on"], name="meeting_org_held"),
            models.Index(fields=["kind", "held_on"], name="meeting_kind_held"),
            # Province scale: the compliance counts and the overview's cache fingerprint
            # read only these columns of a year's meetings, by an index-only scan.
            models.Index(
                fields=["held_on", "status", "organisation", "kind", "version"],
                name="meeting_held_cover",
            ),
            # A member's upcoming meetings (home page, calendar feed) start from here.
            models.Index(fields=["starts_at"], name="meeting_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="archived") | Q(filed_at__isnull=False),
                name="meeting_archived_was_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()} {self.topic}"

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def needs_quorum(self) -> bool:
        return self.kind in self.QUORUM_KINDS


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("agenda item"), max_length=200)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(ChoiceDisplay):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LEAVE = "leave", _("On leave")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.ABSENT
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # 列席: attends without being one of those expected (应到); not counted for quorum.
    is_guest = models.BooleanField(_("non-voting attendee (列席)"), default=False)
    # Probationary members are expected but have no vote.
    has_vote = models.BooleanField(_("has a vote"), default=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "is_guest", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once"),
            models.CheckConstraint(
                condition=~Q(status="leave") | ~Q(reason=""),
                name="attendance_leave_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="attendance_user_status")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    today = datetime.date.today()
    return f"meetings/{today:%Y/%m}/{instance.meeting_id}/{generated_name(filename)}"


class Attachment(ChoiceDisplay):
    class Category(models.TextChoices):
        PHOTO = "photo", _("Photo")
        SIGN_IN_SHEET = "sign_in_sheet", _("Signed attendance sheet")
        MATERIAL = "material", _("Material")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    category = models.CharField(
        pgettext_lazy("attachment", "category"), max_length=20, choices=Category.choices
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "category", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Amendment(models.Model):
    """A correction to an archived record: who, when, why, and the fields before and after."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("meeting")
    )
    version = models.PositiveIntegerField(_("version"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("amended by"),
    )
    amended_at = models.DateTimeField(_("amended at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    # {field: {"from": old, "to": new}} for the fields that changed.
    changes = models.JSONField(_("changes"), default=dict)
    # The whole record as it was before this amendment.
    previous = models.JSONField(_("earlier version"), default=dict)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["meeting", "version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="amendment_version_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"


class CompliancePeriod(models.TextChoices):
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")
    YEAR = "year", _("per year")


class ComplianceRule(models.Model):
    """The minimum number of meetings of a kind per period for an organisation kind.

    With no organisation the rule is the default everywhere; with one, it replaces the
    default for that organisation's whole subtree (the deepest such rule wins).
    """

    kind = models.CharField(_("meeting kind"), max_length=30, choices=Meeting.Kind.choices)
    organisation_kind = models.CharField(
        _("applies to"),
        max_length=20,
        choices=Organisation.Kind.choices,
        default=Organisation.Kind.BRANCH,
    )
    period = models.CharField(_("period"), max_length=10, choices=CompliancePeriod.choices)
    minimum = models.PositiveSmallIntegerField(_("minimum"), default=1)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only within"),
        help_text=_("Leave empty for the default rule; choose an organisation for a local rule."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("compliance rule")
        verbose_name_plural = _("compliance rules")
        ordering = ["organisation_kind", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation_kind"],
                condition=Q(organisation__isnull=True),
                name="rule_default_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation_kind", "organisation"],
                name="rule_local_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥ {self.minimum} {self.get_period_display()}"


class ComplianceExemption(models.Model):
    """A branch excused from a kind of meeting (or from all) for a period, with a reason."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(
        _("meeting kind"),
        max_length=30,
        choices=Meeting.Kind.choices,
        blank=True,
        help_text=_("Leave empty to exempt every kind."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("compliance exemption")
        verbose_name_plural = _("compliance exemptions")
        ordering = ["organisation", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="exemption_ends_after_start"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="exemption_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on}–{self.ends_on}"


class LifeMeetingEntry(models.Model):
    """A member's part in a 组织生活会: 党性分析 and 批评与自我批评."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="life_entries", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    party_spirit_analysis = models.TextField(_("Party spirit analysis"), blank=True)
    self_criticism = models.TextField(_("self-criticism"), blank=True)
    criticism_received = models.TextField(_("criticism from others"), blank=True)
    rectification = models.TextField(_("rectification measures"), blank=True)

    class Meta:
        verbose_name = _("organisational life entry")
        verbose_name_plural = _("organisational life entries")
        ordering = ["meeting", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="life_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class DemocraticReview(models.Model):
    """民主评议党员 of a branch for a year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )

    class Meta:
        verbose_name = _("democratic review")
        verbose_name_plural = _("democratic reviews")
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="review_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class ReviewRating(ChoiceDisplay):
    review = models.ForeignKey(DemocraticReview, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_grade = models.CharField(
        _("self rating"), max_length=20, choices=Grade.choices, blank=True
    )
    peer_grade = models.CharField(
        _("peer rating"), max_length=20, choices=Grade.choices, blank=True
    )
    branch_grade = models.CharField(
        _("branch rating"), max_length=20, choices=Grade.choices, blank=True
    )
    final_grade = models.CharField(
        _("final grade"), max_length=20, choices=Grade.choices, blank=True
    )

    class Meta:
        verbose_name = _("review rating")
        verbose_name_plural = _("review ratings")
        ordering = ["review", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="rating_once"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.member}"


class TalkQuerySet(models.QuerySet["Talk"]):
    def visible_to(self, user: Any) -> TalkQuerySet:
        """The two who talked, and the secretary of the branch; nobody else."""
        from portal.models import Position

        if user is None or not user.is_authenticated:
            return self.none()
        secretary_of = Position.objects.current().filter(
            user=user, title=Position.Title.SECRETARY, organisation__kind=Organisation.Kind.BRANCH
        )
        return self.filter(
            Q(initiator=user)
            | Q(partner=user)
            | Q(organisation__in=secretary_of.values("organisation_id"))
        )


class Talk(ChoiceDisplay):
    """谈心谈话: who talked with whom, when and about what."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("talked"),
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("with"),
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("heart-to-heart talk")
        verbose_name_plural = _("heart-to-heart talks")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(initiator=models.F("partner")), name="talk_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.initiator} · {self.partner}"


# Records, attendance, amendments and reviews are audited: who changed them, when, and
# what (SECURITY.md); the committee reads it under 操作留痕.
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Meeting)
auditlog.register(Attendance)
auditlog.register(Amendment)
auditlog.register(LifeMeetingEntry)
auditlog.register(DemocraticReview)
auditlog.register(ReviewRating)
auditlog.register(Talk)
