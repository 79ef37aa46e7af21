"""Who is who: accounts, the organisation tree, membership and positions."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from portal.choices import ChoiceDisplay


def today() -> datetime.date:
    return timezone.localdate()


class Gender(models.TextChoices):
    MALE = "M", pgettext_lazy("gender", "Male")
    FEMALE = "F", pgettext_lazy("gender", "Female")


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: Any) -> UserQuerySet:
        """The accounts whose member page ``user`` may open."""
        from portal.scoping import scope_for

        return self.filter(scope_for(user).members_q(prefix="membership__"))


class PortalUserManager(UserManager["User"]):
    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user: Any) -> UserQuerySet:
        return self.get_queryset().visible_to(user)


class User(AbstractUser):
    """A person with a login. Party membership, if any, is in :class:`Membership`."""

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=30, blank=True)
    # Recomputed from Notification rows whenever they change (notifications_recount), so
    # the navigation shows the unread count without a query of its own.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[PortalUserManager] = PortalUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"
            ),
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=~Q(employee_number=""),
                name="user_employee_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username


class OrganisationQuerySet(MP_NodeQuerySet):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """Organisations whose page ``user`` may open (the scope's visible subtrees)."""
        from portal.scoping import scope_for

        return self.filter(scope_for(user).organisations_q())

    def managed_by(self, user: Any) -> OrganisationQuerySet:
        from portal.scoping import scope_for

        return self.filter(scope_for(user).organisations_q(manage=True))

    def branches(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.BRANCH)

    def subtree_of(self, organisation: Organisation) -> OrganisationQuerySet:
        return self.filter(path__startswith=organisation.path)


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> OrganisationQuerySet:
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")


class Organisation(ChoiceDisplay, MP_Node):
    """A node of the one organisation tree: 党委/党组 → 党总支 → 党支部 → 党小组.

    Stored as a materialised path (django-treebeard), so a whole subtree is one
    ``path LIKE 'prefix%'`` query whatever its depth.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General Party branch")
        BRANCH = "branch", _("Party branch")
        GROUP = "group", _("Party group")

    # Which kinds may sit directly below which. A committee may have subordinate
    # committees (a provincial 党委 over city 党委), so depth is open.
    ALLOWED_CHILDREN: dict[str, tuple[str, ...]] = {
        Kind.COMMITTEE: (Kind.COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH),
        Kind.GENERAL_BRANCH: (Kind.BRANCH,),
        Kind.BRANCH: (Kind.GROUP,),
        Kind.GROUP: (),
    }

    name: models.CharField[str, str] = models.CharField(_("name"), max_length=100)
    kind: models.CharField[str, str] = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices
    )
    code: models.CharField[str, str] = models.CharField(
        _("code"),
        max_length=30,
        blank=True,
        help_text=_("Optional identifier used by other systems; unique when given."),
    )
    established_on: models.DateField[datetime.date | None, datetime.date | None] = models.DateField(
        _("established on"), null=True, blank=True
    )
    is_active: models.BooleanField[bool, bool] = models.BooleanField(_("active"), default=True)

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="org_code_unique"),
        ]
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind == self.Kind.BRANCH

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def oversees_subtree(self) -> bool:
        """A position here gives sight of every organisation below (committee, 总支)."""
        return self.kind in (self.Kind.COMMITTEE, self.Kind.GENERAL_BRANCH)

    def ancestor_paths(self) -> list[str]:
        step = self.steplen
        return [self.path[: step * i] for i in range(1, self.depth)]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: Any) -> MembershipQuerySet:
        from portal.scoping import scope_for

        return self.filter(scope_for(user).members_q())

    def in_subtree(self, organisation: Organisation) -> MembershipQuerySet:
        return self.filter(branch__path__startswith=organisation.path)

    def for_list(self) -> MembershipQuerySet:
        """What a member list row shows: the person, branch and group in one join."""
        return self.select_related("user", "branch", "group")


class Membership(ChoiceDisplay):
    """A Party member's membership: one branch, optionally one group."""

    class Status(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="branch_memberships",
        verbose_name=_("branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    group = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name=_("Party group"),
        null=True,
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.GROUP},
    )
    status = models.CharField(
        _("member category"), max_length=20, choices=Status.choices, default=Status.FULL
    )
    joined_party_on = models.DateField(_("date of joining the Party"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    is_leading_cadre = models.BooleanField(
        _("leading cadre"),
        default=False,
        help_text=_(
            "Leading cadres attend both their leadership team's democratic life meeting "
            "and their own branch's organisational life meeting."
        ),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party membership")
        verbose_name_plural = _("Party memberships")
        ordering = ["branch__path", "user__name"]

    def __str__(self) -> str:
        return f"{self.user} · {self.branch}"


class PositionQuerySet(models.QuerySet["Position"]):
    def current(self, on: datetime.date | None = None) -> PositionQuerySet:
        """Positions held on ``on`` (today by default)."""
        day = on or today()
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day))


class Position(ChoiceDisplay):
    """A post held in an organisation for a period; ended posts stay as history."""

    class Title(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        ORGANISATION_COMMITTEE = "organisation_committee", _("Organisation committee member")
        PROPAGANDA_COMMITTEE = "propaganda_committee", _("Propaganda committee member")
        DISCIPLINE_COMMITTEE = "discipline_committee", _("Discipline committee member")
        COMMITTEE_MEMBER = "committee_member", _("Committee member")
        GROUP_LEADER = "group_leader", _("Party group leader")
        ORGANISATION_STAFF = "organisation_staff", _("Organisation department staff")
        PROPAGANDA_STAFF = "propaganda_staff", _("Propaganda department staff")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="positions", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("position"), max_length=30, choices=Title.choices)
    started_on = models.DateField(_("started on"), default=today)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organisation__path", "title", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"], name="position_user_current")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_title_display()} {self.user}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or today()
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class NotificationPreference(models.Model):
    """How a person wants to hear from the portal. No row means the defaults."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the portal only")
        EMAIL = "email", _("In the portal and by e-mail")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Each message as it comes")
        DAILY_DIGEST = "daily_digest", _("One daily digest")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channel = models.CharField(
        _("how to notify me"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    frequency = models.CharField(
        _("e-mail frequency"),
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )
    language = models.CharField(
        _("language of messages"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class ReminderSetting(models.Model):
    """The timing of one kind of reminder, set in the admin (DESIGN.md: local rules differ)."""

    kind = models.CharField(_("reminder"), max_length=60, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    days = models.PositiveSmallIntegerField(
        _("days"),
        default=1,
        help_text=_(
            "How many days before a due date, or after a missed one, the reminder goes out."
        ),
    )

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_inbox(self, user: Any) -> NotificationQuerySet:
        return self.filter(recipient=user).order_by("-created_at", "-pk")


class Notification(models.Model):
    """One message to one person, unique on (recipient, kind, subject, period).

    The row exists before any e-mail does, so a sweep that runs twice writes nothing new,
    and the e-mail state says what happened to the message outside the portal.
    """

    class EmailState(models.TextChoices):
        NOT_WANTED = "not_wanted", _("In the portal only")
        PENDING = "pending", _("Waiting to be sent")
        DIGEST = "digest", _("Waiting for the daily digest")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("about"), max_length=100)
    period = models.CharField(_("period"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=12, choices=EmailState.choices, default=EmailState.NOT_WANTED
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_error = models.TextField(_("e-mail error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject", "period"], name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(
                fields=["email_state", "email_next_attempt_at"],
                name="notification_outbox",
                condition=Q(email_state__in=["pending", "digest", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ChangeStamp(models.Model):
    """Per table, a value that moves whenever the table changes (see portal/stamps.py).
    Written only by database triggers."""

    name = models.CharField(_("table"), max_length=63, primary_key=True)
    value = models.BigIntegerField(_("stamp"))

    class Meta:
        verbose_name = _("change stamp")
        verbose_name_plural = _("change stamps")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
