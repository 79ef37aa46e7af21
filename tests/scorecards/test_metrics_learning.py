"""Study plans, personal plans, study hours, reflections and research reports, on
hand-built records."""

import datetime

import pytest
from django.utils import timezone

from learning.models import BranchPlan, Reflection, ResearchReport, StudyLog, StudyPlan
from scorecards.metrics import METRICS
from tests.factories import member_of
from tests.scorecards.conftest import Q3

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def result(code, branch, period=Q3):
    return METRICS[code].function([branch.pk], period).get(branch.pk)


def plan(user, branch, status="approved", hours=40, year=2026):
    return StudyPlan.objects.create(
        user=user,
        organisation=branch,
        year=year,
        goals="学深悟透",
        topics="党章",
        target_hours=hours,
        status=status,
    )


def test_branch_plan_approved_is_full_marks_and_filed_is_half(world):
    BranchPlan.objects.create(
        organisation=world.branch,
        year=2026,
        title="2026年学习计划",
        status="approved",
        filed_by=world.secretary,
    )
    BranchPlan.objects.create(
        organisation=world.sibling_branch,
        year=2026,
        title="计划",
        status="submitted",
        filed_by=world.other_secretary,
    )
    assert result("learning.study_plan", world.branch).value == 1.0
    assert result("learning.study_plan", world.sibling_branch).value == 0.5
    assert "/learning/branch-plans/" in result("learning.study_plan", world.branch).evidence[0].url
    assert result("learning.study_plan", world.branch, period=Q3.__class__(2025, 3)) is None


def test_personal_plans_share_of_members(world):
    # 第一党支部 has 3 members (委员, 书记, 党员): two filed, one still a draft.
    plan(world.secretary, world.branch)
    plan(world.member, world.branch, status="submitted")
    plan(world.committee_user, world.branch, status="draft")
    found = result("learning.personal_plans", world.branch)
    assert found.value == pytest.approx(2 / 3)
    assert len(found.evidence) == 2


def test_study_hours_against_a_quarter_of_the_planned_hours(world):
    plan(world.secretary, world.branch, hours=40)
    plan(world.member, world.branch, hours=40)  # 80 a year: 20 a quarter
    for day, minutes in [(datetime.date(2026, 7, 3), 300), (datetime.date(2026, 8, 3), 300)]:
        StudyLog.objects.create(
            user=world.member,
            organisation=world.branch,
            studied_on=day,
            minutes=minutes,
            method="self",
        )
    # Rejected and other quarters' logs do not count.
    StudyLog.objects.create(
        user=world.member,
        organisation=world.branch,
        studied_on=datetime.date(2026, 8, 4),
        minutes=600,
        method="self",
        status="rejected",
    )
    StudyLog.objects.create(
        user=world.member,
        organisation=world.branch,
        studied_on=datetime.date(2026, 10, 4),
        minutes=600,
        method="self",
    )
    assert result("learning.study_hours", world.branch).value == pytest.approx(10 / 20)


def test_reflections_half_rate_half_grades(world):
    extra = member_of(world.branch, username="extra")  # 4 members now
    at = datetime.datetime(2026, 8, 1, 9, tzinfo=SHANGHAI)
    Reflection.objects.create(
        author=world.member,
        organisation=world.branch,
        title="学习体会一",
        status="accepted",
        grade="excellent",
        submitted_at=at,
    )
    Reflection.objects.create(
        author=world.secretary,
        organisation=world.branch,
        title="学习体会二",
        status="accepted",
        grade="pass",
        submitted_at=at,
    )
    Reflection.objects.create(
        author=world.secretary,
        organisation=world.branch,
        title="还在审",
        status="submitted",
        submitted_at=at,
    )
    Reflection.objects.create(author=extra, organisation=world.branch, title="草稿", status="draft")
    found = result("learning.reflections", world.branch)
    # 2 of 4 members submitted; accepted grades average (1 + 0.7) / 2.
    assert found.value == pytest.approx(0.5 * 0.5 + 0.5 * 0.85)
    assert len(found.evidence) == 3


def test_research_report_adopted_is_full_marks(world):
    adopted = ResearchReport.objects.create(
        organisation=world.branch,
        title="关于支付便民的调研",
        topic="支付",
        status="adopted",
        adopted_on=datetime.date(2026, 9, 1),
        created_by=world.secretary,
    )
    ResearchReport.objects.create(
        organisation=world.sibling_branch,
        title="在审",
        topic="x",
        status="submitted",
        submitted_at=timezone.now().replace(year=2026, month=8, day=1),
        created_by=world.other_secretary,
    )
    assert result("learning.research_adopted", world.branch).value == 1.0
    assert (
        result("learning.research_adopted", world.branch)
        .evidence[0]
        .url.endswith(f"/{adopted.pk}/")
    )
    assert result("learning.research_adopted", world.sibling_branch).value == 0.5


def test_learning_metrics_cost_a_fixed_number_of_queries(
    world, many_branches, django_assert_max_num_queries
):
    ids = [world.branch.pk, world.sibling_branch.pk] + [b.pk for b in many_branches]
    for b in many_branches:
        BranchPlan.objects.create(
            organisation=b, year=2026, title="计划", status="approved", filed_by=world.secretary
        )
    for code in [
        "learning.study_plan",
        "learning.personal_plans",
        "learning.study_hours",
        "learning.reflections",
        "learning.research_adopted",
    ]:
        with django_assert_max_num_queries(3):
            METRICS[code].function(ids, Q3)
