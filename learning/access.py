"""One access helper per object: load it and check the user in one step (404 outside scope)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.utils.translation import gettext as _

from learning.models import (
    Activity,
    BranchPlan,
    CentreGroupSession,
    Material,
    Reflection,
    ResearchReport,
    StudyLog,
    StudyPlan,
)
from portal import stamps
from portal.models import Membership, Organisation
from portal.scoping import Scope, scope_for


def _under(path: str, prefixes: frozenset[str]) -> bool:
    return any(path.startswith(p) for p in prefixes)


def oversees(scope: Scope, organisation: Organisation) -> bool:
    """A committee (or 总支) position above or at ``organisation``: reviews its plans and reports."""
    return scope.is_superuser or _under(organisation.path, scope.oversee_paths)


def sees_records_of(scope: Scope, organisation: Organisation) -> bool:
    """Officers and overseers see every member's records in their subtree."""
    return scope.is_superuser or _under(organisation.path, scope.oversee_paths | scope.manage_paths)


def directs(scope: Scope, organisation: Organisation) -> bool:
    """May file materials and activities for ``organisation`` and assign them there."""
    return sees_records_of(scope, organisation) and (scope.manages or scope.oversees)


def is_within(scope: Scope, organisation: Organisation) -> bool:
    """The user's own branch lies in ``organisation``'s subtree."""
    return bool(scope.own_branch_path) and scope.own_branch_path.startswith(organisation.path)


def study_plan_for_user(
    user: Any, pk: int, *, edit: bool = False, review: bool = False
) -> StudyPlan:
    scope = scope_for(user)
    plan = (
        StudyPlan.objects.select_related("user", "organisation", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404(_("No such plan."))
    own = plan.user_id == scope.user_id
    if edit and not own:
        raise Http404(_("No such plan."))
    if review and not scope.can_manage_organisation(plan.organisation):
        raise Http404(_("No such plan."))
    if not (own or sees_records_of(scope, plan.organisation)):
        raise Http404(_("No such plan."))
    return plan


def study_log_for_user(user: Any, pk: int) -> StudyLog:
    """A log for the secretary's decision: only officers of the member's branch."""
    scope = scope_for(user)
    log = StudyLog.objects.select_related("user", "organisation").filter(pk=pk).first()
    if log is None or not scope.can_manage_organisation(log.organisation):
        raise Http404(_("No such study log."))
    return log


def reflection_for_user(
    user: Any, pk: int, *, edit: bool = False, review: bool = False
) -> Reflection:
    scope = scope_for(user)
    reflection = (
        Reflection.objects.for_list()
        .select_related("reviewed_by", "activity")
        .filter(pk=pk)
        .first()
    )
    if reflection is None:
        raise Http404(_("No such reflection."))
    own = reflection.author_id == scope.user_id
    if edit and not own:
        raise Http404(_("No such reflection."))
    if review and not scope.can_manage_organisation(reflection.organisation):
        raise Http404(_("No such reflection."))
    exemplar_here = reflection.is_exemplar and scope.own_branch_id == reflection.organisation_id
    if not (own or exemplar_here or sees_records_of(scope, reflection.organisation)):
        raise Http404(_("No such reflection."))
    return reflection


def material_for_user(user: Any, pk: int, *, manage: bool = False) -> Material:
    scope = scope_for(user)
    material = Material.objects.select_related("organisation", "created_by").filter(pk=pk).first()
    if material is None:
        raise Http404(_("No such material."))
    visible = scope.can_see_organisation(material.organisation) or is_within(
        scope, material.organisation
    )
    if not visible or (manage and not directs(scope, material.organisation)):
        raise Http404(_("No such material."))
    return material


def branch_plan_for_user(
    user: Any, pk: int, *, edit: bool = False, review: bool = False
) -> BranchPlan:
    scope = scope_for(user)
    plan = (
        BranchPlan.objects.select_related("organisation", "filed_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if plan is None or not scope.can_see_organisation(plan.organisation):
        raise Http404(_("No such plan."))
    if edit and not scope.can_manage_organisation(plan.organisation):
        raise Http404(_("No such plan."))
    if review and not oversees(scope, plan.organisation):
        raise Http404(_("No such plan."))
    return plan


def research_report_for_user(
    user: Any, pk: int, *, edit: bool = False, review: bool = False
) -> ResearchReport:
    scope = scope_for(user)
    report = (
        ResearchReport.objects.select_related("organisation", "created_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404(_("No such report."))
    own = report.created_by_id == scope.user_id
    if not (own or scope.can_see_organisation(report.organisation)):
        raise Http404(_("No such report."))
    if edit and not own:
        raise Http404(_("No such report."))
    if review and not oversees(scope, report.organisation):
        raise Http404(_("No such report."))
    return report


def activity_for_user(user: Any, pk: int) -> Activity:
    scope = scope_for(user)
    activity = Activity.objects.select_related("organisation").filter(pk=pk).first()
    if activity is None or not (
        scope.can_see_organisation(activity.organisation) or is_within(scope, activity.organisation)
    ):
        raise Http404(_("No such activity."))
    return activity


def centre_group_session_for_user(
    user: Any, pk: int, *, manage: bool = False
) -> CentreGroupSession:
    """中心组 records are seen by those holding a post in the committee (or above it)."""
    scope = scope_for(user)
    session = (
        CentreGroupSession.objects.select_related("organisation", "task").filter(pk=pk).first()
    )
    if session is None or not oversees(scope, session.organisation):
        raise Http404(_("No such session."))
    if manage and not scope.can_manage_organisation(session.organisation):
        raise Http404(_("No such session."))
    return session


# Where a membership sits is read from these tables: a place kept in the cache under their
# stamps is never stale.
PLACE_TABLES = ("portal_membership", "portal_organisation")
PLACE_SECONDS = 60 * 60


def check_member_visible(user: Any, user_pk: int) -> None:
    """404 unless ``user`` may see the membership of account ``user_pk``: the rule of
    ``portal.access.membership_for_user``, checked on every request against the
    membership's branch and group read from the cache (kept under the stamps of the
    memberships and the tree: any change to either gives a new key). The membership
    itself, with the person's name, is read only where a page needs it."""
    scope = scope_for(user)
    key = f"learning:place:{user_pk}:{stamps.read(PLACE_TABLES)}"
    found: tuple[Membership | None] | None = cache.get(key)
    if found is None:
        place = (
            Membership.objects.select_related("branch", "group")
            .only("user_id", "branch__path", "group__path")
            .filter(user_id=user_pk)
            .first()
        )
        found = (place,)
        cache.set(key, found, PLACE_SECONDS)
    (place,) = found
    if place is None or not scope.can_see_membership(place):
        raise Http404(_("No such member."))
