"""Demo scorecards: the standard indicator set, a few inspections and innovations, and the
last and current quarters built for the demo committee. Safe to run again."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.models import Organisation, User
from scorecards.models import Indicator, IndicatorSet, Innovation, Inspection, ScorecardBuild
from scorecards.quarters import Quarter
from scorecards.services import (
    indicator_set_create_default,
    inspection_record,
    scorecard_build_request,
    scorecard_build_run,
)

INSPECTIONS = [
    # (branch code, method, days into the quarter, findings, problems, scores)
    (
        "DEMO-B1",
        Inspection.Method.LISTEN,
        20,
        "旁听支部专题党课，书记授课联系业务实际，党员讨论发言踊跃。",
        "",
        {"venue-and-rules": 9, "lecture-quality": 9},
    ),
    (
        "DEMO-B2",
        Inspection.Method.CHECK,
        25,
        "查阅学习制度、学习记录和学习体会，台账齐全。",
        "部分党员学习体会篇幅较短，联系思想实际不够。",
        {"venue-and-rules": 8, "lecture-quality": 7},
    ),
    (
        "DEMO-B3",
        Inspection.Method.LOOK,
        30,
        "查看党员活动室和读书角，学习资料更新及时。",
        "学习阵地利用率不高，读书角借阅登记缺失。",
        {"venue-and-rules": 6},
    ),
    (
        "DEMO-B4",
        Inspection.Method.VISIT,
        35,
        "走访离退休老党员，了解送学上门情况。",
        "行动不便党员送学频次不足。",
        {"lecture-quality": 6},
    ),
]

INNOVATIONS = [
    (
        "DEMO-B1",
        Innovation.Kind.FORM,
        "“微党课”接力学",
        "每周由一名党员讲授十分钟微党课，轮流上台。",
        85,
    ),
    (
        "DEMO-B2",
        Innovation.Kind.METHOD,
        "业务难题“揭榜”调研",
        "围绕支付结算难题组织党员揭榜调研。",
        78,
    ),
    (
        "DEMO-B3",
        Innovation.Kind.RESULT,
        "营业室“学习+服务”清单",
        "把学习成果转化为便民服务措施。",
        None,
    ),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed_demo() -> dict[str, int]:
    orgs = {o.code: o for o in Organisation.objects.filter(code__startswith="DEMO-")}
    committee = orgs.get("DEMO-C")
    inspector = _user("zuzhibu") or _user("committee")
    if committee is None or inspector is None:
        return {"scorecards": 0}
    current = Quarter.current()
    last = current.previous()
    indicator_set = IndicatorSet.objects.in_force(committee, last)
    if indicator_set is None or indicator_set.committee_id != committee.pk:
        indicator_set = indicator_set_create_default(committee=committee, period=last)
    inspected = set(
        indicator_set.indicators.filter(kind=Indicator.Kind.INSPECTED).values_list(
            "code", flat=True
        )
    )
    today = timezone.localdate()
    for period in (last, current):
        for code, method, days, findings, problems, scores in INSPECTIONS:
            visited = min(period.start + datetime.timedelta(days=days), today)
            if Inspection.objects.filter(branch=orgs[code], visited_on=visited).exists():
                continue
            inspection_record(
                inspector=inspector,
                branch=orgs[code],
                method=method,
                visited_on=visited,
                findings=findings,
                problems=problems if period == current else "",
                scores={
                    k: Decimal(v - (period == last)) for k, v in scores.items() if k in inspected
                },
                committee=committee,
            )
    filer = _user("secretary") or inspector
    for code, kind, title, description, score in INNOVATIONS:
        Innovation.objects.get_or_create(
            branch=orgs[code],
            title=title,
            defaults={
                "kind": kind,
                "description": description,
                "filed_by": filer,
                "year": current.year,
                "quarter": current.quarter,
                "status": Innovation.Status.SCORED
                if score is not None
                else Innovation.Status.FILED,
                "score": score,
                "scored_by": inspector if score is not None else None,
                "scored_at": timezone.now() if score is not None else None,
            },
        )
    built = 0
    for period in (last, current):
        if ScorecardBuild.objects.filter(
            committee=committee,
            year=period.year,
            quarter=period.quarter,
            status=ScorecardBuild.Status.DONE,
        ).exists():
            continue
        build = scorecard_build_request(committee=committee, period=period)
        scorecard_build_run(build_id=build.pk)
        built += build.branch_total
    return {"scorecards": built}
