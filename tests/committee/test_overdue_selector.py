"""committee.selectors.overdue_assignments: what the home dashboard and reminders show."""

import datetime

from committee.selectors import overdue_assignments
from tests.committee.conftest import TODAY, make_task


def _overdue_world(world):
    late = make_task(
        world, due_on=TODAY - datetime.timedelta(days=2), people=[world.member], title="迟交"
    )
    make_task(world, due_on=TODAY + datetime.timedelta(days=2), title="未到期")
    return late


def test_secretary_gets_only_their_branch(world, frozen):
    late = _overdue_world(world)
    rows = list(overdue_assignments(world.secretary))
    assert [(a.task, a.organisation) for a in rows] == [(late, world.branch)]


def test_member_gets_what_is_assigned_to_them(world, frozen):
    late = _overdue_world(world)
    assert [(a.task, a.assignee) for a in overdue_assignments(world.member)] == [
        (late, world.member)
    ]


def test_committee_sees_every_overdue_assignment_it_issued(world, frozen):
    _overdue_world(world)
    assert overdue_assignments(world.committee_user).count() == 3
    # ... but a reminder goes to them only for what they answer themselves.
    assert overdue_assignments(world.committee_user, responsible_only=True).count() == 0


def test_outsider_gets_nothing(world, frozen):
    _overdue_world(world)
    assert overdue_assignments(world.outsider).count() == 0


def test_overdue_selector_is_one_query(world, frozen, django_assert_num_queries):
    for n in range(10):
        make_task(world, due_on=TODAY - datetime.timedelta(days=n + 1), title=f"任务{n}")
    overdue_assignments(world.committee_user)  # scope: positions, membership
    # the assignments with task, issuer, organisation and person joined
    with django_assert_num_queries(1):
        rows = list(overdue_assignments(world.committee_user))
        names = [(a.task.title, a.task.issuer.name, a.assignee_name) for a in rows]
    assert len(names) == 20
