"""Reads for the scorecard pages and the report, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Rank

from portal.models import Membership, Organisation, User
from scorecards.models import (
    DIMENSION_FIELDS,
    Commendation,
    Dimension,
    IndicatorSet,
    Inspection,
    Scorecard,
    ScorecardLine,
)
from scorecards.quarters import Quarter

SORTS = {
    "total": ("-total", "branch__path"),
    "-total": ("total", "branch__path"),
    "name": ("branch__path",),
    "change": ("-change_value", "branch__path"),
    **{d.value: (f"-{DIMENSION_FIELDS[d]}", "branch__path") for d in Dimension},
}


# What the committee's table shows beyond the tree and names (portal/fragments.py): the
# scorecards, their ranks and their trend over the last quarters. The latest build's
# progress is live and drawn outside the cached body.
TABLE_TABLES = ("scorecards_scorecard",)


def latest_scorecards(committee: Organisation, period: Quarter) -> QuerySet[Scorecard]:
    """The newest version of each branch's scorecard for the quarter in the subtree."""
    return (
        Scorecard.objects.for_quarter(period)
        .newest_versions()
        .in_subtree(committee)
        .select_related("branch")
    )


def subtree_ranks(committee: Organisation, period: Quarter) -> dict[int, int]:
    """{scorecard id: rank by total within the committee's subtree}: one query, in the DB."""
    return dict(
        Scorecard.objects.for_quarter(period)
        .newest_versions()
        .in_subtree(committee)
        .annotate(place=Window(Rank(), order_by=F("total").desc()))
        .values_list("pk", "place")
    )


@dataclass
class TableRow:
    scorecard: Scorecard
    rank: int
    trend: list[float | None]

    @property
    def arrow(self) -> str:
        change = self.scorecard.change
        if change is None or change == 0:
            return "→"
        return "↑" if change > 0 else "↓"

    @property
    def sparkline(self) -> str:
        """SVG polyline points for the last quarters' totals (as a share of the maximum)."""
        values = [v for v in self.trend if v is not None]
        if len(values) < 2:
            return ""
        points = []
        step = 60 / max(1, len(self.trend) - 1)
        for n, value in enumerate(self.trend):
            if value is not None:
                points.append(f"{n * step:.0f},{18 - value * 16:.1f}")
        return " ".join(points)


def committee_table(
    committee: Organisation,
    period: Quarter,
    *,
    q: str = "",
    state: str = "",
    under: Organisation | None = None,
    sort: str = "total",
) -> QuerySet[Scorecard]:
    scorecards = latest_scorecards(committee, period).annotate(
        change_value=F("total") - F("previous_total")
    )
    if q:
        scorecards = scorecards.filter(branch__name__icontains=q)
    if state:
        scorecards = scorecards.filter(state=state)
    if under is not None:
        scorecards = scorecards.filter(branch__path__startswith=under.path)
    return scorecards.order_by(*SORTS.get(sort, SORTS["total"]))


def table_rows(
    scorecards: list[Scorecard], ranks: dict[int, int], period: Quarter, quarters: int = 4
) -> list[TableRow]:
    """Rows for one page of the table, with each branch's trend over the last quarters
    (one query for the whole page)."""
    recent = period.back(quarters)
    branch_ids = [s.branch_id for s in scorecards]
    condition = Q(pk__in=[])
    for each in recent:
        condition |= Q(year=each.year, quarter=each.quarter)
    history: dict[tuple[int, int], float] = {}
    for branch_id, year, number, total, max_total in (
        Scorecard.objects.filter(condition, branch_id__in=branch_ids)
        .order_by("version")
        .values_list("branch_id", "year", "quarter", "total", "max_total")
    ):
        history[(branch_id, Quarter(year, number).index)] = (
            float(total / max_total) if max_total else 0.0
        )
    return [
        TableRow(
            s,
            ranks.get(s.pk, 0),
            [history.get((s.branch_id, quarter.index)) for quarter in recent],
        )
        for s in scorecards
    ]


def dimension_maxima(lines: list[ScorecardLine]) -> dict[str, Decimal]:
    maxima = {d.value: Decimal(0) for d in Dimension}
    for line in lines:
        maxima[line.indicator.dimension] += line.max_points
    return maxima


@dataclass
class ScorecardPage:
    scorecard: Scorecard
    lines_by_dimension: list[tuple[str, str, Decimal, Decimal, list[ScorecardLine]]]
    versions: list[Scorecard]
    radar: dict[str, Any]
    confirmed: Scorecard | None = None
    differs: list[str] = field(default_factory=list)


def scorecard_page(scorecard: Scorecard) -> ScorecardPage:
    """The scorecard with its lines by dimension, its other versions and the radar data."""
    lines = list(
        ScorecardLine.objects.filter(scorecard=scorecard)
        .select_related("indicator")
        .order_by("indicator__position", "indicator_id")
    )
    versions = list(
        Scorecard.objects.filter(
            branch_id=scorecard.branch_id, year=scorecard.year, quarter=scorecard.quarter
        )
        .order_by("-version")
        .only("pk", "version", "state", "total", "computed_at", "confirmed_at", "branch_id")
    )
    maxima = dimension_maxima(lines)
    grouped: list[tuple[str, str, Decimal, Decimal, list[ScorecardLine]]] = []
    for dimension in Dimension:
        own = [line for line in lines if line.indicator.dimension == dimension]
        grouped.append(
            (
                dimension.value,
                str(dimension.label),
                getattr(scorecard, DIMENSION_FIELDS[dimension]),
                maxima[dimension],
                own,
            )
        )
    radar = {
        "labels": [str(d.label) for d in Dimension],
        "values": [
            round(float(points / maximum) * 100, 1) if maximum else 0
            for _code, _label, points, maximum, _lines in grouped
        ],
    }
    confirmed = next(
        (v for v in versions if v.state == Scorecard.State.CONFIRMED and v.pk != scorecard.pk),
        None,
    )
    differs: list[str] = []
    if confirmed is not None:
        theirs = dict(
            ScorecardLine.objects.filter(scorecard=confirmed).values_list(
                "indicator__code", "points"
            )
        )
        differs = [
            line.indicator.code for line in lines if theirs.get(line.indicator.code) != line.points
        ]
    return ScorecardPage(scorecard, grouped, versions, radar, confirmed, differs)


def inspections_for(committee: Organisation, period: Quarter | None = None) -> QuerySet[Inspection]:
    rows = Inspection.objects.filter(branch__path__startswith=committee.path).select_related(
        "branch", "inspector"
    )
    if period is not None:
        rows = rows.in_quarter(period)
    return rows


def indicator_set_versions(committee: Organisation) -> QuerySet[IndicatorSet]:
    return (
        IndicatorSet.objects.filter(committee=committee)
        .annotate(n_indicators=Count("indicators", distinct=True))
        .order_by("-year", "-quarter", "-version")
    )


# --- commendations --------------------------------------------------------------------------


def commendations_for(
    user_or_org: User | Organisation, year: int | None = None
) -> QuerySet[Commendation]:
    """Confirmed commendations of a member (a User) or an organisation (and, for a committee
    or 党总支, every branch below it), newest first; ``year`` narrows to one year."""
    rows = Commendation.objects.confirmed().select_related("organisation", "user", "committee")
    if isinstance(user_or_org, Organisation):
        if user_or_org.kind == Organisation.Kind.BRANCH:
            rows = rows.filter(organisation=user_or_org)
        else:
            rows = rows.filter(organisation__path__startswith=user_or_org.path)
    else:
        rows = rows.filter(user=user_or_org)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "-quarter", "kind")


def commendations_of_committee(committee: Organisation, year: int) -> QuerySet[Commendation]:
    return (
        Commendation.objects.filter(committee=committee, year=year)
        .select_related("organisation", "user", "scorecard")
        .order_by("status", "-quarter", "kind", "pk")
    )


# --- the report --------------------------------------------------------------------------------


@dataclass
class ReportData:
    committee: Organisation
    period: Quarter
    rows: list[tuple[int, Scorecard]]
    dimension_max: dict[str, Decimal]
    distribution: list[tuple[str, int]]
    trend: list[tuple[str, float]]
    problems: list[Inspection]
    commendations: list[Commendation]
    branch_total: int
    confirmed: int

    @property
    def average(self) -> float:
        if not self.rows:
            return 0.0
        return float(sum(s.total for _r, s in self.rows)) / len(self.rows)

    @property
    def strongest(self) -> Scorecard | None:
        return self.rows[0][1] if self.rows else None

    @property
    def weakest(self) -> Scorecard | None:
        return self.rows[-1][1] if self.rows else None

    def radar(self, scorecard: Scorecard) -> list[float]:
        return [
            round(float(getattr(scorecard, DIMENSION_FIELDS[d]) / self.dimension_max[d]) * 100, 1)
            if self.dimension_max[d]
            else 0.0
            for d in Dimension
        ]


BUCKETS = [(90, "≥90%"), (80, "80–89%"), (70, "70–79%"), (60, "60–69%"), (0, "<60%")]


def report_data(committee: Organisation, period: Quarter) -> ReportData:
    """Everything the quarterly report shows, in a fixed number of queries."""
    ranks = subtree_ranks(committee, period)
    scorecards = list(latest_scorecards(committee, period).order_by("-total", "branch__path"))
    rows = [(ranks.get(s.pk, 0), s) for s in scorecards]
    dimension_max = {d.value: Decimal(0) for d in Dimension}
    if scorecards:
        sample = scorecards[0]
        for dimension, maximum in (
            ScorecardLine.objects.filter(scorecard=sample)
            .values_list("indicator__dimension")
            .annotate(m=Sum("max_points"))
        ):
            dimension_max[dimension] = maximum
    distribution = dict.fromkeys([label for _low, label in BUCKETS], 0)
    for s in scorecards:
        share = s.percent
        for low, label in BUCKETS:
            if share >= low:
                distribution[label] += 1
                break
    trend: list[tuple[str, float]] = []
    recent = period.back(4)
    condition = Q(pk__in=[])
    for quarter in recent:
        condition |= Q(year=quarter.year, quarter=quarter.quarter)
    averages = {
        (y, q): (float(t or 0), float(m or 0), n)
        for y, q, t, m, n in Scorecard.objects.filter(condition)
        .newest_versions()
        .in_subtree(committee)
        .values("year", "quarter")
        .annotate(t=Sum("total"), m=Sum("max_total"), n=Count("pk"))
        .values_list("year", "quarter", "t", "m", "n")
    }
    for quarter in recent:
        total, maximum, _n = averages.get((quarter.year, quarter.quarter), (0.0, 0.0, 0))
        trend.append((str(quarter.label), round(total * 100 / maximum, 1) if maximum else 0.0))
    problems = list(
        inspections_for(committee, period).exclude(problems="").order_by("branch__path")
    )
    commendations = list(
        Commendation.objects.filter(committee=committee, year=period.year, quarter=period.quarter)
        .exclude(status=Commendation.Status.DECLINED)
        .select_related("organisation", "user")
    )
    branch_total = Organisation.objects.filter(
        path__startswith=committee.path, kind=Organisation.Kind.BRANCH, is_active=True
    ).count()
    return ReportData(
        committee,
        period,
        rows,
        dimension_max,
        list(distribution.items()),
        trend,
        problems,
        commendations,
        branch_total,
        sum(1 for s in scorecards if s.state == Scorecard.State.CONFIRMED),
    )


def member_branch(user: Any) -> Membership | None:
    return Membership.objects.select_related("branch").filter(user=user).first()
