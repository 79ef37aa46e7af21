"""Figures for scorecards: per branch and period, aggregated in the database."""

import datetime

from learning import services
from learning.selectors import branch_study_figures

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_branch_figures(world, records, django_assert_num_queries):
    services.study_plan_submit(plan=records.plan)
    services.study_plan_review(plan=records.plan, by=world.secretary, approve=True, comment="")
    services.branch_plan_submit(plan=records.branch_plan)
    services.reflection_review(
        reflection=records.reflection, by=world.secretary, accept=True, grade="good", comment=""
    )
    services.research_report_submit(report=records.report)
    services.research_report_review(
        report=records.report, by=world.committee_user, accept=True, comment=""
    )
    services.research_report_adopt(
        report=records.report,
        adopted_by="党委",
        decision="纪要",
        adopted_on=datetime.date(2026, 6, 15),
    )
    # One query each: branch plans, personal plans, study minutes, reflections, reports.
    with django_assert_num_queries(5):
        figures = branch_study_figures([world.branch.pk, world.sibling_branch.pk], *YEAR)
    mine = figures[world.branch.pk]
    assert mine.plan_filed and not mine.plan_approved
    assert (mine.personal_plans_filed, mine.personal_plans_approved) == (1, 1)
    assert mine.study_minutes == 60
    assert (mine.reflections_submitted, mine.reflections_graded) == (1, 1)
    assert mine.reports_adopted == 1
    assert figures[world.sibling_branch.pk].study_minutes == 0


def test_period_outside_counts_nothing(world, records):
    figures = branch_study_figures(
        [world.branch.pk], datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    )
    assert figures[world.branch.pk].study_minutes == 0
    assert figures[world.branch.pk].reflections_submitted == 0
