"""task_create, assignment_report and assignment_review: the 目标责任 workflow and its history."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from committee import services
from committee.models import Assignment, AssignmentEvent
from tests.committee.conftest import TODAY, make_task


def test_one_task_gives_each_branch_its_own_assignment_and_history(world, frozen):
    task = make_task(world, people=[world.member])
    rows = list(task.assignments.order_by("pk"))
    assert [(a.organisation, a.assignee) for a in rows] == [
        (world.branch, None),
        (world.sibling_branch, None),
        (None, world.member),
    ]
    assert {a.state for a in rows} == {Assignment.State.ASSIGNED}
    assert AssignmentEvent.objects.filter(kind="assigned").count() == 3


def test_task_needs_an_assignee(world, frozen):
    with pytest.raises(services.CommitteeError):
        make_task(world, organisations=[])


def test_task_refuses_an_organisation_outside_the_issuer(world, frozen):
    with pytest.raises(services.CommitteeError):
        make_task(world, organisations=[world.other_branch])


def test_a_branch_is_assigned_a_task_only_once(world, frozen):
    task = make_task(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(task=task, organisation=world.branch)


def test_an_assignment_goes_to_an_organisation_or_a_person_not_both(world, frozen):
    task = make_task(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(task=task, organisation=world.group, assignee=world.member)


def test_report_return_report_accept_keeps_every_step(world, branch_assignment):
    a = branch_assignment
    services.assignment_report(assignment=a, actor=world.secretary, text="已开展")
    assert a.state == Assignment.State.REPORTED
    services.assignment_review(
        assignment=a, actor=world.committee_user, accept=False, comment="补照片"
    )
    assert Assignment.objects.get(pk=a.pk).state == Assignment.State.RETURNED
    services.assignment_report(assignment=a, actor=world.secretary, link="/meetings/1/")
    services.assignment_review(assignment=a, actor=world.committee_user, accept=True)
    a.refresh_from_db()
    assert a.state == Assignment.State.ACCEPTED
    assert list(a.events.values_list("kind", "text", "link")) == [
        ("assigned", "", ""),
        ("reported", "已开展", ""),
        ("returned", "补照片", ""),
        ("reported", "", "/meetings/1/"),
        ("accepted", "", ""),
    ]


def test_an_accepted_assignment_cannot_be_reported_again(world, branch_assignment):
    services.assignment_report(assignment=branch_assignment, actor=world.secretary, text="x")
    services.assignment_review(
        assignment=branch_assignment, actor=world.committee_user, accept=True
    )
    with pytest.raises(services.CommitteeError):
        services.assignment_report(assignment=branch_assignment, actor=world.secretary, text="y")
    assert branch_assignment.events.count() == 3


def test_a_report_cannot_be_reviewed_twice(world, branch_assignment):
    services.assignment_report(assignment=branch_assignment, actor=world.secretary, text="x")
    stale = Assignment.objects.get(pk=branch_assignment.pk)
    services.assignment_review(
        assignment=branch_assignment, actor=world.committee_user, accept=True
    )
    with pytest.raises(services.CommitteeError):
        services.assignment_review(
            assignment=stale, actor=world.committee_user, accept=False, comment="x"
        )
    assert Assignment.objects.get(pk=stale.pk).state == Assignment.State.ACCEPTED


def test_returning_needs_a_comment(world, branch_assignment):
    services.assignment_report(assignment=branch_assignment, actor=world.secretary, text="x")
    with pytest.raises(services.CommitteeError):
        services.assignment_review(
            assignment=branch_assignment, actor=world.committee_user, accept=False
        )


def test_a_report_needs_evidence(world, branch_assignment):
    with pytest.raises(services.CommitteeError):
        services.assignment_report(assignment=branch_assignment, actor=world.secretary, text="  ")
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.ASSIGNED


def test_overdue_is_past_the_deadline_with_no_report_waiting(world, frozen):
    task = make_task(world, due_on=TODAY - datetime.timedelta(days=1))
    first, second = task.assignments.order_by("pk")
    services.assignment_report(assignment=second, actor=world.other_secretary, text="x")
    overdue = set(Assignment.objects.overdue().values_list("pk", flat=True))
    assert overdue == {first.pk}
    services.assignment_review(
        assignment=second, actor=world.committee_user, accept=False, comment="重做"
    )
    assert set(Assignment.objects.overdue().values_list("pk", flat=True)) == {first.pk, second.pk}
