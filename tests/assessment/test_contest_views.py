"""Running a contest: creating it, its rules, publishing, and the members' overview."""

import datetime

from django.urls import reverse
from django.utils import timezone

from assessment.models import Contest
from tests.assessment.conftest import finish, make_contest


def contest_data(world, **overrides):
    now = timezone.localtime()
    data = {
        "organisation": world.committee.pk,
        "title": "学习二十大知识竞赛",
        "description": "",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "time_limit_minutes": 15,
        "shuffle_options": "on",
        "attempts_allowed": 1,
        "counting": Contest.Counting.BEST,
        "pass_mark": 60,
        "reveal": Contest.Reveal.AFTER_CLOSE,
    }
    data.update(overrides)
    return data


def test_committee_creates_adds_rules_and_publishes(as_user, world, bank):
    client = as_user(world.committee_user)
    response = client.post(reverse("assessment:contest_create"), contest_data(world))
    assert response.status_code == 302
    contest = Contest.objects.get()
    rule = client.post(
        reverse("assessment:rule_add", args=[contest.pk]),
        {"topic": "党章", "difficulty": "", "count": 5, "points": 2},
    )
    assert rule.status_code == 302 and contest.rules.count() == 1
    client.post(reverse("assessment:contest_publish", args=[contest.pk]))
    contest.refresh_from_db()
    assert contest.is_published


def test_closing_before_opening_is_an_error_next_to_the_field(as_user, world):
    client = as_user(world.committee_user)
    now = timezone.localtime()
    response = client.post(
        reverse("assessment:contest_create"),
        contest_data(
            world, closes_at=(now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        ),
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors
    assert not Contest.objects.exists()


def test_rule_asking_more_than_the_bank_holds_is_refused(as_user, world, bank):
    client = as_user(world.committee_user)
    client.post(reverse("assessment:contest_create"), contest_data(world))
    contest = Contest.objects.get()
    response = client.post(
        reverse("assessment:rule_add", args=[contest.pk]),
        {"topic": "党章", "difficulty": "", "count": 50, "points": 1},
        follow=True,
    )
    assert contest.rules.count() == 0
    assert "12" in response.content.decode()


def test_publishing_without_rules_is_refused(as_user, world):
    client = as_user(world.committee_user)
    client.post(reverse("assessment:contest_create"), contest_data(world))
    contest = Contest.objects.get()
    client.post(reverse("assessment:contest_publish", args=[contest.pk]))
    contest.refresh_from_db()
    assert not contest.is_published


def test_rules_are_fixed_once_members_have_taken_it(as_user, world, contest):
    finish(contest, world.member, correct=1)
    client = as_user(world.committee_user)
    client.post(
        reverse("assessment:rule_add", args=[contest.pk]),
        {"topic": "", "difficulty": "", "count": 1, "points": 1},
    )
    assert contest.rules.count() == 1


def test_secretary_cannot_manage_the_committee_contest(as_user, world, contest):
    client = as_user(world.secretary)
    assert client.get(reverse("assessment:contest_edit", args=[contest.pk])).status_code == 404
    assert client.post(reverse("assessment:contest_close", args=[contest.pk])).status_code == 404
    # but takes part in it as a member of a branch below the committee
    assert client.get(reverse("assessment:contest", args=[contest.pk])).status_code == 200


def test_close_now_also_ends_open_attempts(as_user, world, contest):
    from assessment import services

    attempt = services.attempt_start(contest=contest, user=world.member, branch_id=world.branch.pk)
    as_user(world.committee_user).post(reverse("assessment:contest_close", args=[contest.pk]))
    attempt.refresh_from_db()
    contest.refresh_from_db()
    assert attempt.deadline <= contest.closes_at <= timezone.now()


def test_members_overview_lists_open_contests(as_user, world, bank, django_assert_num_queries):
    for n in range(11):
        make_contest(world.committee, count=1, title=f"竞赛{n}")
    client = as_user(world.member)
    # 1 session, 2 user, 3 change stamps (the scope's key), 4-5 scope, 6 open contests,
    # 7 closed contests, 8 my attempts.
    with django_assert_num_queries(8):
        response = client.get(reverse("assessment:index"))
    assert len(response.context["to_take"]) == 11


def test_outsider_does_not_see_the_contest_in_the_overview(as_user, world, contest):
    response = as_user(world.outsider).get(reverse("assessment:index"))
    assert contest.title not in response.content.decode()


def test_contest_list_queries_do_not_grow(as_user, world, bank, django_assert_num_queries):
    for n in range(11):
        make_contest(world.committee, count=1, title=f"竞赛{n}")
    client = as_user(world.committee_user)
    # 1 session, 2 user, 3 change stamps (the scope's key), 4-5 scope, 6 count for the
    # pager, 7 the page with organisations.
    with django_assert_num_queries(7):
        response = client.get(reverse("assessment:contests"))
    assert len(response.context["page"]) == 11


def test_a_secretary_without_contests_of_their_own_is_told_where_to_take_one(as_user, world):
    """The list shows contests the user's organisations run; a member's contests to take
    are elsewhere, and an empty list says so instead of 'no contests'."""
    response = as_user(world.secretary).get(reverse("assessment:contests"))
    html = response.content.decode()
    assert 'data-testid="no-contests-run"' in html
    assert f'href="{reverse("assessment:index")}"' in html
    assert "您作为党员可以参加的竞赛" in html
