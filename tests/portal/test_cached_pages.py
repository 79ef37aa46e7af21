"""What is kept in the cache across requests is never stale and never crosses users.

The scope (portal/scoping.py), the home cards (portal/dashboard.py) and list bodies
(portal/fragments.py) are cached under the database's change stamps: each test fills the
cache with one request, changes a record the way the product does, and asks again.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from portal.models import Position
from tests.factories import PositionFactory


def _meeting(world, topic, *, starts_at=None, host=None):
    return meeting_services.meeting_create(
        organisation=world.branch,
        kind=Meeting.Kind.COMMITTEE_MEETING,
        topic=topic,
        starts_at=starts_at or timezone.now() - datetime.timedelta(days=1),
        by=world.secretary,
        host=host,
    )


# --- the scope ----------------------------------------------------------------------------


def test_a_post_ended_takes_the_members_list_away_at_once(as_user, world):
    client = as_user(world.secretary)
    assert client.get(reverse("portal:members")).status_code == 200
    Position.objects.filter(user=world.secretary).update(
        ended_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(reverse("portal:members")).status_code == 302  # to their own profile


def test_a_new_post_gives_the_list_at_once(as_user, world):
    client = as_user(world.member)
    assert client.get(reverse("portal:members")).status_code == 302
    PositionFactory(user=world.member, organisation=world.branch, title=Position.Title.SECRETARY)
    assert client.get(reverse("portal:members")).status_code == 200


def test_a_post_starting_tomorrow_counts_from_tomorrow(as_user, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    PositionFactory(
        user=world.member,
        organisation=world.branch,
        title=Position.Title.SECRETARY,
        started_on=tomorrow,
    )
    assert as_user(world.member).get(reverse("portal:members")).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        # a new login (the first session has expired by then); the cached scope has not
        assert as_user(world.member).get(reverse("portal:members")).status_code == 200


def test_the_scope_costs_no_query_once_cached(as_user, world, django_assert_num_queries):
    client = as_user(world.secretary)
    client.get(reverse("portal:notification_settings"))
    # session, user, stamps (the scope comes with them), the preferences
    with django_assert_num_queries(4):
        client.get(reverse("portal:notification_settings"))


# --- the home page's cards -----------------------------------------------------------------


@pytest.mark.parametrize("page", ["portal:home", "meetings:dashboard"])
def test_a_meeting_added_shows_on_the_members_home_pages_at_once(as_user, world, page):
    client = as_user(world.member)
    assert "学习贯彻新精神" not in client.get(reverse(page)).content.decode()
    _meeting(world, "学习贯彻新精神", starts_at=timezone.now() + datetime.timedelta(days=2))
    assert "学习贯彻新精神" in client.get(reverse(page)).content.decode()


def test_the_upcoming_card_drops_a_meeting_once_it_has_started(as_user, world):
    _meeting(world, "即将开始的会", starts_at=timezone.now() + datetime.timedelta(minutes=5))
    client = as_user(world.member)
    assert "即将开始的会" in client.get(reverse("portal:home")).content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        assert "即将开始的会" not in client.get(reverse("portal:home")).content.decode()


def test_cards_are_not_shared_between_users(as_user, world):
    _meeting(world, "本支部的会", starts_at=timezone.now() + datetime.timedelta(days=2))
    assert "本支部的会" in as_user(world.member).get(reverse("portal:home")).content.decode()
    assert "本支部的会" not in as_user(world.outsider).get(reverse("portal:home")).content.decode()


def test_the_home_page_costs_few_queries_once_cached(as_user, world, django_assert_num_queries):
    client = as_user(world.secretary)
    first = client.get(reverse("portal:home"))
    # Within the minute, the whole body from the cache: session, user, stamps.
    with django_assert_num_queries(3):
        again = client.get(reverse("portal:home"))
    assert again.content.count(b"data-testid=") == first.content.count(b"data-testid=")


# --- list bodies ---------------------------------------------------------------------------


def test_the_meeting_list_shows_a_new_record_and_a_new_name(as_user, world):
    client = as_user(world.secretary)
    _meeting(world, "第一次会议", host=world.member)
    assert "第一次会议" in client.get(reverse("meetings:list")).content.decode()
    _meeting(world, "第二次会议")
    body = client.get(reverse("meetings:list")).content.decode()
    assert "第一次会议" in body and "第二次会议" in body
    world.member.name = "刘改名"
    world.member.save()
    assert "刘改名" in client.get(reverse("meetings:list")).content.decode()


def test_the_meeting_list_is_cached_per_scope(as_user, world, django_assert_num_queries):
    _meeting(world, "本支部的会")
    client = as_user(world.secretary)
    # session, user, stamps, scope (2), then the body: the filter's organisations, the
    # count and the rows
    with django_assert_num_queries(8):
        assert "本支部的会" in client.get(reverse("meetings:list")).content.decode()
    with django_assert_num_queries(3):  # session, user, stamps
        assert "本支部的会" in client.get(reverse("meetings:list")).content.decode()
    # the same path for someone who may not see the branch: their own body
    assert (
        "本支部的会" not in as_user(world.outsider).get(reverse("meetings:list")).content.decode()
    )


def test_filters_are_part_of_the_key(as_user, world):
    _meeting(world, "甲会议")
    _meeting(world, "乙会议")
    client = as_user(world.secretary)
    assert "乙会议" in client.get(reverse("meetings:list")).content.decode()
    filtered = client.get(reverse("meetings:list"), {"q": "甲"}).content.decode()
    assert "甲会议" in filtered and "乙会议" not in filtered


def test_the_member_list_shows_a_renamed_member(as_user, world):
    client = as_user(world.secretary)
    assert "刘党员" in client.get(reverse("portal:members")).content.decode()
    world.member.name = "刘二党员"
    world.member.save(update_fields=["name"])
    body = client.get(reverse("portal:members")).content.decode()
    assert "刘二党员" in body and "刘党员<" not in body


@pytest.mark.parametrize("name", ["meetings:list", "meetings:dashboard", "portal:members"])
def test_an_outsider_never_sees_the_branch_in_a_cached_body(as_user, world, name):
    _meeting(world, "本支部的会")
    as_user(world.secretary).get(reverse(name))  # fills the cache for the secretary
    body = as_user(world.outsider).get(reverse(name)).content.decode()
    assert "本支部的会" not in body and "王书记" not in body
