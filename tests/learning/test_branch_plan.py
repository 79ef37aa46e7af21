"""The branch annual plan: filed by the secretary, visible to members, reviewed by the committee."""

from django.urls import reverse

from learning.models import BranchPlan, ReviewStatus


def test_secretary_files_adds_topics_and_submits(as_user, world):
    client = as_user(world.secretary)
    client.post(
        reverse("learning:branch_plan_create"),
        {"organisation": world.branch.pk, "year": 2026, "title": "年度计划"},
    )
    plan = BranchPlan.objects.get()
    client.post(
        reverse("learning:branch_plan", args=[plan.pk]),
        {
            "period_kind": "quarter",
            "period": 3,
            "topic": "党史学习",
            "form": "lecture",
            "hours": "4",
            "materials": "党史",
        },
    )
    bad = client.post(
        reverse("learning:branch_plan", args=[plan.pk]),
        {"period_kind": "quarter", "period": 7, "topic": "x", "form": "lecture", "hours": "2"},
    )
    assert bad.context["item_form"].errors["period"]
    client.post(reverse("learning:branch_plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.SUBMITTED and plan.items.count() == 1


def test_member_sees_the_plan_but_cannot_edit(as_user, world, records):
    client = as_user(world.member)
    page = client.get(reverse("learning:branch_plan", args=[records.branch_plan.pk]))
    assert page.status_code == 200 and page.context["can_edit"] is False
    assert (
        client.post(
            reverse("learning:branch_plan_submit", args=[records.branch_plan.pk])
        ).status_code
        == 404
    )


def test_committee_returns_then_approves(as_user, world, records):
    plan = records.branch_plan
    as_user(world.secretary).post(reverse("learning:branch_plan_submit", args=[plan.pk]))
    committee = as_user(world.committee_user)
    committee.post(
        reverse("learning:branch_plan_review", args=[plan.pk]),
        {"decision": "return", "comment": "增加党章学习"},
    )
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.RETURNED
    as_user(world.secretary).post(reverse("learning:branch_plan_submit", args=[plan.pk]))
    committee.post(reverse("learning:branch_plan_review", args=[plan.pk]), {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.status == ReviewStatus.APPROVED


def test_secretary_cannot_review_own_plan(as_user, world, records):
    as_user(world.secretary).post(
        reverse("learning:branch_plan_submit", args=[records.branch_plan.pk])
    )
    response = as_user(world.secretary).post(
        reverse("learning:branch_plan_review", args=[records.branch_plan.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 404
