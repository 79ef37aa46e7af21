"""组织生活会 entries, 双重组织生活会 of leading cadres, 谈心谈话 and its coverage."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import selectors, services
from meetings.models import LifeMeetingEntry, Meeting, Talk
from portal.models import Membership
from tests.meetings.conftest import at, record

pytestmark = pytest.mark.django_db


def test_secretary_records_party_spirit_analysis_per_member(as_user, world, frozen):
    meeting = record(world.branch, Meeting.Kind.ORGANISATIONAL_LIFE, by=world.secretary)
    url = reverse("meetings:life", args=[meeting.pk])
    client = as_user(world.secretary)
    response = client.post(
        url,
        {
            "member": world.member.pk,
            "party_spirit_analysis": "理论学习不够深入",
            "self_criticism": "学用结合不够",
        },
    )
    assert response.status_code == 302
    entry = LifeMeetingEntry.objects.get()
    assert entry.member == world.member and entry.self_criticism == "学用结合不够"
    client.post(
        url, {"member": world.member.pk, "party_spirit_analysis": "改", "self_criticism": "改"}
    )
    assert LifeMeetingEntry.objects.count() == 1


def test_member_sees_only_their_own_entry_and_cannot_write(as_user, world, frozen):
    meeting = record(world.branch, Meeting.Kind.ORGANISATIONAL_LIFE, by=world.secretary)
    services.life_entry_save(
        meeting=meeting,
        member=world.member,
        by=world.secretary,
        party_spirit_analysis="甲",
        self_criticism="乙",
    )
    services.life_entry_save(
        meeting=meeting,
        member=world.committee_user,
        by=world.secretary,
        party_spirit_analysis="丙",
        self_criticism="丁",
    )
    client = as_user(world.member)
    response = client.get(reverse("meetings:life", args=[meeting.pk]))
    assert [e.member for e in response.context["entries"]] == [world.member]
    assert client.post(reverse("meetings:life", args=[meeting.pk]), {}).status_code == 404


def test_life_entries_refused_on_other_kinds_and_archived(world, frozen):
    lecture = record(world.branch, Meeting.Kind.PARTY_LECTURE, by=world.secretary)
    with pytest.raises(ValidationError):
        services.life_entry_save(
            meeting=lecture,
            member=world.member,
            by=world.secretary,
            party_spirit_analysis="a",
            self_criticism="b",
        )
    archived = record(
        world.branch, Meeting.Kind.ORGANISATIONAL_LIFE, by=world.secretary, status="archived"
    )
    with pytest.raises(ValidationError):
        services.life_entry_save(
            meeting=archived,
            member=world.member,
            by=world.secretary,
            party_spirit_analysis="a",
            self_criticism="b",
        )


def test_leading_cadre_attendance_counts_as_dual_organisational_life(world, frozen):
    Membership.objects.filter(user__in=[world.committee_user, world.member]).update(
        is_leading_cadre=True
    )
    meeting = record(
        world.branch,
        Meeting.Kind.ORGANISATIONAL_LIFE,
        by=world.secretary,
        status="submitted",
        present=False,
    )
    services.meeting_update
    from meetings.models import Attendance

    Attendance.objects.filter(meeting=meeting, user=world.committee_user).update(status="present")
    rows = {d.membership.user: d for d in selectors.dual_life(world.branch, 2026)}
    assert rows[world.committee_user].done and rows[world.committee_user].attended == [meeting]
    assert not rows[world.member].done


def test_talk_coverage_counts_officer_member_pairs(world, officers, frozen):
    coverage = selectors.talk_coverage(world.branch, 2026)
    # 3 officers × (5 members of the branch − themselves)
    assert coverage.required == 12 and coverage.covered == 0
    services.talk_create(
        organisation=world.branch,
        initiator=world.member,
        partner=world.secretary,
        held_on=datetime.date(2026, 3, 1),
        topic="思想交流",
        by=world.member,
    )
    coverage = selectors.talk_coverage(world.branch, 2026)
    assert coverage.covered == 1 and (world.secretary, world.member) not in coverage.missing


def test_talk_rules(world, frozen):
    with pytest.raises(ValidationError):
        services.talk_create(
            organisation=world.branch,
            initiator=world.member,
            partner=world.member,
            held_on=datetime.date(2026, 3, 1),
            topic="x",
            by=world.member,
        )
    with pytest.raises(ValidationError):
        services.talk_create(
            organisation=world.branch,
            initiator=world.member,
            partner=world.secretary,
            held_on=datetime.date(2026, 7, 1),
            topic="x",
            by=world.member,
        )
    with pytest.raises(ValidationError):
        services.talk_create(
            organisation=world.branch,
            initiator=world.member,
            partner=world.outsider,
            held_on=datetime.date(2026, 3, 1),
            topic="x",
            by=world.member,
        )


def test_member_records_a_talk_through_the_page(as_user, world, frozen):
    client = as_user(world.member)
    response = client.post(
        reverse("meetings:talk_create"),
        {
            "initiator": world.member.pk,
            "partner": world.secretary.pk,
            "held_on": "2026-06-01",
            "topic": "谈学习",
        },
    )
    assert response.status_code == 302
    assert Talk.objects.get().partner == world.secretary
    listed = client.get(reverse("meetings:talks")).context["page"]
    assert len(listed) == 1
    assert len(as_user(world.committee_user).get(reverse("meetings:talks")).context["page"]) == 0


def test_member_cannot_record_a_talk_between_two_others(as_user, world, frozen):
    response = as_user(world.member).post(
        reverse("meetings:talk_create"),
        {
            "initiator": world.committee_user.pk,
            "partner": world.secretary.pk,
            "held_on": "2026-06-01",
            "topic": "x",
        },
    )
    assert response.status_code == 200 and "initiator" in response.context["form"].errors
    assert not Talk.objects.exists()


def test_review_page_refuses_a_fourth_excellent(as_user, world, frozen):
    from tests.factories import member_of

    for n in range(6):
        member_of(world.branch, username=f"p{n}", name=f"评{n}")
    client = as_user(world.secretary)
    url = reverse("meetings:review", args=[world.branch.pk]) + "?year=2026"
    client.post(url)
    page = client.get(url)
    assert "三分之一" in page.content.decode()
    ratings = page.context["form"].ratings
    data = {
        f"final_grade_{r.member_id}": ("excellent" if i < 4 else "qualified")
        for i, r in enumerate(ratings)
    }
    response = client.post(url, data)
    assert response.status_code == 200 and 'data-testid="review-error"' in response.content.decode()
    data[f"final_grade_{ratings[3].member_id}"] = "qualified"
    assert client.post(url, data).status_code == 302


def test_attended_meetings_for_other_apps(world, frozen):
    from meetings.models import Attendance

    held = record(
        world.branch,
        Meeting.Kind.PARTY_LECTURE,
        when=at(2026, 5, 6),
        by=world.secretary,
        status="submitted",
    )
    absent = record(
        world.branch,
        Meeting.Kind.THEMED_PARTY_DAY,
        when=at(2026, 5, 8),
        by=world.secretary,
        status="submitted",
    )
    Attendance.objects.filter(meeting=absent, user=world.member).update(status="absent")
    record(
        world.branch, Meeting.Kind.BRANCH_ASSEMBLY, when=at(2026, 5, 9), by=world.secretary
    )  # draft
    got = list(
        selectors.attended_meetings(
            world.member, datetime.date(2026, 5, 1), datetime.date(2026, 5, 31)
        )
    )
    assert got == [held]


def test_talk_list_query_count(as_user, world, django_assert_num_queries, frozen):
    from tests.factories import member_of

    for n in range(12):
        partner = member_of(world.branch, username=f"t{n}", name=f"谈话对象{n}")
        services.talk_create(
            organisation=world.branch,
            initiator=world.secretary,
            partner=partner,
            held_on=datetime.date(2026, 1 + n % 5, 1 + n),
            topic="谈心",
            by=world.secretary,
        )
    client = as_user(world.secretary)
    # session, user, change stamps, scope positions, scope membership (the scope is then
    # cached), page count (secretary's branches as a subquery), page rows with branch and
    # both people
    with django_assert_num_queries(7):
        response = client.get(reverse("meetings:talks"))
    assert len(response.context["page"]) == 12


def test_review_page_query_count(as_user, world, django_assert_num_queries, frozen):
    from tests.factories import member_of

    for n in range(10):
        member_of(world.branch, username=f"q{n}", name=f"党员{n}")
    client = as_user(world.secretary)
    url = reverse("meetings:review", args=[world.branch.pk]) + "?year=2026"
    client.post(url)
    # session, user, change stamps (the scope, cached by the post), organisation, review,
    # ratings with their members
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["form"].ratings) == 13
