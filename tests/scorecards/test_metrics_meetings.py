"""三会一课 compliance, records on time and 谈心谈话 coverage, on hand-built records."""

import datetime

import pytest

from meetings.models import Meeting, Talk
from portal.models import Position
from scorecards.metrics import METRICS
from tests.factories import PositionFactory, member_of
from tests.scorecards.conftest import Q3

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def held(org, kind, day, *, late=False, topic="学习研讨", status=Meeting.Status.SUBMITTED):
    starts = datetime.datetime(day.year, day.month, day.day, 14, tzinfo=SHANGHAI)
    return Meeting.objects.create(
        organisation=org,
        kind=kind,
        topic=topic,
        starts_at=starts,
        held_on=day,
        status=status,
        filed_at=starts + datetime.timedelta(days=40 if late else 1),
        is_late=late,
    )


def value(code, branch, period=Q3):
    result = METRICS[code].function([branch.pk], period).get(branch.pk)
    return result


def test_two_of_three_monthly_committee_meetings_score_two_thirds(world, in_q4):
    held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 7, 8))
    held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 8, 6))
    # Two in one month do not make up for the month without one.
    held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 8, 20))
    # A draft does not count, nor does a meeting of the next quarter.
    held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 9, 9), status="draft")
    held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 10, 9))
    result = value("meetings.compliance.committee_meeting", world.branch)
    assert result.value == pytest.approx(2 / 3)
    assert len(result.evidence) == 3 and "/meetings/" in result.evidence[0].url
    assert "2/3" in result.note


def test_overall_compliance_is_the_average_over_the_kinds_due(world, in_q4):
    for month in (7, 8, 9):
        held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, month, 5))
        held(world.branch, Meeting.Kind.THEMED_PARTY_DAY, datetime.date(2026, month, 1))
        held(world.group, Meeting.Kind.GROUP_MEETING, datetime.date(2026, month, 10))
    held(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, datetime.date(2026, 9, 1))
    # No 党课 this quarter: one kind of five is missed entirely.
    result = value("meetings.compliance", world.branch)
    assert result.value == pytest.approx(4 / 5)
    assert value("meetings.compliance.group_meeting", world.branch).value == 1.0
    assert value("meetings.compliance.party_lecture", world.branch).value == 0.0


def test_a_quarter_in_progress_is_not_marked_down_for_what_is_not_yet_due(world):
    import time_machine

    held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 7, 8))
    with time_machine.travel(datetime.datetime(2026, 8, 3, tzinfo=SHANGHAI), tick=False):
        # July is met; August is still running and September has not begun.
        assert value("meetings.compliance.committee_meeting", world.branch).value == 1.0


def test_records_filed_on_time_against_backfilled(world, in_q4):
    held(world.branch, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 7, 8))
    held(world.branch, Meeting.Kind.THEMED_PARTY_DAY, datetime.date(2026, 7, 1))
    held(world.group, Meeting.Kind.GROUP_MEETING, datetime.date(2026, 8, 1))
    held(
        world.branch, Meeting.Kind.PARTY_LECTURE, datetime.date(2026, 9, 1), late=True, topic="补学"
    )
    result = value("meetings.records_on_time", world.branch)
    assert result.value == pytest.approx(3 / 4)
    assert "补记" in result.evidence[0].label or "backfilled" in result.evidence[0].label
    assert value("meetings.records_on_time", world.sibling_branch) is None


def test_talk_coverage_counts_pairs_of_an_officer_and_a_member(world, in_q4):
    # 第一党支部: officers 王书记 and 李委员 (both members); members also 刘党员, 张委员 and
    # one more: 5 members. Pairs: 2 × 5 − 2 − 1 = 7.
    deputy = member_of(world.branch, username="deputy", name="李委员")
    PositionFactory(user=deputy, organisation=world.branch, title=Position.Title.COMMITTEE_MEMBER)
    extra = member_of(world.branch, username="extra", name="孙党员")
    day = datetime.date(2026, 5, 10)
    Talk.objects.create(
        organisation=world.branch,
        initiator=world.secretary,
        partner=world.member,
        held_on=day,
        topic="思想",
    )
    # The same pair again, the other way round: still one pair.
    Talk.objects.create(
        organisation=world.branch,
        initiator=world.member,
        partner=world.secretary,
        held_on=day,
        topic="工作",
    )
    Talk.objects.create(
        organisation=world.branch, initiator=deputy, partner=extra, held_on=day, topic="学习"
    )
    # Two plain members talking is not a committee talk; last year's does not count.
    Talk.objects.create(
        organisation=world.branch, initiator=world.member, partner=extra, held_on=day, topic="闲谈"
    )
    Talk.objects.create(
        organisation=world.branch,
        initiator=deputy,
        partner=world.committee_user,
        held_on=datetime.date(2025, 12, 1),
        topic="去年",
    )
    result = value("meetings.talk_coverage", world.branch)
    assert result.value == pytest.approx(2 / 7)
    assert "2" in result.evidence[0].label and "7" in result.evidence[0].label


def test_meeting_metrics_cost_a_fixed_number_of_queries(
    world, many_branches, in_q4, django_assert_max_num_queries
):
    ids = [world.branch.pk, world.sibling_branch.pk] + [b.pk for b in many_branches]
    for b in many_branches:
        held(b, Meeting.Kind.COMMITTEE_MEETING, datetime.date(2026, 7, 8))
    for code in ["meetings.compliance", "meetings.records_on_time", "meetings.talk_coverage"]:
        with django_assert_max_num_queries(8):
            METRICS[code].function(ids, Q3)
