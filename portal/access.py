"""Access helpers: load one object with what its page needs and check the user in one step.

Another organisation's object is a 404, not a 403, so ids leak nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from portal.models import Membership, Organisation
from portal.scoping import scope_for


def organisation_for_user(user: Any, pk: int, *, manage: bool = False) -> Organisation:
    scope = scope_for(user)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not scope.can_see_organisation(organisation):
        raise Http404(_("No such organisation."))
    if manage and not scope.can_manage_organisation(organisation):
        raise Http404(_("No such organisation."))
    return organisation


def membership_for_user(user: Any, user_pk: int, *, manage: bool = False) -> Membership:
    """The membership of the account ``user_pk``, with its person, branch and group."""
    scope = scope_for(user)
    membership = Membership.objects.for_list().filter(user_id=user_pk).first()
    if membership is None or not scope.can_see_membership(membership):
        raise Http404(_("No such member."))
    if manage and not scope.can_manage_membership(membership):
        raise Http404(_("No such member."))
    return membership
