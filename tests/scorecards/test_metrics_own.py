"""The metrics and inspection scores this app computes from its own records."""

import datetime
from decimal import Decimal

import pytest

from scorecards.metrics import METRICS
from scorecards.services import scorecards_compute
from tests.scorecards.conftest import Q3, innovation, inspect, small_set

pytestmark = pytest.mark.django_db


def test_innovation_score_is_the_best_scored_innovation_of_the_quarter(world):
    innovation(world.branch, world.secretary, 40, title="甲")
    innovation(world.branch, world.secretary, 90, title="乙")
    innovation(world.branch, world.secretary, None, title="未评")  # not scored yet: not counted
    innovation(world.sibling_branch, world.other_secretary, 100, period=Q3.previous())
    results = METRICS["innovation.score"].function([world.branch.pk, world.sibling_branch.pk], Q3)
    assert results[world.branch.pk].value == pytest.approx(0.9)
    assert [e.label for e in results[world.branch.pk].evidence] == ["乙（90）", "甲（40）"]
    assert world.sibling_branch.pk not in results


def test_inspection_indicators_average_the_inspectors_scores(world):
    indicator_set = small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 6)
    inspect(world.committee, world.branch, world.committee_user, 9, day=datetime.date(2026, 9, 1))
    inspect(world.committee, world.branch, world.committee_user, 1, day=datetime.date(2026, 10, 1))
    cards = scorecards_compute(indicator_set=indicator_set, branch_ids=[world.branch.pk], period=Q3)
    line = next(line for line in cards[world.branch.pk].lines if line.indicator.code == "venue")
    assert line.points == Decimal("7.50")  # (6 + 9) / 2 of 10
    assert len(line.evidence) == 2 and all(
        "/scorecards/inspections/" in e["url"] for e in line.evidence
    )


def test_weight_scales_points(world):
    indicator_set = small_set(world.committee, innovation=Decimal("0.5"))
    innovation(world.branch, world.secretary, 80)
    cards = scorecards_compute(indicator_set=indicator_set, branch_ids=[world.branch.pk], period=Q3)
    assert cards[world.branch.pk].total == Decimal("2.00")  # 0.8 × 5 × 0.5
    assert cards[world.branch.pk].max_total == Decimal("12.50")


def test_an_unregistered_metric_scores_zero_and_says_so(world):
    from scorecards.models import Indicator

    indicator_set = small_set(world.committee)
    Indicator.objects.filter(code="innovation").update(metric="gone.metric")
    cards = scorecards_compute(indicator_set=indicator_set, branch_ids=[world.branch.pk], period=Q3)
    line = next(
        line for line in cards[world.branch.pk].lines if line.indicator.code == "innovation"
    )
    assert line.points == 0 and line.note


def test_compute_costs_the_same_queries_for_two_or_twelve_branches(
    world, many_branches, django_assert_num_queries
):
    indicator_set = small_set(world.committee)
    ids = [world.branch.pk, world.sibling_branch.pk]
    # 1 indicators, 2 innovation metric (best, evidence), 2 inspections (averages, evidence)
    with django_assert_num_queries(5):
        scorecards_compute(indicator_set=indicator_set, branch_ids=ids, period=Q3)
    with django_assert_num_queries(5):
        scorecards_compute(
            indicator_set=indicator_set, branch_ids=ids + [b.pk for b in many_branches], period=Q3
        )
