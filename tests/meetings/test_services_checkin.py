"""QR self check-in: a signed token that expires, valid only for its own meeting."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import Attendance, Meeting
from tests.meetings.conftest import NOW, at, record

pytestmark = pytest.mark.django_db


def test_member_checks_in_with_a_fresh_token(world, frozen):
    meeting = record(
        world.branch,
        Meeting.Kind.BRANCH_ASSEMBLY,
        when=at(2026, 6, 15, 9),
        by=world.secretary,
        present=False,
    )
    token = services.checkin_token(meeting)
    row = services.meeting_check_in(meeting=meeting, user=world.member, token=token)
    assert row.status == Attendance.Status.PRESENT and row.checked_in_at is not None


def test_token_is_refused_after_it_expires(world):
    with time_machine.travel(NOW, tick=False) as traveller:
        meeting = record(
            world.branch,
            Meeting.Kind.BRANCH_ASSEMBLY,
            when=at(2026, 6, 15, 9),
            by=world.secretary,
            present=False,
        )
        token = services.checkin_token(meeting)
        traveller.shift(datetime.timedelta(seconds=121))
        with pytest.raises(ValidationError, match="过期"):
            services.meeting_check_in(meeting=meeting, user=world.member, token=token)
    assert meeting.attendances.get(user=world.member).status == Attendance.Status.ABSENT


def test_token_is_refused_for_another_meeting(world, frozen):
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
    with pytest.raises(ValidationError, match="另一场会议"):
        services.meeting_check_in(
            meeting=other, user=world.member, token=services.checkin_token(meeting)
        )


def test_forged_token_is_refused(world, frozen):
    meeting = record(world.branch, by=world.secretary, present=False)
    with pytest.raises(ValidationError):
        services.meeting_check_in(meeting=meeting, user=world.member, token="abc:def:ghi")


def test_archived_meeting_refuses_check_in(world, frozen):
    meeting = record(
        world.branch, when=at(2026, 6, 15, 9), by=world.secretary, status="archived", present=False
    )
    with pytest.raises(ValidationError):
        services.meeting_check_in(
            meeting=meeting, user=world.member, token=services.checkin_token(meeting)
        )
