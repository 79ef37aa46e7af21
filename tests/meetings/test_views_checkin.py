"""The QR page the secretary shows, and the page a member reaches by scanning it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, Meeting
from tests.meetings.conftest import NOW, at, record

pytestmark = pytest.mark.django_db


def test_qr_page_shows_an_svg_code_for_the_checkin_url(as_user, world, frozen):
    meeting = record(
        world.branch,
        Meeting.Kind.BRANCH_ASSEMBLY,
        when=at(2026, 6, 15, 9),
        by=world.secretary,
        present=False,
    )
    response = as_user(world.secretary).get(reverse("meetings:checkin_display", args=[meeting.pk]))
    body = response.content.decode()
    assert "<svg" in body and "/checkin/" in response.context["url"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_member_scans_and_is_marked_present(as_user, world, frozen):
    meeting = record(
        world.branch,
        Meeting.Kind.BRANCH_ASSEMBLY,
        when=at(2026, 6, 15, 9),
        by=world.secretary,
        present=False,
    )
    url = reverse("meetings:checkin", args=[meeting.pk, services.checkin_token(meeting)])
    client = as_user(world.member)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert meeting.attendances.get(user=world.member).status == Attendance.Status.PRESENT


def test_scan_after_expiry_is_refused_with_a_message(as_user, world):
    with time_machine.travel(NOW, tick=False) as traveller:
        meeting = record(
            world.branch,
            Meeting.Kind.BRANCH_ASSEMBLY,
            when=at(2026, 6, 15, 9),
            by=world.secretary,
            present=False,
        )
        url = reverse("meetings:checkin", args=[meeting.pk, services.checkin_token(meeting)])
        traveller.shift(datetime.timedelta(minutes=5))
        response = as_user(world.member).post(url)
    assert response.status_code == 400 and "过期" in response.content.decode()
    assert meeting.attendances.get(user=world.member).status == Attendance.Status.ABSENT


def test_code_of_another_meeting_is_refused(as_user, world, frozen):
    meeting = record(
        world.branch,
        Meeting.Kind.BRANCH_ASSEMBLY,
        when=at(2026, 6, 15, 9),
        by=world.secretary,
        present=False,
    )
    other = record(
        world.branch,
        Meeting.Kind.PARTY_LECTURE,
        when=at(2026, 6, 15, 9),
        by=world.secretary,
        present=False,
    )
    url = reverse("meetings:checkin", args=[other.pk, services.checkin_token(meeting)])
    response = as_user(world.member).post(url)
    assert response.status_code == 400
    assert other.attendances.get(user=world.member).status == Attendance.Status.ABSENT


def test_anonymous_scan_goes_to_login_first(client, world, frozen):
    meeting = record(world.branch, when=at(2026, 6, 15, 9), by=world.secretary)
    url = reverse("meetings:checkin", args=[meeting.pk, services.checkin_token(meeting)])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
