"""A member's own contribution page."""

import datetime

import pytest
from django.urls import reverse

from learning.models import Reflection, StudyLog
from meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
URL = reverse("scorecards:mine")


@pytest.fixture
def records(world):
    at = datetime.datetime(2026, 8, 1, 9, tzinfo=SHANGHAI)
    for n in range(12):
        Reflection.objects.create(
            author=world.member,
            organisation=world.branch,
            title=f"体会{n}",
            status="submitted",
            submitted_at=at,
        )
        meeting = Meeting.objects.create(
            organisation=world.branch,
            kind="themed_party_day",
            topic=f"主题党日{n}",
            starts_at=at,
            held_on=at.date(),
            status="submitted",
            filed_at=at,
        )
        Attendance.objects.create(meeting=meeting, user=world.member, status="present")
    StudyLog.objects.create(
        user=world.member,
        organisation=world.branch,
        studied_on=at.date(),
        minutes=90,
        method="self",
    )
    return world


def test_the_member_sees_what_of_theirs_counted(as_user, records):
    response = as_user(records.member).get(URL, {"quarter": "2026-Q3"})
    rows = {row.code: row.items for row in response.context["contribution"]}
    assert len(rows["reflections"]) == 12 and len(rows["meetings"]) == 12
    assert rows["study"][0].label.startswith("1.5")
    # Another member's page shows none of it.
    other = as_user(records.secretary).get(URL, {"quarter": "2026-Q3"})
    assert all(not row.items for row in other.context["contribution"])
    # No commendation yet: said in words, not a lone dash.
    assert "暂未获得表彰" in response.content.decode()


def test_query_count_does_not_grow_with_records(as_user, records, django_assert_num_queries):
    client = as_user(records.member)
    # 1 session, 1 user, 1 change stamps (the scope's key), 2 scope, 1 membership,
    # 1 branch scorecards, 5 contributions (meetings, study, reflections, contests,
    # research), 1 my commendations, 1 the branch's commendations
    with django_assert_num_queries(14):
        client.get(URL, {"quarter": "2026-Q3"})


def test_someone_without_a_membership_gets_an_empty_page(as_user, world):
    from tests.factories import UserFactory

    nobody = UserFactory(username="nobody")
    assert as_user(nobody).get(URL).status_code == 200
