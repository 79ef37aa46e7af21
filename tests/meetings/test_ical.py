"""The member's calendar feed at a secret URL."""

import pytest
from django.urls import reverse

from meetings import ical
from meetings.models import Meeting
from tests.meetings.conftest import at, record

pytestmark = pytest.mark.django_db


def test_feed_lists_the_members_upcoming_meetings(client, world, frozen):
    record(
        world.branch,
        Meeting.Kind.PARTY_LECTURE,
        when=at(2026, 6, 20),
        by=world.secretary,
        topic="七一党课,专题",
    )
    record(
        world.group,
        Meeting.Kind.GROUP_MEETING,
        when=at(2026, 6, 22),
        by=world.secretary,
        topic="小组学习",
    )
    record(
        world.sibling_branch,
        Meeting.Kind.PARTY_LECTURE,
        when=at(2026, 6, 20),
        by=world.other_secretary,
        topic="别的支部",
    )
    response = client.get(reverse("meetings:ical_feed", args=[ical.feed_token(world.member)]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 2
    assert "七一党课\\,专题" in body and "别的支部" not in body
    assert "DTSTART:20260620T060000Z" in body


def test_changing_the_password_revokes_the_feed(client, world, frozen):
    token = ical.feed_token(world.member)
    world.member.set_password("another-pass-123")
    world.member.save()
    assert client.get(reverse("meetings:ical_feed", args=[token])).status_code == 404


def test_member_sees_their_feed_address(as_user, world):
    response = as_user(world.member).get(reverse("meetings:ical"))
    assert ".ics" in response.context["url"]


def test_long_lines_are_folded():
    lines = ical._fold("SUMMARY:" + "党" * 60)
    assert all(len(line.encode()) <= 75 for line in lines) and lines[1].startswith(" ")
