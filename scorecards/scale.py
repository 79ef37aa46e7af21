"""Province-scale 考学评学 scorecards for benchmarks (``seed_demo --scale province``).

For each of the last ``PROVINCE_SCORECARD_QUARTERS`` completed quarters (default 4, so
trends and "change from last quarter" have a year behind them): the standard indicator
set of the province committee, an inspection of most branches by a committee member
(听、看、查、访 in turn, with scores for the inspected indicators), 学习创新 filed by one
branch in five (most of them scored), and then the quarter's scorecards built by the real
build (``scorecard_build_request`` / ``scorecard_build_run``) from the records the other
apps' seeders wrote. The inspections and innovations are a few thousand rows: written with
``bulk_create``; the build is what takes the time (≈ 20 s a quarter here).
"""

from __future__ import annotations

import datetime
import os
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.models import Organisation
from portal.scale import ProvinceContext
from scorecards.models import (
    Indicator,
    IndicatorSet,
    Innovation,
    Inspection,
    InspectionScore,
    Scorecard,
)
from scorecards.quarters import Quarter
from scorecards.services import (
    indicator_set_create_default,
    scorecard_build_request,
    scorecard_build_run,
)

FINDINGS = {
    Inspection.Method.LISTEN: "旁听支部专题党课，授课联系业务实际，党员讨论发言踊跃。",
    Inspection.Method.LOOK: "查看党员活动室和读书角，学习资料更新及时。",
    Inspection.Method.CHECK: "查阅学习制度、学习记录和学习体会，台账基本齐全。",
    Inspection.Method.VISIT: "走访党员了解学习情况，普遍反映学习安排合理。",
}
PROBLEMS = ["", "", "部分党员学习体会联系思想实际不够。", "学习阵地利用率不高。"]
INNOVATIONS = [
    (Innovation.Kind.FORM, "“微党课”接力学", "每周由一名党员讲授十分钟微党课，轮流上台。"),
    (Innovation.Kind.METHOD, "业务难题“揭榜”调研", "围绕业务难题组织党员揭榜调研。"),
    (Innovation.Kind.RESULT, "“学习+服务”清单", "把学习成果转化为便民服务措施。"),
]


def _quarters(count: int) -> list[Quarter]:
    period = Quarter.current().previous()
    found = []
    for _ in range(count):
        found.append(period)
        period = period.previous()
    return list(reversed(found))


def _indicators(root: Organisation, period: Quarter) -> list[Indicator]:
    indicator_set = IndicatorSet.objects.in_force(root, period) or indicator_set_create_default(
        committee=root, period=period
    )
    return list(indicator_set.indicators.filter(kind=Indicator.Kind.INSPECTED))


@transaction.atomic
def _records(
    context: ProvinceContext, root: Organisation, period: Quarter, rng: random.Random
) -> tuple[int, int, int]:
    inspected = _indicators(root, period)
    inspectors = list(context.committee_user_by_committee.values())
    methods = list(Inspection.Method)
    days = (period.end - period.start).days
    inspections = []
    for n, branch_id in enumerate(context.branch_ids):
        if rng.random() < 0.15:  # not every branch is visited every quarter
            continue
        method = methods[n % len(methods)]
        inspections.append(
            Inspection(
                branch_id=branch_id,
                inspector_id=rng.choice(inspectors),
                method=method,
                visited_on=period.start + datetime.timedelta(days=rng.randint(5, days - 5)),
                findings=FINDINGS[method],
                problems=rng.choice(PROBLEMS),
            )
        )
    Inspection.objects.bulk_create(inspections, batch_size=2000)
    scores = [
        InspectionScore(
            inspection=inspection,
            indicator=indicator,
            indicator_code=indicator.code,
            points=Decimal(rng.randint(int(indicator.max_points) // 2, int(indicator.max_points))),
            max_points=indicator.max_points,
        )
        for inspection in inspections
        for indicator in inspected
    ]
    InspectionScore.objects.bulk_create(scores, batch_size=5000)
    filed_at = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(10)))
    innovations = []
    for branch_id in context.branch_ids:
        if rng.random() >= 0.2:
            continue
        kind, title, description = rng.choice(INNOVATIONS)
        scored = rng.random() < 0.8
        innovations.append(
            Innovation(
                branch_id=branch_id,
                kind=kind,
                title=title,
                description=description,
                filed_by_id=context.secretary_by_branch.get(branch_id, rng.choice(inspectors)),
                filed_at=filed_at,
                year=period.year,
                quarter=period.quarter,
                status=Innovation.Status.SCORED if scored else Innovation.Status.FILED,
                score=rng.randint(60, 95) if scored else None,
                scored_by_id=rng.choice(inspectors) if scored else None,
                scored_at=filed_at if scored else None,
            )
        )
    Innovation.objects.bulk_create(innovations, batch_size=2000)
    return len(inspections), len(scores), len(innovations)


def seed_province(context: ProvinceContext) -> str:
    count = int(os.environ.get("PROVINCE_SCORECARD_QUARTERS", "4"))
    root = Organisation.objects.get(pk=context.root_id)
    rng = random.Random(2026)  # noqa: S311 - benchmark data, not secrets
    totals = [0, 0, 0]
    for period in _quarters(count):
        for i, n in enumerate(_records(context, root, period, rng)):
            totals[i] += n
        with transaction.atomic():
            build = scorecard_build_request(committee=root, period=period)
        scorecard_build_run(build_id=build.pk)
    inspections, scores, innovations = totals
    cards = Scorecard.objects.filter(branch_id__in=context.branch_ids).count()
    return (
        f"{count} quarters: {inspections:,} inspections ({scores:,} scores), "
        f"{innovations:,} innovations, {cards:,} scorecards"
    )
