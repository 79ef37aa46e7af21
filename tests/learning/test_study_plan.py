"""Personal study plans: filed by the member, approved or returned by the secretary."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning import services
from learning.models import ReviewStatus, StudyPlan


def _file(member, **kw):
    data = {
        "year": 2026,
        "goals": "系统学习",
        "topics": "二十大精神",
        "methods": "自学",
        "target_hours": 60,
    } | kw
    return services.study_plan_save(user=member, **data)


def test_member_files_a_plan_through_the_page(as_user, world):
    response = as_user(world.member).post(
        reverse("learning:plan_create"),
        {
            "year": 2026,
            "goals": "学深悟透",
            "topics": "党章党规",
            "methods": "自学为主",
            "target_hours": 50,
        },
    )
    plan = StudyPlan.objects.get(user=world.member)
    assert response.status_code == 302
    assert plan.status == ReviewStatus.DRAFT and plan.organisation == world.branch


def test_second_plan_for_the_same_year_is_refused_next_to_the_year(as_user, world):
    _file(world.member)
    response = as_user(world.member).post(
        reverse("learning:plan_create"),
        {"year": 2026, "goals": "x", "topics": "y", "target_hours": 5},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert StudyPlan.objects.count() == 1


def test_secretary_returns_with_comment_then_approves_the_resubmission(as_user, world):
    plan = services.study_plan_submit(plan=_file(world.member))
    secretary = as_user(world.secretary)
    response = secretary.post(
        reverse("learning:plan_review", args=[plan.pk]), {"decision": "return", "comment": ""}
    )
    assert response.status_code == 400  # a return needs a comment
    secretary.post(
        reverse("learning:plan_review", args=[plan.pk]),
        {"decision": "return", "comment": "目标再具体些"},
    )
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.RETURNED and plan.review_comment == "目标再具体些"
    _file(world.member, plan=plan, goals="每月读一本书")
    services.study_plan_submit(plan=plan)
    secretary.post(
        reverse("learning:plan_review", args=[plan.pk]), {"decision": "approve", "comment": ""}
    )
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.APPROVED and plan.reviewed_by == world.secretary


def test_approved_plan_cannot_be_changed(world):
    plan = services.study_plan_submit(plan=_file(world.member))
    services.study_plan_review(plan=plan, by=world.secretary, approve=True, comment="")
    with pytest.raises(ValidationError):
        _file(world.member, plan=plan, goals="改")


def test_member_cannot_review_own_plan(as_user, world):
    plan = services.study_plan_submit(plan=_file(world.member))
    response = as_user(world.member).post(
        reverse("learning:plan_review", args=[plan.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_sibling_secretary_cannot_open_the_plan(as_user, world):
    plan = _file(world.member)
    assert (
        as_user(world.other_secretary).get(reverse("learning:plan", args=[plan.pk])).status_code
        == 404
    )


def test_plan_page_shows_progress_from_counted_logs(as_user, world):
    plan = _file(world.member, target_hours=10)
    services.study_log_create(
        user=world.member,
        studied_on=plan.reviewed_at or __import__("datetime").date(2026, 6, 14),
        minutes=120,
        method="self",
    )
    response = as_user(world.member).get(reverse("learning:plan", args=[plan.pk]))
    assert response.context["progress"] == 20
    assert "2.0" in response.content.decode()
