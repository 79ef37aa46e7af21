"""Study reminders: plan not filed, required reading due, reviews waiting (on 15 June 2026)."""

import datetime

import time_machine

from learning import services
from learning.models import Material, Requirement
from portal.models import Notification
from portal.notifications import sweeps_run
from tests.learning.conftest import TODAY, submitted_reflection


def sent(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_members_without_a_filed_plan_are_reminded_once_after_the_deadline(world):
    plan = services.study_plan_save(
        user=world.member,
        year=2026,
        goals="学懂弄通",
        topics="党章",
        methods="自学",
        target_hours=40,
    )
    services.study_plan_submit(plan=plan)
    sweeps_run(on=TODAY, kinds=["learning.plan_missing"])
    sweeps_run(on=TODAY, kinds=["learning.plan_missing"])
    assert sent("learning.plan_missing") == {
        "committee",
        "secretary",
        "other_secretary",
        "outsider",
    }
    assert (
        Notification.objects.filter(kind="learning.plan_missing", recipient=world.secretary).count()
        == 1
    )


def test_no_plan_reminder_before_the_deadline(world):
    sweeps_run(on=datetime.date(2026, 1, 20), kinds=["learning.plan_missing"])
    assert sent("learning.plan_missing") == set()


def test_required_reading_due_soon_reaches_those_who_have_not_read_it(world):
    material = services.material_create(
        by=world.secretary,
        organisation=world.branch,
        kind=Material.Kind.ARTICLE,
        title="党章",
        text="全文",
    )
    services.material_assign(
        material=material,
        organisation=world.branch,
        requirement=Requirement.REQUIRED,
        due_on=TODAY + datetime.timedelta(days=2),
        by=world.secretary,
    )
    services.material_mark_read(material=material, user=world.member)
    sweeps_run(on=TODAY, kinds=["learning.material_due"])
    assert sent("learning.material_due") == {"committee", "secretary"}


def test_reflection_waiting_too_long_reminds_the_secretary(world):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 2, 0, tzinfo=datetime.UTC), tick=False):
        submitted_reflection(world.member)
    submitted_reflection(world.member, title="新写的")  # only today: not yet
    sweeps_run(on=TODAY, kinds=["learning.reviews_waiting"])
    rows = Notification.objects.filter(kind="learning.reviews_waiting")
    assert set(rows.values_list("recipient__username", flat=True)) == {"secretary"}
    assert rows.count() == 1
