"""Contest participation and scores, on hand-built attempts."""

import datetime
from decimal import Decimal

import pytest

from assessment.models import Attempt, Contest
from scorecards.metrics import METRICS
from tests.factories import member_of
from tests.scorecards.conftest import Q3

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def contest(
    world, closes=datetime.datetime(2026, 9, 20, 18, tzinfo=SHANGHAI), title="党章知识竞赛"
):
    return Contest.objects.create(
        organisation=world.committee,
        title=title,
        opens_at=closes - datetime.timedelta(days=10),
        closes_at=closes,
        is_published=True,
    )


def attempt(c, user, branch, percent, *, counts=True, number=1):
    start = c.opens_at + datetime.timedelta(hours=1)
    return Attempt.objects.create(
        contest=c,
        user=user,
        branch=branch,
        number=number,
        status="submitted",
        started_at=start,
        deadline=start + datetime.timedelta(minutes=30),
        finished_at=start,
        score=percent,
        max_score=100,
        percent=Decimal(percent),
        counts=counts,
    )


def test_half_participation_half_average_score(world):
    member_of(world.branch, username="extra")  # 4 members
    c = contest(world)
    attempt(c, world.member, world.branch, 90)
    attempt(c, world.secretary, world.branch, 70)
    attempt(c, world.secretary, world.branch, 10, counts=False, number=2)  # not the counted one
    later = contest(world, closes=datetime.datetime(2026, 10, 20, tzinfo=SHANGHAI), title="下季度")
    attempt(later, world.committee_user, world.branch, 100)
    found = METRICS["assessment.contests"].function([world.branch.pk], Q3)[world.branch.pk]
    assert found.value == pytest.approx(0.5 * 2 / 4 + 0.5 * 0.8)
    assert len(found.evidence) == 1 and "/assessment/contests/" in found.evidence[0].url


def test_a_branch_that_took_no_part_scores_nothing(world):
    c = contest(world)
    attempt(c, world.member, world.branch, 90)
    assert world.sibling_branch.pk not in METRICS["assessment.contests"].function(
        [world.branch.pk, world.sibling_branch.pk], Q3
    )
