"""Fixtures for the scorecards tests: a small indicator set that needs no other app, and
helpers to file inspections and innovations by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from portal.models import Organisation
from scorecards.models import Dimension, Indicator, IndicatorSet, Innovation
from scorecards.quarters import Quarter
from scorecards.services import inspection_record
from tests.factories import branch

Q3 = Quarter(2026, 3)
Q4 = Quarter(2026, 4)


@pytest.fixture
def in_q4():
    """The clock on 2026-11-28, in the fourth quarter."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def small_set(committee: Organisation, period: Quarter = Q3, **weights: Decimal) -> IndicatorSet:
    """Two indicators: one inspected (10 points), one computed from innovations (5 points)."""
    indicator_set = IndicatorSet.objects.create(
        committee=committee, year=period.year, quarter=period.quarter, name="测试指标"
    )
    Indicator.objects.create(
        indicator_set=indicator_set,
        code="venue",
        name="学习阵地",
        dimension=Dimension.CONDITIONS,
        kind=Indicator.Kind.INSPECTED,
        max_points=Decimal(10),
        weight=weights.get("venue", Decimal(1)),
        position=1,
    )
    Indicator.objects.create(
        indicator_set=indicator_set,
        code="innovation",
        name="学习创新",
        dimension=Dimension.INNOVATION,
        kind=Indicator.Kind.COMPUTED,
        metric="innovation.score",
        max_points=Decimal(5),
        weight=weights.get("innovation", Decimal(1)),
        position=2,
    )
    return indicator_set


def inspect(committee, branch_org, inspector, points, day=datetime.date(2026, 8, 10), code="venue"):
    return inspection_record(
        inspector=inspector,
        branch=branch_org,
        method="check",
        visited_on=day,
        findings="查阅了学习记录",
        problems="",
        scores={code: Decimal(points)},
        committee=committee,
    )


def innovation(branch_org, user, score, period=Q3, title="“微党课”接力学"):
    return Innovation.objects.create(
        branch=branch_org,
        kind=Innovation.Kind.FORM,
        title=title,
        description="每周一名党员讲一次微党课",
        filed_by=user,
        year=period.year,
        quarter=period.quarter,
        status=Innovation.Status.SCORED if score is not None else Innovation.Status.FILED,
        score=score,
    )


@pytest.fixture
def many_branches(world):
    """Ten more branches under the world's committee (12 in all), for query counts."""
    return [branch(world.committee, f"测试第{n}党支部") for n in range(10)]
