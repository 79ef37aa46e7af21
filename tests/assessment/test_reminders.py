"""Contest reminders: opened, and closing soon for those who have not taken part."""

import datetime

from django.utils import timezone

from portal.models import Notification
from portal.notifications import sweeps_run
from tests.assessment.conftest import finish, make_contest


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_an_opened_contest_reaches_every_member_in_scope_once(world, bank):
    make_contest(world.committee)
    today = timezone.localdate()
    sweeps_run(on=today, kinds=["assessment.contest_open"])
    sweeps_run(on=today, kinds=["assessment.contest_open"])
    assert recipients("assessment.contest_open") == {
        "committee",
        "secretary",
        "member",
        "other_secretary",
    }
    assert Notification.objects.filter(kind="assessment.contest_open").count() == 4


def test_a_contest_opened_last_week_is_not_announced_again(world, bank):
    make_contest(world.committee, opens_at=timezone.now() - datetime.timedelta(days=7))
    sweeps_run(on=timezone.localdate(), kinds=["assessment.contest_open"])
    assert recipients("assessment.contest_open") == set()


def test_closing_soon_skips_those_who_took_part(world, bank):
    contest = make_contest(world.committee, closes_at=timezone.now() + datetime.timedelta(days=1))
    finish(contest, world.member, correct=3)
    sweeps_run(on=timezone.localdate(), kinds=["assessment.contest_closing"])
    assert recipients("assessment.contest_closing") == {"committee", "secretary", "other_secretary"}


def test_a_contest_closing_next_month_sends_nothing_yet(world, bank):
    make_contest(world.committee, closes_at=timezone.now() + datetime.timedelta(days=30))
    sweeps_run(on=timezone.localdate(), kinds=["assessment.contest_closing"])
    assert recipients("assessment.contest_closing") == set()


def test_branch_contest_reaches_only_that_branch(world, bank):
    from tests.assessment.conftest import make_bank

    make_bank(world.branch)
    make_contest(world.branch)
    sweeps_run(on=timezone.localdate(), kinds=["assessment.contest_open"])
    assert recipients("assessment.contest_open") == {"committee", "secretary", "member"}


def test_sweep_query_count_does_not_grow_with_members(world, bank, django_assert_num_queries):
    from tests.factories import member_of

    make_contest(world.committee)
    for n in range(30):
        member_of(world.sibling_branch, username=f"extra{n}")
    # the admin setting (first run: select, savepoint, insert, release), contests, members;
    # then the write: savepoint, [existing keys: not on PostgreSQL, whose INSERT … RETURNING
    # says what is new], preferences, addresses, insert, unread counts, release
    from django.db import connection

    with django_assert_num_queries(12 if connection.vendor == "postgresql" else 13):
        sweeps_run(on=timezone.localdate(), kinds=["assessment.contest_open"])
    assert Notification.objects.count() == 34
