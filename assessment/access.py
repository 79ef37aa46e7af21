"""One access helper per object: load it and check the user in one step; outside scope is 404."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.utils.translation import gettext as _

from assessment.models import Attempt, Contest, Question, Rubric, ShuxuePeriod, ShuxueReport
from portal import stamps
from portal.models import Organisation
from portal.scoping import Scope, scope_for


def runs(scope: Scope, organisation: Organisation) -> bool:
    """Whether the scope runs 考学/评学 for ``organisation``: manages it or oversees it."""
    return scope.can_manage_organisation(organisation) or any(
        organisation.path.startswith(p) for p in scope.oversee_paths
    )


def covers_own_branch(scope: Scope, organisation: Organisation) -> bool:
    """Whether the user's own branch lies in ``organisation``'s subtree (a participant)."""
    return bool(scope.own_branch_path) and scope.own_branch_path.startswith(organisation.path)


def question_for_user(user: Any, pk: int) -> Question:
    question = Question.objects.select_related("organisation", "current").filter(pk=pk).first()
    if question is None or not runs(scope_for(user), question.organisation):
        raise Http404(_("No such question."))
    return question


def contest_for_user(user: Any, pk: int, *, manage: bool = False) -> Contest:
    """A contest its participants and those who run it may open; ``manage`` for the latter."""
    scope = scope_for(user)
    contest = _contest(pk)
    if contest is None:
        raise Http404(_("No such contest."))
    if runs(scope, contest.organisation):
        return contest
    if manage or not contest.is_published or not covers_own_branch(scope, contest.organisation):
        raise Http404(_("No such contest."))
    return contest


# A contest and its organisation are read by every page of the contest (its league above
# all) and change rarely: kept under their tables' stamps, read with the stamps every
# request reads anyway, never stale.
CONTEST_TABLES = ("assessment_contest", "portal_organisation")


def _contest(pk: int) -> Contest | None:
    key = f"assessment:contest:{pk}:{stamps.read(CONTEST_TABLES)}"
    contest: Contest | None = cache.get(key)
    if contest is None:
        contest = Contest.objects.select_related("organisation").filter(pk=pk).first()
        if contest is not None:
            cache.set(key, contest, 10 * 60)
    return contest


def attempt_for_user(user: Any, pk: int) -> Attempt:
    """The member's own attempt, or any attempt of a contest the user runs (read only).

    The member's own (the question page, opened by every member taking part) is read with
    its contest alone; anyone else's again with the organisation, member and branch its
    page shows (one query more for the contest's managers)."""
    found = Attempt.objects.select_related("contest").filter(pk=pk).order_by("pk").first()
    if found is None:
        raise Http404(_("No such attempt."))
    if found.user_id == user.pk:
        return found
    found = Attempt.objects.select_related("contest__organisation", "user", "branch").get(pk=pk)
    if runs(scope_for(user), found.contest.organisation):
        return found
    raise Http404(_("No such attempt."))


def rubric_for_user(user: Any, pk: int) -> Rubric:
    rubric = Rubric.objects.select_related("organisation").filter(pk=pk).first()
    if rubric is None or not runs(scope_for(user), rubric.organisation):
        raise Http404(_("No such rubric."))
    return rubric


def period_for_user(user: Any, pk: int, *, manage: bool = False) -> ShuxuePeriod:
    scope = scope_for(user)
    period = ShuxuePeriod.objects.select_related("organisation", "rubric").filter(pk=pk).first()
    if period is None:
        raise Http404(_("No such 述学 period."))
    if runs(scope, period.organisation):
        return period
    if manage or not covers_own_branch(scope, period.organisation):
        raise Http404(_("No such 述学 period."))
    return period


def report_for_user(user: Any, pk: int) -> ShuxueReport:
    """The member's own report; a submitted one also to branch colleagues (peer raters)
    and to those who manage or oversee the branch."""
    scope = scope_for(user)
    report = (
        ShuxueReport.objects.select_related(
            "period__organisation", "period__rubric", "branch", "user"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404(_("No such 述学 report."))
    if report.user_id == user.pk:
        return report
    if report.status == ShuxueReport.Status.SUBMITTED and (
        runs(scope, report.branch) or scope.own_branch_id == report.branch_id
    ):
        return report
    raise Http404(_("No such 述学 report."))
