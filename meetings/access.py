"""Access helpers: load one object with what its page needs and check the user in one step.

Anything outside the user's scope is a 404, never a 403, so ids leak nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from meetings import selectors
from meetings.models import Attachment, DemocraticReview, Meeting, Talk
from portal.access import organisation_for_user
from portal.models import Organisation
from portal.scoping import scope_for


def meeting_for_user(user: Any, pk: int, *, edit: bool = False) -> Meeting:
    """A meeting the user may see (``edit``: may manage), with what its page shows."""
    meeting = selectors.meeting_detail(pk)
    scope = scope_for(user)
    if meeting is None or not scope.can_see_organisation(meeting.organisation):
        raise Http404(_("No such meeting."))
    if edit and not scope.can_manage_organisation(meeting.organisation):
        raise Http404(_("No such meeting."))
    return meeting


def attachment_for_user(user: Any, meeting_pk: int, pk: int) -> Attachment:
    meeting = meeting_for_user(user, meeting_pk)
    for attachment in meeting.attachments.all():
        if attachment.pk == pk:
            attachment.meeting = meeting
            return attachment
    raise Http404(_("No such attachment."))


def branch_for_user(user: Any, pk: int, *, manage: bool = False) -> Organisation:
    """A branch whose calendar, ledger, review or talks the user may open."""
    organisation = organisation_for_user(user, pk, manage=manage)
    if organisation.kind != Organisation.Kind.BRANCH:
        raise Http404(_("No such branch."))
    return organisation


def overseen_for_user(user: Any, pk: int) -> Organisation:
    """A committee or general branch whose subtree the user oversees."""
    organisation = organisation_for_user(user, pk)
    scope = scope_for(user)
    if not organisation.oversees_subtree:
        raise Http404(_("No such organisation."))
    if not (
        scope.is_superuser or any(organisation.path.startswith(p) for p in scope.oversee_paths)
    ):
        raise Http404(_("No such organisation."))
    return organisation


def review_for_user(user: Any, pk: int) -> DemocraticReview:
    review = DemocraticReview.objects.select_related("organisation").filter(pk=pk).first()
    if review is None or not scope_for(user).can_manage_organisation(review.organisation):
        raise Http404(_("No such review."))
    return review


def talk_for_user(user: Any, pk: int) -> Talk:
    talk = (
        Talk.objects.visible_to(user)
        .select_related("organisation", "initiator", "partner")
        .filter(pk=pk)
        .first()
    )
    if talk is None:
        raise Http404(_("No such talk."))
    return talk
