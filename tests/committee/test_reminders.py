"""目标责任 reminders: due soon and overdue, to the assignee or the branch secretaries."""

import datetime

from committee import services
from committee.models import Assignment
from portal.models import Notification
from portal.notifications import sweeps_run
from tests.committee.conftest import TODAY, make_task


def sent(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", "subject"))


def test_due_soon_goes_to_the_secretaries_of_each_branch_once(world, frozen):
    task = make_task(world, due_on=TODAY + datetime.timedelta(days=2))
    sweeps_run(on=TODAY, kinds=["committee.assignment_due"])
    sweeps_run(on=TODAY + datetime.timedelta(days=1), kinds=["committee.assignment_due"])
    ids = dict(Assignment.objects.filter(task=task).values_list("organisation__name", "pk"))
    assert sent("committee.assignment_due") == {
        ("secretary", f"assignment:{ids['第一党支部']}"),
        ("other_secretary", f"assignment:{ids['第二党支部']}"),
    }


def test_a_far_deadline_sends_nothing(world, frozen):
    make_task(world, due_on=TODAY + datetime.timedelta(days=20))
    sweeps_run(on=TODAY, kinds=["committee.assignment_due"])
    assert sent("committee.assignment_due") == set()


def test_overdue_goes_to_those_who_still_owe_a_report(world, frozen):
    task = make_task(world, due_on=TODAY - datetime.timedelta(days=3), people=[world.member])
    reported = Assignment.objects.get(task=task, organisation=world.sibling_branch)
    services.assignment_report(assignment=reported, actor=world.other_secretary, text="已完成")
    sweeps_run(on=TODAY, kinds=["committee.assignment_overdue"])
    people = {who for who, _subject in sent("committee.assignment_overdue")}
    assert people == {"secretary", "member"}
