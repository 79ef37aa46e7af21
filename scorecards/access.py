"""One access helper per object: load it and check the user in one step; outside scope is 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from portal.models import Organisation
from portal.scoping import Scope, scope_for
from scorecards.models import Commendation, EvaluationReport, Innovation, Inspection, Scorecard

COMMITTEE_KINDS = (Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH)


def oversees(scope: Scope, organisation: Organisation) -> bool:
    """Whether ``scope`` sees ``organisation`` as a committee does (its whole subtree)."""
    return scope.is_superuser or any(organisation.path.startswith(p) for p in scope.oversee_paths)


_COMMITTEES_ATTR = "_scorecards_committees"


def committees_of(user: Any) -> list[Organisation]:
    """The committees (党委 or 党总支) whose scorecards ``user`` runs, outermost first (read
    once a request: kept on the user object, as the scope is)."""
    found: list[Organisation] | None = getattr(user, _COMMITTEES_ATTR, None)
    if found is None:
        found = _committees_of(user)
        setattr(user, _COMMITTEES_ATTR, found)
    return found


def _committees_of(user: Any) -> list[Organisation]:
    scope = scope_for(user)
    if scope.is_superuser:
        return list(
            Organisation.objects.filter(kind__in=COMMITTEE_KINDS).order_by("depth", "path")[:50]
        )
    if not scope.oversee_paths:
        return []
    return list(
        Organisation.objects.filter(
            path__in=sorted(scope.oversee_paths), kind__in=COMMITTEE_KINDS
        ).order_by("depth", "path")
    )


def committee_for_user(user: Any, pk: int | str | None = None) -> Organisation:
    """The committee a page is about: ``pk`` if the user oversees it, else their first."""
    scope = scope_for(user)
    if pk not in (None, ""):
        try:
            number = int(pk)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise Http404(_("No such committee.")) from None
        organisation = Organisation.objects.filter(pk=number, kind__in=COMMITTEE_KINDS).first()
        if organisation is None or not oversees(scope, organisation):
            raise Http404(_("No such committee."))
        return organisation
    committees = committees_of(user)
    if not committees:
        raise Http404(_("No such committee."))
    return committees[0]


def scorecard_for_user(user: Any, pk: int, *, decide: bool = False) -> Scorecard:
    """A scorecard for its committee and the branch's officers; a branch's members see
    their branch's confirmed scorecards; ``decide`` (review, confirm) is the committee's."""
    scope = scope_for(user)
    scorecard = (
        Scorecard.objects.select_related(
            "branch", "indicator_set", "reviewed_by", "confirmed_by", "build"
        )
        .filter(pk=pk)
        .first()
    )
    if scorecard is None:
        raise Http404(_("No such scorecard."))
    branch = scorecard.branch
    committee = oversees(scope, branch)
    if decide and not committee:
        raise Http404(_("No such scorecard."))
    officer = scope.can_manage_organisation(branch)
    member = scope.own_branch_id == branch.pk and scorecard.state == Scorecard.State.CONFIRMED
    if not (committee or officer or member):
        raise Http404(_("No such scorecard."))
    return scorecard


def inspection_for_user(user: Any, pk: int) -> Inspection:
    """An inspection for the committee over the branch, its inspector and the branch's officers."""
    scope = scope_for(user)
    inspection = Inspection.objects.select_related("branch", "inspector").filter(pk=pk).first()
    if inspection is None or not (
        oversees(scope, inspection.branch)
        or inspection.inspector_id == scope.user_id
        or scope.can_manage_organisation(inspection.branch)
    ):
        raise Http404(_("No such inspection."))
    return inspection


def innovation_for_user(user: Any, pk: int, *, score: bool = False) -> Innovation:
    scope = scope_for(user)
    innovation = (
        Innovation.objects.select_related("branch", "filed_by", "scored_by").filter(pk=pk).first()
    )
    if innovation is None:
        raise Http404(_("No such innovation."))
    committee = oversees(scope, innovation.branch)
    if score and not committee:
        raise Http404(_("No such innovation."))
    if not (committee or scope.can_see_organisation(innovation.branch)):
        raise Http404(_("No such innovation."))
    return innovation


def report_for_user(user: Any, pk: int) -> EvaluationReport:
    scope = scope_for(user)
    report = EvaluationReport.objects.select_related("committee").filter(pk=pk).first()
    if report is None or not oversees(scope, report.committee):
        raise Http404(_("No such report."))
    return report


def commendation_for_user(user: Any, pk: int) -> Commendation:
    """A commendation for the committee that proposed it (deciding is theirs alone)."""
    scope = scope_for(user)
    commendation = (
        Commendation.objects.select_related("committee", "organisation", "user")
        .filter(pk=pk)
        .first()
    )
    if commendation is None or not oversees(scope, commendation.committee):
        raise Http404(_("No such commendation."))
    return commendation


def branch_for_filing(user: Any, pk: int) -> Organisation:
    """A branch whose innovations ``user`` may file: its officers (and its committee)."""
    scope = scope_for(user)
    branch = Organisation.objects.filter(pk=pk, kind=Organisation.Kind.BRANCH).first()
    if branch is None or not (scope.can_manage_organisation(branch) or oversees(scope, branch)):
        raise Http404(_("No such branch."))
    return branch


def branch_for_inspection(user: Any, pk: int) -> Organisation:
    scope = scope_for(user)
    branch = Organisation.objects.filter(pk=pk, kind=Organisation.Kind.BRANCH).first()
    if branch is None or not oversees(scope, branch):
        raise Http404(_("No such branch."))
    return branch
