"""读书会 / 主题教育 activities members join, and the committee's 中心组学习."""

from django.urls import reverse

from learning.models import CentreGroupSession
from tests.factories import member_of


def test_member_joins_the_reading_club(as_user, world, records):
    as_user(world.member).post(reverse("learning:activity_join", args=[records.activity.pk]))
    assert world.member in records.activity.participants.all()


def test_sibling_member_cannot_join_another_branch_activity(as_user, world, records):
    sibling = member_of(world.sibling_branch, username="sib")
    assert (
        as_user(sibling)
        .post(reverse("learning:activity_join", args=[records.activity.pk]))
        .status_code
        == 404
    )


def test_committee_records_a_session_with_attendance_and_a_speech(as_user, world):
    client = as_user(world.committee_user)
    client.post(
        reverse("learning:centre_group"),
        {
            "organisation": world.committee.pk,
            "held_on": "2026-06-10",
            "kind": "keynote",
            "topic": "学习贯彻全会精神",
            "task_topic": "二十届三中全会精神",
            "attendees": [world.committee_user.pk],
        },
    )
    session = CentreGroupSession.objects.get()
    assert session.task.topic == "二十届三中全会精神" and list(session.attendees.all()) == [
        world.committee_user
    ]
    client.post(
        reverse("learning:centre_session", args=[session.pk]),
        {"speaker": world.committee_user.pk, "text": "中心发言正文"},
    )
    assert session.speeches.get().text == "中心发言正文"


def test_branch_secretary_cannot_open_centre_group(as_user, world, records):
    assert as_user(world.secretary).get(reverse("learning:centre_group")).status_code == 404
    assert (
        as_user(world.secretary)
        .get(reverse("learning:centre_session", args=[records.session.pk]))
        .status_code
        == 404
    )
