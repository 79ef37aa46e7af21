"""The metric registry: what a computed indicator measures, each metric for all branches at once.

A metric is a function ``(branch_ids, period) -> {branch_id: MetricResult}`` registered
with :func:`metric`. It runs a fixed number of aggregate queries over the whole list of
branches (``annotate``/``Count``/``Sum``/subqueries), never a query per branch, so a
chunk of 50 branches or a province of 1,000 costs the same number of round trips. A
branch missing from the answer scores 0 with no evidence.

``value`` is the share of the indicator earned, 0..1; the indicator's maximum points and
weight turn it into points. ``evidence`` lists the records that earned it, each with a
link, so every point on a scorecard is one click from its source.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    FloatField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Greatest, Least, Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from scorecards.contributions import contribution
from scorecards.quarters import Quarter

# Evidence links kept per line: enough to check a score by hand, bounded for 1,000 branches.
EVIDENCE_LIMIT = 30


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str = ""

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "url": self.url}


@dataclass
class MetricResult:
    value: float
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""

    def __post_init__(self) -> None:
        self.value = min(1.0, max(0.0, float(self.value)))


MetricFunction = Callable[[list[int], Quarter], dict[int, MetricResult]]


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    description: str
    function: MetricFunction


METRICS: dict[str, Metric] = {}


def metric(
    code: str, *, label: str, description: str = ""
) -> Callable[[MetricFunction], MetricFunction]:
    """Register a metric under ``code`` (the code an indicator names)."""

    def register(function: MetricFunction) -> MetricFunction:
        METRICS[code] = Metric(code, label, description, function)
        return function

    return register


def metric_choices() -> list[tuple[str, str]]:
    return [(code, f"{_(str(m.label))} ({code})") for code, m in sorted(METRICS.items())]


def ratio(part: float | int | Decimal | None, whole: float | int | Decimal | None) -> float:
    if not whole:
        return 0.0
    return min(1.0, float(part or 0) / float(whole))


def group_evidence(rows: Iterable[tuple[int, Evidence]]) -> dict[int, list[Evidence]]:
    """{branch_id: [evidence…]} from (branch_id, evidence) rows, at most EVIDENCE_LIMIT each."""
    grouped: dict[int, list[Evidence]] = defaultdict(list)
    for branch_id, item in rows:
        if len(grouped[branch_id]) < EVIDENCE_LIMIT:
            grouped[branch_id].append(item)
    return grouped


# --- 学习创新: innovations filed by branches and scored by the committee -------------------------


@metric(
    "innovation.score",
    label=gettext_noop("Learning innovations scored by the committee"),
    description=gettext_noop(
        "The best committee score (out of 100) of the branch's innovations filed this quarter."
    ),
)
def innovation_score(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from scorecards.models import Innovation

    scored = Innovation.objects.filter(
        branch_id__in=branch_ids,
        year=period.year,
        quarter=period.quarter,
        status=Innovation.Status.SCORED,
    )
    best = dict(
        scored.values("branch_id").annotate(best=Max("score")).values_list("branch_id", "best")
    )
    evidence = group_evidence(
        (
            row[0],
            Evidence(f"{row[2]}（{row[3]}）", reverse("scorecards:innovation", args=[row[1]])),
        )
        for row in scored.order_by("branch_id", "-score").values_list(
            "branch_id", "pk", "title", "score"
        )
    )
    return {
        branch_id: MetricResult(ratio(score, 100), evidence.get(branch_id, []))
        for branch_id, score in best.items()
    }


@metric(
    "innovation.filed",
    label=gettext_noop("Learning innovations filed"),
    description=gettext_noop("Full marks for at least one innovation filed this quarter."),
)
def innovation_filed(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from scorecards.models import Innovation

    rows = Innovation.objects.filter(
        branch_id__in=branch_ids, year=period.year, quarter=period.quarter
    ).values_list("branch_id", "pk", "title")
    evidence = group_evidence(
        (b, Evidence(title, reverse("scorecards:innovation", args=[pk]))) for b, pk, title in rows
    )
    return {b: MetricResult(1.0 if items else 0.0, items) for b, items in evidence.items()}


# --- shared helpers for the other apps' records ---------------------------------------------------


def member_counts(branch_ids: list[int]) -> dict[int, int]:
    """{branch: members}: one grouped query."""
    from portal.models import Membership

    return dict(
        Membership.objects.filter(branch_id__in=branch_ids)
        .values("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )


def _so_far(period: Quarter) -> datetime.date:
    """The last day that counts: the quarter's end, or today while the quarter runs."""
    return min(period.end, timezone.localdate())


# --- learning: plans, hours, reflections, research reports ---------------------------------------


@metric(
    "learning.study_plan",
    label=gettext_noop("Annual study plan filed and approved"),
    description=gettext_noop("1 once the year's branch plan is approved, 0.5 while it is filed."),
)
def study_plan(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from learning.models import BranchPlan, ReviewStatus

    results: dict[int, MetricResult] = {}
    for branch_id, pk, title, status in BranchPlan.objects.filter(
        organisation_id__in=branch_ids, year=period.year
    ).values_list("organisation_id", "pk", "title", "status"):
        value = {"approved": 1.0, "submitted": 0.5}.get(str(status), 0.0)
        label = f"{title}（{ReviewStatus(status).label}）"
        results[branch_id] = MetricResult(
            value, [Evidence(label, reverse("learning:branch_plan", args=[pk]))]
        )
    return results


@metric(
    "learning.personal_plans",
    label=gettext_noop("Members' personal study plans filed"),
    description=gettext_noop("Share of the branch's members with a filed plan for the year."),
)
def personal_plans(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from learning.models import ReviewStatus, StudyPlan

    plans = StudyPlan.objects.filter(
        organisation_id__in=branch_ids,
        year=period.year,
        status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED],
    )
    filed = dict(
        plans.values("organisation_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("organisation_id", "n")
    )
    members = member_counts(branch_ids)
    evidence = group_evidence(
        (
            b,
            Evidence(
                f"{name}（{ReviewStatus(status).label}）", reverse("learning:plan", args=[pk])
            ),
        )
        for b, pk, name, status in plans.order_by("organisation_id", "user__name").values_list(
            "organisation_id", "pk", "user__name", "status"
        )
    )
    return {
        b: MetricResult(
            ratio(n, members.get(b)),
            evidence.get(b, []),
            f"{n}/{members.get(b, 0)}",
        )
        for b, n in filed.items()
    }


@metric(
    "learning.study_hours",
    label=gettext_noop("Study hours against plan"),
    description=gettext_noop(
        "Hours the members logged this quarter against a quarter of their plans' yearly hours."
    ),
)
def study_hours(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from learning.models import ReviewStatus, StudyLog, StudyPlan

    logged = dict(
        StudyLog.objects.counted()
        .filter(organisation_id__in=branch_ids, studied_on__range=(period.start, period.end))
        .values("organisation_id")
        .annotate(m=Sum("minutes"))
        .values_list("organisation_id", "m")
    )
    planned = dict(
        StudyPlan.objects.filter(
            organisation_id__in=branch_ids,
            year=period.year,
            status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED],
        )
        .values("organisation_id")
        .annotate(h=Sum("target_hours"))
        .values_list("organisation_id", "h")
    )
    results: dict[int, MetricResult] = {}
    for branch_id in set(logged) | set(planned):
        hours = (logged.get(branch_id) or 0) / 60
        target = (planned.get(branch_id) or 0) / 4
        label = _("%(hours).1f hours logged against %(target).1f planned") % {
            "hours": hours,
            "target": target,
        }
        results[branch_id] = MetricResult(
            ratio(hours, target), [Evidence(str(label), reverse("learning:logs"))]
        )
    return results


# Reflection grades as a share of full marks.
GRADE_VALUES = {"excellent": 1.0, "good": 0.85, "pass": 0.7, "fail": 0.3}


@metric(
    "learning.reflections",
    label=gettext_noop("Study reflections submitted and graded"),
    description=gettext_noop(
        "Half for the share of members who submitted a reflection this quarter, half for "
        "the grades of those accepted (优秀 1, 良好 0.85, 合格 0.7, 不合格 0.3)."
    ),
)
def reflections(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from learning.models import Grade, Reflection

    submitted = Reflection.objects.filter(
        organisation_id__in=branch_ids,
        submitted_at__date__range=(period.start, period.end),
    ).exclude(status=Reflection.Status.DRAFT)
    grade_value = Case(
        *[When(grade=grade, then=Value(value)) for grade, value in GRADE_VALUES.items()],
        default=Value(None),
        output_field=FloatField(),
    )
    rows = {
        row["organisation_id"]: row
        for row in submitted.values("organisation_id").annotate(
            authors=Count("author_id", distinct=True),
            graded=Avg(grade_value, filter=Q(status=Reflection.Status.ACCEPTED)),
        )
    }
    members = member_counts(branch_ids)
    evidence = group_evidence(
        (
            b,
            Evidence(
                f"{name}：{title}" + (f"（{Grade(grade).label}）" if grade else ""),
                reverse("learning:reflection", args=[pk]),
            ),
        )
        for b, pk, name, title, grade in submitted.order_by(
            "organisation_id", "-submitted_at"
        ).values_list("organisation_id", "pk", "author__name", "title", "grade")
    )
    return {
        b: MetricResult(
            0.5 * ratio(row["authors"], members.get(b)) + 0.5 * float(row["graded"] or 0),
            evidence.get(b, []),
        )
        for b, row in rows.items()
    }


@metric(
    "learning.research_adopted",
    label=gettext_noop("Research reports adopted"),
    description=gettext_noop(
        "1 for a research report adopted this quarter, 0.5 for one submitted this quarter."
    ),
)
def research_adopted(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from learning.models import ResearchReport

    reports = ResearchReport.objects.filter(organisation_id__in=branch_ids).filter(
        Q(adopted_on__range=(period.start, period.end))
        | Q(
            submitted_at__date__range=(period.start, period.end),
            status__in=[ResearchReport.Status.SUBMITTED, ResearchReport.Status.REVIEWED],
        )
    )
    rows = (
        reports.values("organisation_id")
        .annotate(adopted=Count("pk", filter=Q(status=ResearchReport.Status.ADOPTED)))
        .values_list("organisation_id", "adopted")
    )
    evidence = group_evidence(
        (
            b,
            Evidence(
                f"{title}（{ResearchReport.Status(status).label}）",
                reverse("learning:report", args=[pk]),
            ),
        )
        for b, pk, title, status in reports.order_by("organisation_id", "-pk").values_list(
            "organisation_id", "pk", "title", "status"
        )
    )
    return {b: MetricResult(1.0 if adopted else 0.5, evidence.get(b, [])) for b, adopted in rows}


# --- meetings: 三会一课 compliance, records on time, 谈心谈话 ------------------------------------------


def _branch_units(branch_ids: list[int]) -> tuple[list[Any], dict[int, int]]:
    """The branches and {organisation id: branch id} for them and their groups (2 queries)."""
    from portal.models import Organisation

    branches = list(Organisation.objects.filter(pk__in=branch_ids))
    step = Organisation.steplen
    by_path = {b.path: b.pk for b in branches}
    owner = {b.pk: b.pk for b in branches}
    if by_path:
        for pk, path in (
            Organisation.objects.filter(kind=Organisation.Kind.GROUP)
            .annotate(parent_path=Substr("path", 1, Length("path") - step))
            .filter(parent_path__in=list(by_path))
            .values_list("pk", "path")
        ):
            owner[pk] = by_path[path[:-step]]
    return branches, owner


def _meeting_evidence(owner: dict[int, int], period: Quarter, *, late_first: bool = False) -> Any:
    from meetings.models import Meeting

    meetings = Meeting.objects.held_between(period.start, period.end).filter(
        organisation_id__in=list(owner)
    )
    order = ["-is_late", "held_on"] if late_first else ["held_on"]
    rows = meetings.order_by("organisation_id", *order).values_list(
        "organisation_id", "pk", "kind", "held_on", "topic", "is_late"
    )
    return meetings, rows


def _compliance_results(
    branch_ids: list[int], period: Quarter
) -> tuple[dict[int, dict[str, tuple[int, int]]], dict[int, int]]:
    """{branch: {kind: (held, required)}} over the periods of the rules that fall due in the
    quarter, with {organisation: branch} for evidence. A period still running counts only
    once it is met, so a quarter in progress is not marked down for what is not yet due."""
    from meetings.selectors import compliance

    branches, owner = _branch_units(branch_ids)
    today = timezone.localdate()
    totals: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in compliance(branches, period.year, today=today):
        if row.exempt or not (period.start <= row.end <= period.end) or row.start > today:
            continue
        if row.end >= today and row.held < row.required:
            continue
        held, required = totals[row.organisation.pk].get(row.kind, (0, 0))
        totals[row.organisation.pk][row.kind] = (held + row.held, required + row.required)
    return totals, owner


def _compliance_metric(kind: str | None) -> MetricFunction:
    def compute(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
        from meetings.models import Meeting

        totals, owner = _compliance_results(branch_ids, period)
        _meetings, rows = _meeting_evidence(owner, period)
        evidence = group_evidence(
            (
                owner[org_id],
                Evidence(
                    f"{day:%Y-%m-%d} {Meeting.Kind(k).label}：{topic}",
                    reverse("meetings:detail", args=[pk]),
                ),
            )
            for org_id, pk, k, day, topic, _late in rows
            if kind is None or k == kind
        )
        results: dict[int, MetricResult] = {}
        for branch_id in branch_ids:
            kinds = totals.get(branch_id, {})
            if kind is not None:
                kinds = {k: v for k, v in kinds.items() if k == kind}
            due = {k: v for k, v in kinds.items() if v[1] > 0}
            if not due:
                continue
            value = sum(min(1.0, held / required) for held, required in due.values()) / len(due)
            note = "；".join(
                f"{Meeting.Kind(k).label} {held}/{required}" for k, (held, required) in due.items()
            )
            results[branch_id] = MetricResult(value, evidence.get(branch_id, []), note)
        return results

    return compute


def _register_compliance() -> None:
    from meetings.models import Meeting

    metric(
        "meetings.compliance",
        label=gettext_noop("三会一课 held as the rules require"),
        description=gettext_noop(
            "Average over the kinds due this quarter of meetings held against the minimum."
        ),
    )(_compliance_metric(None))
    for kind in Meeting.Kind:
        metric(
            f"meetings.compliance.{kind.value}",
            label=kind.label,  # type: ignore[arg-type]  # lazy: shown in the reader's language
            description=gettext_noop(
                "Meetings of this kind held this quarter against the rule's minimum."
            ),
        )(_compliance_metric(kind.value))


_register_compliance()


@metric(
    "meetings.records_on_time",
    label=gettext_noop("Meeting records filed on time"),
    description=gettext_noop(
        "Share of the quarter's records filed on time, not backfilled (补记)."
    ),
)
def records_on_time(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from meetings.models import Meeting

    _branches, owner = _branch_units(branch_ids)
    meetings, rows = _meeting_evidence(owner, period, late_first=True)
    per_org = meetings.values("organisation_id").annotate(
        n=Count("pk"), late=Count("pk", filter=Q(is_late=True))
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in per_org:  # a branch and its groups: a handful of rows per branch
        totals[owner[row["organisation_id"]]][0] += row["n"]
        totals[owner[row["organisation_id"]]][1] += row["late"]
    backfilled = str(_("backfilled"))
    evidence = group_evidence(
        (
            owner[org_id],
            Evidence(
                f"{day:%Y-%m-%d} {Meeting.Kind(k).label}：{topic}"
                + (f"（{backfilled}）" if late else ""),
                reverse("meetings:detail", args=[pk]),
            ),
        )
        for org_id, pk, k, day, topic, late in rows
    )
    return {
        b: MetricResult(ratio(n - late, n), evidence.get(b, []), f"{n - late}/{n}")
        for b, (n, late) in totals.items()
    }


@metric(
    "meetings.talk_coverage",
    label=gettext_noop("谈心谈话 coverage"),
    description=gettext_noop(
        "Pairs of a branch committee member and another member who have had a heart-to-heart "
        "talk this year, against all such pairs."
    ),
)
def talk_coverage(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from meetings.models import Talk
    from portal.models import Membership, Position
    from portal.scoping import BRANCH_OFFICER_TITLES

    on = _so_far(period)
    officers = (
        Position.objects.current(on=on)
        .filter(organisation_id__in=branch_ids, title__in=BRANCH_OFFICER_TITLES)
        .values_list("organisation_id", "user_id")
        .distinct()
    )
    officer_sets: dict[int, set[int]] = defaultdict(set)
    for branch_id, user_id in officers:
        officer_sets[branch_id].add(user_id)
    members = member_counts(branch_ids)
    officer_members: dict[int, int] = defaultdict(int)
    for branch_id, user_id in Membership.objects.filter(
        user_id__in={u for users in officer_sets.values() for u in users},
        branch_id__in=branch_ids,
    ).values_list("branch_id", "user_id"):
        if user_id in officer_sets[branch_id]:
            officer_members[branch_id] += 1

    def is_officer(field_name: str) -> Exists:
        return Exists(
            Position.objects.current(on=on).filter(
                organisation_id=OuterRef("organisation_id"),
                user_id=OuterRef(field_name),
                title__in=BRANCH_OFFICER_TITLES,
            )
        )

    def is_member(field_name: str) -> Exists:
        return Exists(
            Membership.objects.filter(
                branch_id=OuterRef("organisation_id"), user_id=OuterRef(field_name)
            )
        )

    pair = Concat(
        Cast(Least("initiator_id", "partner_id"), CharField()),
        Value("-"),
        Cast(Greatest("initiator_id", "partner_id"), CharField()),
    )
    covered = dict(
        Talk.objects.filter(organisation_id__in=branch_ids, held_on__range=(period.year_start, on))
        .filter(
            (is_officer("initiator_id") & is_member("partner_id"))
            | (is_officer("partner_id") & is_member("initiator_id"))
        )
        .values("organisation_id")
        .annotate(n=Count(pair, distinct=True))
        .values_list("organisation_id", "n")
    )
    results: dict[int, MetricResult] = {}
    for branch_id, officer_ids in officer_sets.items():
        both = officer_members[branch_id]
        required = len(officer_ids) * members.get(branch_id, 0) - both - both * (both - 1) // 2
        done = covered.get(branch_id, 0)
        label = _("%(done)s of %(required)s pairs have talked this year") % {
            "done": done,
            "required": required,
        }
        results[branch_id] = MetricResult(
            ratio(done, required) if required else 1.0,
            [Evidence(str(label), reverse("meetings:talks"))],
        )
    return results


# --- assessment: knowledge contests ----------------------------------------------------------------


@metric(
    "assessment.contests",
    label=gettext_noop("Knowledge contest participation and scores"),
    description=gettext_noop(
        "Half for the share of members who took part in a contest closing this quarter, half "
        "for their average score."
    ),
)
def contests(branch_ids: list[int], period: Quarter) -> dict[int, MetricResult]:
    from assessment.models import Attempt

    attempts = Attempt.objects.counted().filter(
        branch_id__in=branch_ids,
        contest__closes_at__date__range=(period.start, period.end),
    )
    rows = {
        row["branch_id"]: row
        for row in attempts.values("branch_id").annotate(
            people=Count("user_id", distinct=True), average=Avg("percent")
        )
    }
    members = member_counts(branch_ids)
    evidence = group_evidence(
        (
            b,
            Evidence(
                _("%(title)s: %(n)s took part, average %(average).1f%%")
                % {"title": title, "n": n, "average": float(average or 0)},
                reverse("assessment:league", args=[contest_id]),
            ),
        )
        for b, contest_id, title, n, average in attempts.values(
            "branch_id", "contest_id", "contest__title"
        )
        .annotate(n=Count("pk"), average=Avg("percent"))
        .order_by("branch_id", "contest_id")
        .values_list("branch_id", "contest_id", "contest__title", "n", "average")
    )
    return {
        b: MetricResult(
            0.5 * ratio(row["people"], members.get(b)) + 0.5 * float(row["average"] or 0) / 100,
            evidence.get(b, []),
        )
        for b, row in rows.items()
    }


# --- a member's own contribution (the "my contribution" page) -----------------------------------------


@contribution("meetings", label=gettext_noop("Meetings attended"))
def meetings_attended(user_id: int, period: Quarter) -> list[Evidence]:
    from meetings.models import Meeting

    return [
        Evidence(
            f"{day:%Y-%m-%d} {Meeting.Kind(kind).label}：{topic}",
            reverse("meetings:detail", args=[pk]),
        )
        for pk, day, kind, topic in Meeting.objects.held_between(period.start, period.end)
        .filter(attendances__user_id=user_id, attendances__status="present")
        .order_by("held_on")
        .values_list("pk", "held_on", "kind", "topic")[:EVIDENCE_LIMIT]
    ]


@contribution("study", label=gettext_noop("Study time logged"))
def study_time(user_id: int, period: Quarter) -> list[Evidence]:
    from learning.models import StudyLog

    minutes = (
        StudyLog.objects.counted()
        .filter(user_id=user_id, studied_on__range=(period.start, period.end))
        .total_minutes()
    )
    if not minutes:
        return []
    return [
        Evidence(str(_("%(hours).1f hours") % {"hours": minutes / 60}), reverse("learning:logs"))
    ]


@contribution("reflections", label=gettext_noop("Study reflections"))
def my_reflections(user_id: int, period: Quarter) -> list[Evidence]:
    from learning.models import Reflection

    return [
        Evidence(title, reverse("learning:reflection", args=[pk]))
        for pk, title in Reflection.objects.filter(
            author_id=user_id, submitted_at__date__range=(period.start, period.end)
        )
        .exclude(status=Reflection.Status.DRAFT)
        .values_list("pk", "title")[:EVIDENCE_LIMIT]
    ]


@contribution("contests", label=gettext_noop("Knowledge contests"))
def my_contests(user_id: int, period: Quarter) -> list[Evidence]:
    from assessment.models import Attempt

    return [
        Evidence(f"{title}：{percent}%", reverse("assessment:attempt", args=[pk]))
        for pk, title, percent in Attempt.objects.counted()
        .filter(user_id=user_id, contest__closes_at__date__range=(period.start, period.end))
        .values_list("pk", "contest__title", "percent")[:EVIDENCE_LIMIT]
    ]


@contribution("research", label=gettext_noop("Research reports"))
def my_research(user_id: int, period: Quarter) -> list[Evidence]:
    from learning.models import ResearchReport

    return [
        Evidence(
            f"{title}（{ResearchReport.Status(status).label}）",
            reverse("learning:report", args=[pk]),
        )
        for pk, title, status in ResearchReport.objects.filter(authors__id=user_id)
        .exclude(status=ResearchReport.Status.DRAFT)
        .filter(created_at__date__lte=period.end)
        .values_list("pk", "title", "status")[:EVIDENCE_LIMIT]
    ]


__all__ = [
    "METRICS",
    "Evidence",
    "Metric",
    "MetricResult",
    "group_evidence",
    "metric",
    "metric_choices",
    "ratio",
]
