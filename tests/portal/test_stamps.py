"""Change stamps move with every kind of write, in the writing transaction."""

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection, transaction
from django.db.models import F

from meetings.models import ComplianceRule
from portal import stamps
from portal.models import ChangeStamp, Organisation, User
from tests.factories import branch

pytestmark = pytest.mark.django_db(transaction=True)

TREE = ["portal_organisation"]
USERS = ["portal_user"]


def _installed() -> None:
    # A flushed database lost its stamp rows; any write starts them again.
    Organisation.objects.update(name=models_name_unchanged())


def models_name_unchanged():
    from django.db.models import F

    return F("name")


def test_every_kind_of_write_moves_the_stamp(world):
    _installed()
    seen = [stamps.read(TREE)]
    branch(world.committee, "新支部")  # an insert through the ORM (treebeard)
    seen.append(stamps.read(TREE))
    Organisation.objects.filter(name="新支部").update(name="新支部二")  # a bulk update
    seen.append(stamps.read(TREE))
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute(
            "UPDATE portal_organisation SET name = name || '' WHERE id = %s", [world.branch.pk]
        )
    seen.append(stamps.read(TREE))
    Organisation.objects.filter(name="新支部二").delete()
    seen.append(stamps.read(TREE))
    assert len(set(seen)) == len(seen)


def test_a_stamp_moves_only_when_its_transaction_commits(world):
    _installed()
    before = stamps.read(TREE)
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.update(name=models_name_unchanged())
        raise RuntimeError("rolled back")
    assert stamps.read(TREE) == before


def test_other_tables_do_not_move_it(world):
    _installed()
    before = stamps.read(TREE)
    ComplianceRule.objects.update(minimum=1)
    assert stamps.read(TREE) == before


def test_a_missing_stamp_reads_as_zero(world):
    ChangeStamp.objects.filter(name="portal_organisation").delete()
    assert stamps.read(TREE) == "0"
    assert stamps.read([*TREE, "no_such_table"]) == "0.0"


def test_a_request_reads_the_stamps_once(world, django_assert_num_queries):
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        with django_assert_num_queries(1):
            first = stamps.read(TREE)
            assert stamps.read(["portal_membership", *TREE]).endswith(first)
    finally:
        request_finished.send(sender=None)
    # outside a request every read asks the database: a write shows at once
    Organisation.objects.update(name=models_name_unchanged())
    with django_assert_num_queries(1):
        assert stamps.read(TREE) != first


def test_a_login_or_a_notification_does_not_move_the_accounts_stamp(world):
    """Accounts are stamped for what pages show of people, not for logins and counters."""
    world.member.save()  # a flushed database lost its stamp rows; any write starts them
    before = stamps.read(USERS)
    update_last_login(None, world.member)
    User.objects.filter(pk=world.member.pk).update(
        unread_notifications=F("unread_notifications") + 1
    )
    assert stamps.read(USERS) == before
    world.member.name = "刘新名"
    world.member.save()
    assert stamps.read(USERS) != before


def test_an_insert_or_ignore_moves_the_stamp(world):
    """A many-to-many add is an INSERT … ON CONFLICT DO NOTHING (SQLite: INSERT OR
    IGNORE), whose conflict clause SQLite applies to the statements of the triggers too."""
    from portal.models import Position

    world.member.save()
    before = stamps.read(["portal_position"])
    Position.objects.bulk_create(
        [Position(user=world.member, organisation=world.branch, title="committee_member")],
        ignore_conflicts=True,
    )
    assert stamps.read(["portal_position"]) != before
