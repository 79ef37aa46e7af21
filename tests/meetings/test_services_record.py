"""The record's life: expected attendees, draft → submitted → archived, 补记, quorum and
amendments that keep the earlier version."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from meetings import services
from meetings.models import Attendance, Meeting
from portal.models import Membership, Position
from tests.factories import PositionFactory, member_of
from tests.meetings.conftest import at, record

pytestmark = pytest.mark.django_db


def expected_names(meeting):
    return sorted(a.user.name for a in meeting.attendances.filter(is_guest=False))


def test_branch_assembly_expects_every_branch_member(world, frozen):
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary)
    assert expected_names(meeting) == sorted(["张委员", "王书记", "刘党员"])


def test_committee_meeting_expects_the_branch_officers_in_post_on_the_day(world, officers, frozen):
    former = member_of(world.branch, username="former", name="前委员")
    PositionFactory(
        user=former,
        organisation=world.branch,
        title=Position.Title.COMMITTEE_MEMBER,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2026, 3, 31),
    )
    meeting = record(world.branch, Meeting.Kind.COMMITTEE_MEETING, by=world.secretary)
    assert expected_names(meeting) == sorted(["王书记", "李组织", "周宣传"])
    earlier = record(
        world.branch, Meeting.Kind.COMMITTEE_MEETING, when=at(2026, 3, 2), by=world.secretary
    )
    assert "前委员" in expected_names(earlier)


def test_group_meeting_expects_the_group_members(world, frozen):
    meeting = record(world.group, Meeting.Kind.GROUP_MEETING, by=world.secretary)
    assert expected_names(meeting) == sorted(["王书记", "刘党员"])


def test_group_meeting_must_belong_to_a_group(world, frozen):
    with pytest.raises(ValidationError):
        record(world.branch, Meeting.Kind.GROUP_MEETING, by=world.secretary)
    with pytest.raises(ValidationError):
        record(world.group, Meeting.Kind.PARTY_LECTURE, by=world.secretary)


def test_probationary_member_is_expected_without_a_vote(world, frozen):
    Membership.objects.filter(user=world.member).update(status=Membership.Status.PROBATIONARY)
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, present=False)
    row = meeting.attendances.get(user=world.member)
    assert row.has_vote is False
    quorum = services.quorum_of(meeting.attendances.all())
    assert quorum.voting == 2


def test_quorum_needs_more_than_half_present(world, frozen):
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, present=False)
    services.meeting_mark_attendance(
        meeting=meeting,
        by=world.secretary,
        marks={world.secretary.pk: ("present", ""), world.member.pk: ("leave", "出差")},
    )
    quorum = services.quorum_of(meeting.attendances.all())
    assert (quorum.voting, quorum.present, quorum.met) == (3, 1, False)
    services.meeting_mark_attendance(
        meeting=meeting, by=world.secretary, marks={world.committee_user.pk: ("present", "")}
    )
    assert services.quorum_of(meeting.attendances.all()).met is True


def test_leave_without_reason_is_refused(world, frozen):
    meeting = record(world.branch, by=world.secretary)
    with pytest.raises(ValidationError):
        services.meeting_mark_attendance(
            meeting=meeting, by=world.secretary, marks={world.secretary.pk: ("leave", " ")}
        )


def test_guest_is_added_as_non_voting_attendee(world, frozen):
    meeting = record(world.branch, Meeting.Kind.COMMITTEE_MEETING, by=world.secretary)
    services.meeting_mark_attendance(
        meeting=meeting, by=world.secretary, marks={}, guests=[world.member]
    )
    guest = meeting.attendances.get(user=world.member)
    assert guest.is_guest and not guest.has_vote and guest.status == Attendance.Status.PRESENT


def test_submit_keeps_the_filing_time_beside_the_meeting_date(world, frozen):
    meeting = record(world.branch, by=world.secretary, when=at(2026, 6, 12))
    services.meeting_submit(meeting=meeting, by=world.secretary)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED
    assert meeting.held_on == datetime.date(2026, 6, 12)
    assert meeting.filed_at.date() == datetime.date(2026, 6, 15)
    assert meeting.is_late is False


@override_settings(MEETINGS_LATE_AFTER_DAYS=7)
def test_record_filed_more_than_the_threshold_after_is_late(world, frozen):
    late = record(world.branch, by=world.secretary, when=at(2026, 6, 1))
    services.meeting_submit(meeting=late, by=world.secretary)
    late.refresh_from_db()
    assert late.is_late is True
    prompt = record(world.branch, by=world.secretary, when=at(2026, 6, 10))
    services.meeting_submit(meeting=prompt, by=world.secretary)
    prompt.refresh_from_db()
    assert prompt.is_late is False


def test_future_meeting_cannot_be_submitted(world, frozen):
    meeting = record(world.branch, by=world.secretary, when=at(2026, 7, 1))
    with pytest.raises(ValidationError):
        services.meeting_submit(meeting=meeting, by=world.secretary)


def test_only_a_submitted_record_is_archived(world, frozen):
    meeting = record(world.branch, by=world.secretary)
    with pytest.raises(ValidationError):
        services.meeting_archive(meeting=meeting, by=world.secretary)


def test_archived_record_refuses_every_write_but_an_amendment(world, frozen):
    meeting = record(world.branch, by=world.secretary, status="archived")
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=world.secretary, topic="改")
    with pytest.raises(ValidationError):
        services.meeting_mark_attendance(
            meeting=meeting, by=world.secretary, marks={world.secretary.pk: ("absent", "")}
        )
    with pytest.raises(ValidationError):
        services.meeting_return_to_draft(meeting=meeting, by=world.secretary)
    meeting.refresh_from_db()
    assert meeting.topic == "研究工作"


def test_amendment_keeps_the_earlier_version_and_who_what_why(world, frozen):
    meeting = record(world.branch, by=world.secretary, status="archived")
    amendment = services.meeting_amend(
        meeting=meeting,
        by=world.secretary,
        reason="记录人笔误",
        topic="研究六月工作",
        marks={world.secretary.pk: ("leave", "病假")},
    )
    meeting.refresh_from_db()
    assert meeting.topic == "研究六月工作" and meeting.version == 2
    assert meeting.status == Meeting.Status.ARCHIVED
    assert amendment.amended_by == world.secretary and amendment.reason == "记录人笔误"
    assert amendment.previous["topic"] == "研究工作"
    assert amendment.changes["topic"] == {"from": "研究工作", "to": "研究六月工作"}
    assert "王书记" in amendment.changes["attendance"]


def test_amendment_needs_a_reason_and_a_change(world, frozen):
    meeting = record(world.branch, by=world.secretary, status="archived")
    with pytest.raises(ValidationError):
        services.meeting_amend(meeting=meeting, by=world.secretary, reason="", topic="x")
    with pytest.raises(ValidationError):
        services.meeting_amend(meeting=meeting, by=world.secretary, reason="无", topic="研究工作")


def test_draft_cannot_be_amended(world, frozen):
    meeting = record(world.branch, by=world.secretary)
    with pytest.raises(ValidationError):
        services.meeting_amend(meeting=meeting, by=world.secretary, reason="r", topic="x")


def test_resolutions_without_quorum_cannot_be_submitted(world, frozen):
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, present=False)
    services.meeting_update(meeting=meeting, by=world.secretary, resolutions="同意接收预备党员")
    services.meeting_mark_attendance(
        meeting=meeting, by=world.secretary, marks={world.secretary.pk: ("present", "")}
    )
    with pytest.raises(ValidationError, match="超过半数"):
        services.meeting_submit(meeting=meeting, by=world.secretary)
    services.meeting_mark_attendance(
        meeting=meeting, by=world.secretary, marks={world.member.pk: ("present", "")}
    )
    assert services.meeting_submit(meeting=meeting, by=world.secretary).status == "submitted"


def test_a_lecture_without_quorum_is_still_submitted(world, frozen):
    meeting = record(world.branch, Meeting.Kind.PARTY_LECTURE, by=world.secretary, present=False)
    services.meeting_update(meeting=meeting, by=world.secretary, resolutions="无")
    assert services.meeting_submit(meeting=meeting, by=world.secretary).status == "submitted"
