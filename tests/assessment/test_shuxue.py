"""述学评学: reports, rubric ratings combined by median, grade thresholds, frozen rubrics."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment import selectors, services
from assessment.models import Grade, ShuxueRating
from portal.scoping import scope_for


def file_report(period, user):
    return services.report_save(
        period=period,
        user=user,
        branch_id=user.membership.branch_id,
        title="我的述学报告",
        content="一年来的学习情况……",
        submit=True,
    )


def rate(report, rater, levels):
    """Rate with the level named in ``levels`` for each criterion (优/良/合格/差)."""
    criteria = list(report.period.rubric.criteria.prefetch_related("levels"))
    choices = {}
    for criterion, name in zip(criteria, levels, strict=True):
        level = next(lv for lv in criterion.levels.all() if lv.name == name)
        choices[criterion.pk] = (level.pk, "备注")
    role = services.rater_role(report=report, user=rater, scope=scope_for(rater))
    return services.rating_submit(report=report, rater=rater, role=role, choices=choices)


def test_median_of_raters_decides_the_grade(world, period):
    report = file_report(period, world.member)
    rate(report, world.member, ["优", "优"])  # self: 100%
    rate(report, world.secretary, ["良", "良"])  # branch: 80%
    rate(report, world.committee_user, ["合格", "合格"])  # committee: 60%
    report.refresh_from_db()
    assert report.score == Decimal("80.00")
    assert report.grade == Grade.GOOD
    assert report.rating_count == 3


def test_median_of_an_even_number_of_raters_is_the_middle_mean(world, period):
    assert services.median_percent([Decimal(100), Decimal(60), Decimal(80), Decimal(90)]) == 85


def test_roles_follow_the_tree(world, period):
    report = file_report(period, world.member)
    roles = {
        user.username: services.rater_role(report=report, user=user, scope=scope_for(user))
        for user in (world.member, world.secretary, world.committee_user, world.other_secretary)
    }
    assert roles == {
        "member": ShuxueRating.Role.SELF,
        "secretary": ShuxueRating.Role.BRANCH,
        "committee": ShuxueRating.Role.COMMITTEE,
        "other_secretary": None,
    }


def test_thresholds_set_by_the_committee_regrade_reports(world, period):
    report = file_report(period, world.member)
    rate(report, world.committee_user, ["良", "良"])  # 80%
    report.refresh_from_db()
    assert report.grade == Grade.GOOD
    services.period_set_thresholds(period=period, excellent_from=75, good_from=65, pass_from=50)
    report.refresh_from_db()
    assert report.grade == Grade.EXCELLENT
    services.period_set_thresholds(period=period, excellent_from=95, good_from=90, pass_from=85)
    report.refresh_from_db()
    assert report.grade == Grade.POOR


@pytest.mark.parametrize(("e", "g", "p"), [(80, 90, 60), (90, 80, 80), (101, 80, 60)])
def test_thresholds_must_fall(world, period, e, g, p):
    with pytest.raises(ValidationError):
        services.period_set_thresholds(period=period, excellent_from=e, good_from=g, pass_from=p)


def test_rubric_is_frozen_once_used(world, period, rubric):
    services.rubric_update(
        rubric=rubric, name="改名", description="", criteria_text="态度 | 优:10, 差:0"
    )
    report = file_report(period, world.member)
    rate(report, world.member, ["优"])
    rubric.refresh_from_db()
    assert rubric.is_frozen
    with pytest.raises(ValidationError):
        services.rubric_update(
            rubric=rubric, name="再改", description="", criteria_text="态度 | 优:10, 差:0"
        )


def test_bad_rubric_lines_are_reported_by_line(world):
    with pytest.raises(ValidationError) as excinfo:
        services.rubric_create(
            organisation=world.committee,
            name="坏标准",
            description="",
            criteria_text="态度 | 优:十, 差:0\n没有等级",
        )
    messages = excinfo.value.message_dict["criteria"]
    assert any("1" in m for m in messages) and any("2" in m for m in messages)


def test_peer_rating_is_anonymous_on_the_page(as_user, world, period):
    from tests.factories import member_of

    peer = member_of(world.branch, username="peer", name="同支部党员")
    report = file_report(period, world.member)
    rate(report, peer, ["良", "良"])
    page = as_user(world.member).get(reverse("assessment:report", args=[report.pk]))
    text = page.content.decode()
    assert "同支部党员" not in text
    assert report.ratings.get().role == ShuxueRating.Role.PEER


def test_submitted_report_cannot_change(world, period):
    file_report(period, world.member)
    with pytest.raises(ValidationError):
        file_report(period, world.member)


def test_report_outside_the_period_is_refused(world, period):
    period.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    period.opens_on = period.closes_on - datetime.timedelta(days=5)
    period.save()
    with pytest.raises(ValidationError):
        file_report(period, world.member)


def test_outsider_and_sibling_get_404_on_report_and_period(as_user, world, period):
    report = file_report(period, world.member)
    url = reverse("assessment:report", args=[report.pk])
    assert as_user(world.outsider).get(url).status_code == 404
    assert as_user(world.other_secretary).get(url).status_code == 404
    assert as_user(world.outsider).post(url, {}).status_code == 404
    assert (
        as_user(world.outsider).get(reverse("assessment:period", args=[period.pk])).status_code
        == 404
    )
    assert as_user(world.secretary).get(url).status_code == 200


def test_draft_report_is_private(as_user, world, period):
    report = services.report_save(
        period=period,
        user=world.member,
        branch_id=world.branch.pk,
        title="草稿",
        content="……",
        submit=False,
    )
    url = reverse("assessment:report", args=[report.pk])
    assert as_user(world.secretary).get(url).status_code == 404
    assert as_user(world.member).get(url).status_code == 200


def test_rating_through_the_page(as_user, world, period):
    report = file_report(period, world.member)
    criteria = list(period.rubric.criteria.prefetch_related("levels"))
    data = {}
    for c in criteria:
        data[f"level_{c.pk}"] = max(c.levels.all(), key=lambda lv: lv.points).pk
        data[f"remark_{c.pk}"] = "学习扎实"
    response = as_user(world.secretary).post(reverse("assessment:report", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.grade == Grade.EXCELLENT


def test_rating_form_error_shows_and_saves_nothing(as_user, world, period):
    report = file_report(period, world.member)
    response = as_user(world.secretary).post(reverse("assessment:report", args=[report.pk]), {})
    assert response.status_code == 200
    assert report.ratings.count() == 0


def test_shuxue_results_for_the_archive(world, period):
    report = file_report(period, world.member)
    rate(report, world.committee_user, ["优", "良"])  # 90%
    results = selectors.shuxue_results_for(world.member, period.year)
    assert [(r.report.pk, r.score, r.grade) for r in results] == [
        (report.pk, Decimal("90.00"), Grade.EXCELLENT)
    ]
    assert selectors.shuxue_results_for(world.member, period.year - 1) == []


def test_period_page_queries_do_not_grow(as_user, world, period, django_assert_num_queries):
    from tests.factories import member_of

    for n in range(12):
        file_report(period, member_of(world.branch, username=f"r{n}"))
    client = as_user(world.committee_user)
    # 1 session, 2 user, 3 change stamps (the scope's key), 4-5 scope, 6 period (access
    # helper), 7 own report, 8 count for the pager, 9 the page of reports with member and
    # branch.
    with django_assert_num_queries(9):
        response = client.get(reverse("assessment:period", args=[period.pk]))
    assert len(response.context["page"]) == 12
