"""Who sees and manages what, asked of the one scoping module every app uses."""

from portal.models import Membership, Organisation, User
from portal.scoping import scope_for


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_committee_sees_its_whole_subtree_and_nothing_else(world):
    visible = names(Organisation.objects.visible_to(world.committee_user))
    assert visible == {"示范党委", "第一党支部", "第一党小组", "第二党支部"}
    members = set(
        Membership.objects.visible_to(world.committee_user).values_list("user__username", flat=True)
    )
    assert "outsider" not in members
    assert {"secretary", "member", "other_secretary", "committee"} <= members


def test_committee_oversees_but_does_not_manage_branches(world):
    scope = scope_for(world.committee_user)
    assert scope.can_see_organisation(world.sibling_branch)
    assert not scope.can_manage_organisation(world.sibling_branch)
    assert scope.can_manage_organisation(world.committee)


def test_secretary_manages_own_branch_and_its_groups_only(world):
    managed = names(Organisation.objects.managed_by(world.secretary))
    assert managed == {"第一党支部", "第一党小组"}
    scope = scope_for(world.secretary)
    assert not scope.can_manage_organisation(world.sibling_branch)
    assert not scope.can_see_organisation(world.sibling_branch)
    assert not scope.can_manage_organisation(world.committee)


def test_member_sees_only_self_and_own_branch(world):
    assert names(Organisation.objects.visible_to(world.member)) == {"第一党支部", "第一党小组"}
    people = set(User.objects.visible_to(world.member).values_list("username", flat=True))
    assert people == {"member"}
    assert not scope_for(world.member).manages


def test_group_leader_manages_their_group(world):
    from portal.models import Position
    from tests.factories import PositionFactory

    PositionFactory(user=world.member, organisation=world.group, title=Position.Title.GROUP_LEADER)
    world.member.refresh_from_db()
    assert names(Organisation.objects.managed_by(world.member)) == {"第一党小组"}
    people = set(User.objects.visible_to(world.member).values_list("username", flat=True))
    assert people == {"member", "secretary"}


def test_ended_position_gives_no_scope(world):
    import datetime

    position = world.secretary.positions.get()
    position.ended_on = datetime.date(2021, 1, 1)
    position.save(update_fields=["ended_on"])
    world.secretary.refresh_from_db()
    assert not scope_for(world.secretary).manages


def test_superuser_sees_all(world):
    admin = User.objects.create_superuser("root", password="x-long-password")
    assert Organisation.objects.visible_to(admin).count() == Organisation.objects.count()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Organisation.objects.visible_to(AnonymousUser()).exists()


def test_scope_costs_two_queries_once_per_request(world, django_assert_num_queries):
    user = User.objects.get(pk=world.secretary.pk)
    # the change stamps (the cache key); current positions; own membership
    with django_assert_num_queries(3):
        scope_for(user)
        scope_for(user)
    # Another request (a new user object): from the cache, the stamps only.
    again = User.objects.get(pk=world.secretary.pk)
    with django_assert_num_queries(1):
        assert scope_for(again) == scope_for(user)
    assert again._portal_scope_membership.branch == world.branch  # type: ignore[attr-defined]
