"""The member page (profile and the history of posts) runs a fixed number of queries
however long the history (pinned with the province-scale work, issue 8)."""

import datetime

import pytest
from django.urls import reverse

from portal.models import Position
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def test_member_page_query_count_does_not_grow_with_posts(
    as_user, world, django_assert_num_queries
):
    # Twelve earlier posts (ended) and one current: thirteen rows of history.
    for n in range(12):
        PositionFactory(
            user=world.member,
            organisation=world.group if n % 2 else world.branch,
            title=Position.Title.GROUP_LEADER if n % 2 else Position.Title.PROPAGANDA_COMMITTEE,
            started_on=datetime.date(2000 + n, 1, 1),
            ended_on=datetime.date(2000 + n, 12, 31),
        )
    client = as_user(world.committee_user)
    url = reverse("portal:member", args=[world.member.pk])
    # session, user, change stamps, scope positions, scope membership, the member's
    # membership with branch and group, their posts with organisations, their commendations
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert b"2011" in response.content
