"""Writes about who is who. Views, forms and the admin call these; they carry the rules."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Membership, NotificationPreference, Organisation, Position, User, today
from portal.scoping import forget_scope


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    code: str = "",
    established_on: datetime.date | None = None,
) -> Organisation:
    """Add a node to the tree, refusing shapes the Party's rules do not have."""
    if parent is None:
        if kind != Organisation.Kind.COMMITTEE:
            raise ValidationError(_("Only a Party committee can stand at the top of the tree."))
        fields = {"name": name, "kind": kind, "code": code, "established_on": established_on}
        return Organisation.objects.add_root(fields)
    parent = Organisation.objects.get(pk=parent.pk)  # fresh path: add_child needs it
    if kind not in Organisation.ALLOWED_CHILDREN[parent.kind]:
        raise ValidationError(
            _("A %(child)s cannot be placed under a %(parent)s.")
            % {
                "child": Organisation.Kind(kind).label,
                "parent": Organisation.Kind(parent.kind).label,
            }
        )
    return Organisation.objects.add_child(
        parent, {"name": name, "kind": kind, "code": code, "established_on": established_on}
    )


@transaction.atomic
def membership_set(
    *,
    user: User,
    branch: Organisation,
    group: Organisation | None = None,
    status: str = Membership.Status.FULL,
    joined_party_on: datetime.date | None = None,
    department: str = "",
    is_leading_cadre: bool = False,
) -> Membership:
    """Put ``user`` in ``branch`` (and ``group``), creating or moving the membership."""
    membership_check(branch=branch, group=group)
    membership, _created = Membership.objects.update_or_create(
        user=user,
        defaults={
            "branch": branch,
            "group": group,
            "status": status,
            "joined_party_on": joined_party_on,
            "department": department,
            "is_leading_cadre": is_leading_cadre,
        },
    )
    forget_scope(user)
    return membership


def membership_check(*, branch: Organisation, group: Organisation | None) -> None:
    if branch.kind != Organisation.Kind.BRANCH:
        raise ValidationError(_("A member must belong to a Party branch."))
    if group is not None and (
        group.kind != Organisation.Kind.GROUP or not group.path.startswith(branch.path)
    ):
        raise ValidationError(_("The Party group must belong to the member's branch."))


@transaction.atomic
def position_assign(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    started_on: datetime.date | None = None,
) -> Position:
    """Give ``user`` a post; holding the same post twice at once is refused."""
    start = started_on or today()
    if (
        Position.objects.current(on=start)
        .filter(user=user, organisation=organisation, title=title)
        .exists()
    ):
        raise ValidationError(_("This person already holds that position."))
    position = Position.objects.create(
        user=user, organisation=organisation, title=title, started_on=start
    )
    forget_scope(user)
    return position


@transaction.atomic
def position_end(*, position: Position, ended_on: datetime.date | None = None) -> Position:
    """End a post; the row stays so the history of who held it is kept."""
    end = ended_on or today()
    if end < position.started_on:
        raise ValidationError(_("A position cannot end before it started."))
    position.ended_on = end
    position.save(update_fields=["ended_on"])
    forget_scope(position.user)
    return position


@transaction.atomic
def notification_preference_set(
    *, user: User, channel: str, frequency: str, language: str, email: str
) -> NotificationPreference:
    """Save how ``user`` wants to be notified; e-mail needs an address."""
    if channel == NotificationPreference.Channel.EMAIL and not email:
        raise ValidationError(_("Give an e-mail address to receive e-mail notifications."))
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"channel": channel, "frequency": frequency, "language": language}
    )
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    return preference


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """Confirm a freshly paired authenticator; earlier devices of the user are removed."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device
