"""Every page renders for the people who may use it, in both languages, without a server error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessment.conftest import finish


@pytest.fixture
def everything(world, contest, period):
    from assessment import services

    attempt = finish(contest, world.member, correct=3)
    report = services.report_save(
        period=period,
        user=world.member,
        branch_id=world.branch.pk,
        title="述学",
        content="内容",
        submit=True,
    )
    return {
        "question": attempt.items.first().version.question,
        "contest": contest,
        "attempt": attempt,
        "period": period,
        "report": report,
        "rubric": period.rubric,
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_committee_pages_render(as_user, world, everything, language):
    client = as_user(world.committee_user)
    client.cookies["django_language"] = language
    e = everything
    urls = [
        reverse("assessment:index"),
        reverse("assessment:questions"),
        reverse("assessment:question_create"),
        reverse("assessment:bank_import"),
        reverse("assessment:question", args=[e["question"].pk]),
        reverse("assessment:question_edit", args=[e["question"].pk]),
        reverse("assessment:contests"),
        reverse("assessment:contest_create"),
        reverse("assessment:contest", args=[e["contest"].pk]),
        reverse("assessment:contest_edit", args=[e["contest"].pk]),
        reverse("assessment:league", args=[e["contest"].pk]),
        reverse("assessment:league", args=[e["contest"].pk]) + "?export=xlsx",
        reverse("assessment:analysis", args=[e["contest"].pk]),
        reverse("assessment:attempt", args=[e["attempt"].pk]),
        reverse("assessment:shuxue"),
        reverse("assessment:rubric_create"),
        reverse("assessment:rubric_edit", args=[e["rubric"].pk]),
        reverse("assessment:period_create"),
        reverse("assessment:period", args=[e["period"].pk]),
        reverse("assessment:report", args=[e["report"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_member_pages_render_in_chinese(as_user, world, everything):
    client = as_user(world.member)
    e = everything
    for url in [
        reverse("assessment:index"),
        reverse("assessment:contest", args=[e["contest"].pk]),
        reverse("assessment:attempt", args=[e["attempt"].pk]),
        reverse("assessment:shuxue"),
        reverse("assessment:period", args=[e["period"].pk]),
        reverse("assessment:report", args=[e["report"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    text = client.get(reverse("assessment:attempt", args=[e["attempt"].pk])).content.decode()
    assert "成绩" in text and "排行榜" in text


def test_member_cannot_open_management_pages(as_user, world, everything):
    client = as_user(world.member)
    for name in (
        "question_create",
        "bank_import",
        "contest_create",
        "rubric_create",
        "period_create",
    ):
        assert client.get(reverse(f"assessment:{name}")).status_code == 404, name
    assert (
        client.get(reverse("assessment:rubric_edit", args=[everything["rubric"].pk])).status_code
        == 404
    )


def test_contest_edit_through_the_form_moves_the_window(as_user, world, everything):
    contest = everything["contest"]
    client = as_user(world.committee_user)
    new_close = timezone.localtime(contest.closes_at) + datetime.timedelta(days=1)
    data = {
        "title": contest.title,
        "description": "新说明",
        "opens_at": timezone.localtime(contest.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": new_close.strftime("%Y-%m-%dT%H:%M"),
        "time_limit_minutes": contest.time_limit_minutes,
        "shuffle_options": "on",
        "attempts_allowed": contest.attempts_allowed,
        "counting": contest.counting,
        "pass_mark": contest.pass_mark,
        "reveal": contest.reveal,
    }
    assert (
        client.post(reverse("assessment:contest_edit", args=[contest.pk]), data).status_code == 302
    )
    data["time_limit_minutes"] = 5  # members have taken it: the rules of play are fixed
    response = client.post(reverse("assessment:contest_edit", args=[contest.pk]), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_admin_lists_render(client, world, everything, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", password="pw-123456789")
    client.force_login(admin_user)
    for model in ("question", "contest", "attempt", "rubric", "shuxueperiod"):
        assert client.get(reverse(f"admin:assessment_{model}_changelist")).status_code == 200
    question = everything["question"]
    assert (
        client.get(reverse("admin:assessment_question_change", args=[question.pk])).status_code
        == 200
    )
