"""The home page gathers each app's card: what is due, what waits for review, what is open."""

import datetime

from django.urls import reverse
from django.utils import timezone

from committee.models import Assignment
from tests.assessment.conftest import make_bank, make_contest
from tests.committee.conftest import make_task


def card_ids(response):
    import re

    return set(re.findall(r'data-testid="(card-[a-z-]+)"', response.content.decode()))


def test_secretary_sees_meetings_due_and_reviews_waiting(as_user, world):
    response = as_user(world.secretary).get(reverse("portal:home"))
    assert {"card-meetings-due", "card-reviews", "card-study"} <= card_ids(response)
    due = (
        dict(response.context["cards"][0].context["due"])
        if response.context["cards"][0].template.startswith("meetings")
        else None
    )
    assert due is None or world.branch in due


def test_member_sees_study_and_open_contests_but_no_reviews(as_user, world):
    make_bank(world.committee)
    make_contest(world.committee, title="党史知识竞赛")
    response = as_user(world.member).get(reverse("portal:home"))
    ids = card_ids(response)
    assert {"card-study", "card-contests", "card-meetings-upcoming"} <= ids
    assert "card-reviews" not in ids and "card-meetings-due" not in ids
    assert "党史知识竞赛" in response.content.decode()


def test_outsider_sees_no_contest_of_another_tree(as_user, world):
    make_bank(world.committee)
    make_contest(world.committee, title="党史知识竞赛")
    response = as_user(world.outsider).get(reverse("portal:home"))
    assert "党史知识竞赛" not in response.content.decode()


def test_overdue_task_shows_to_the_branch_secretary_and_not_the_sibling(as_user, world):
    task = make_task(
        world,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
        organisations=[world.branch],
    )
    assert Assignment.objects.filter(task=task).count() == 1
    assert "card-overdue" in card_ids(as_user(world.secretary).get(reverse("portal:home")))
    assert "card-overdue" not in card_ids(
        as_user(world.other_secretary).get(reverse("portal:home"))
    )
