"""Reads for the meetings pages and for other apps, each in a fixed number of queries.

Public functions other apps call (keep these names):

* :func:`attended_meetings` – meetings a member attended in a date range;
* :func:`compliance` – per branch, kind and period: required vs held;
* :func:`due_for` – what a branch still has to hold this month / quarter / year.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from meetings.models import (
    Amendment,
    Attendance,
    ComplianceExemption,
    CompliancePeriod,
    ComplianceRule,
    Meeting,
    Talk,
)
from portal import stamps
from portal.models import Membership, Organisation, Position, User
from portal.scoping import BRANCH_OFFICER_TITLES

# DESIGN.md §2: the defaults when the admin has not set a rule (the data migration also
# writes them as rows so the admin can edit them).
DEFAULT_RULES: dict[tuple[str, str], tuple[str, int]] = {
    (Meeting.Kind.BRANCH_ASSEMBLY, Organisation.Kind.BRANCH): (CompliancePeriod.QUARTER, 1),
    (Meeting.Kind.COMMITTEE_MEETING, Organisation.Kind.BRANCH): (CompliancePeriod.MONTH, 1),
    (Meeting.Kind.GROUP_MEETING, Organisation.Kind.GROUP): (CompliancePeriod.MONTH, 1),
    (Meeting.Kind.PARTY_LECTURE, Organisation.Kind.BRANCH): (CompliancePeriod.QUARTER, 1),
    (Meeting.Kind.THEMED_PARTY_DAY, Organisation.Kind.BRANCH): (CompliancePeriod.MONTH, 1),
    (Meeting.Kind.ORGANISATIONAL_LIFE, Organisation.Kind.BRANCH): (CompliancePeriod.YEAR, 1),
    (Meeting.Kind.DEMOCRATIC_REVIEW, Organisation.Kind.BRANCH): (CompliancePeriod.YEAR, 1),
    (Meeting.Kind.PARTY_LECTURE, Organisation.Kind.COMMITTEE): (CompliancePeriod.YEAR, 1),
}

GRID_KINDS = [
    Meeting.Kind.BRANCH_ASSEMBLY,
    Meeting.Kind.COMMITTEE_MEETING,
    Meeting.Kind.GROUP_MEETING,
    Meeting.Kind.PARTY_LECTURE,
    Meeting.Kind.THEMED_PARTY_DAY,
    Meeting.Kind.ORGANISATIONAL_LIFE,
    Meeting.Kind.DEMOCRATIC_REVIEW,
]

MET, DUE, MISSED, UPCOMING, EXEMPT = "met", "due", "missed", "upcoming", "exempt"


# --- periods ---------------------------------------------------------------------------------


def period_months(period: str, index: int) -> range:
    if period == CompliancePeriod.MONTH:
        return range(index, index + 1)
    if period == CompliancePeriod.QUARTER:
        return range(3 * index - 2, 3 * index + 1)
    return range(1, 13)


def period_count(period: str) -> int:
    counts: dict[str, int] = {CompliancePeriod.MONTH: 12, CompliancePeriod.QUARTER: 4}
    return counts.get(period, 1)


def period_index(period: str, month: int) -> int:
    if period == CompliancePeriod.MONTH:
        return month
    if period == CompliancePeriod.QUARTER:
        return (month - 1) // 3 + 1
    return 1


def period_bounds(year: int, period: str, index: int) -> tuple[datetime.date, datetime.date]:
    months = period_months(period, index)
    start = datetime.date(year, months[0], 1)
    last = months[-1]
    end = (
        datetime.date(year, 12, 31)
        if last == 12
        else datetime.date(year, last + 1, 1) - datetime.timedelta(days=1)
    )
    return start, end


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    period: str
    minimum: int


class RuleBook:
    """Every rule, loaded in one query; picks the deepest local rule, then the default."""

    def __init__(self) -> None:
        self.defaults: dict[tuple[str, str], Rule] = {
            key: Rule(period, minimum) for key, (period, minimum) in DEFAULT_RULES.items()
        }
        self.local: dict[tuple[str, str], list[tuple[str, Rule]]] = defaultdict(list)
        for row in ComplianceRule.objects.select_related("organisation"):
            rule = Rule(row.period, row.minimum)
            key = (row.kind, row.organisation_kind)
            if row.organisation is None:
                self.defaults[key] = rule
            else:
                self.local[key].append((row.organisation.path, rule))

    def rule_for(self, organisation: Organisation, kind: str) -> Rule | None:
        key = (kind, organisation.kind)
        best: tuple[str, Rule] | None = None
        for path, rule in self.local.get(key, []):
            if organisation.path.startswith(path) and (best is None or len(path) > len(best[0])):
                best = (path, rule)
        found = best[1] if best else self.defaults.get(key)
        if found is None or found.minimum <= 0:
            return None
        return found


# --- compliance --------------------------------------------------------------------------------


@dataclass
class PeriodResult:
    """One branch, kind and period: how many were required and how many were held."""

    organisation: Organisation
    kind: str
    period: str
    index: int
    start: datetime.date
    end: datetime.date
    required: int
    held: int
    exempt: bool
    status: str
    exemption_reason: str = ""

    @property
    def missing(self) -> int:
        return 0 if self.exempt else max(0, self.required - self.held)

    @property
    def kind_label(self) -> str:
        return str(Meeting.Kind(self.kind).label)


def _status(required: int, held: int, exempt: bool, start: Any, end: Any, today: Any) -> str:
    if exempt:
        return EXEMPT
    if held >= required:
        return MET
    if end < today:
        return MISSED
    if start > today:
        return UPCOMING
    return DUE


@dataclass
class _Loaded:
    branches: list[Organisation]
    groups: dict[int, list[Organisation]]
    counts: dict[tuple[int, str], dict[int, int]]
    exemptions: dict[int, list[ComplianceExemption]]
    rules: RuleBook


MANY_BRANCHES = 50


def held_by_month(of: Q, year: int) -> QuerySet[Meeting, tuple[Any, ...]]:
    """(organisation, kind, then the number held in each month of ``year``) for the
    meetings ``of`` selects; drafts do not count. One row per organisation and kind (a
    province: 7,000 rows, where a row per month was 57,000 to read and convert)."""
    firsts = [datetime.date(year, m, 1) for m in range(1, 13)] + [datetime.date(year + 1, 1, 1)]
    months = {
        f"m{m}": Count("pk", filter=Q(held_on__gte=firsts[m - 1], held_on__lt=firsts[m]))
        for m in range(1, 13)
    }
    return (
        Meeting.objects.filter(of, held_on__year=year)
        .exclude(status=Meeting.Status.DRAFT)
        .values_list("organisation_id", "kind")
        .annotate(**months)
        .order_by()
    )


def _subtrees(paths: list[str], step: int) -> Q:
    """Organisations in the smallest subtree of each tree that holds ``paths`` (the
    branches of one committee: that committee's subtree, not the whole tree)."""
    by_tree: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        by_tree[path[:step]].append(path)
    within = Q(pk__in=[])
    for tree in by_tree.values():
        prefix = os.path.commonprefix(tree)  # noqa: RUF071 - tree paths, not file paths
        within |= Q(path__startswith=prefix[: len(prefix) // step * step])
    return within


def _load(branches: list[Organisation], year: int) -> _Loaded:
    """Four queries whatever the number of branches: groups, meeting counts, exemptions,
    rules."""
    paths = [b.path for b in branches]
    step = Organisation.steplen
    groups: dict[int, list[Organisation]] = defaultdict(list)
    by_path = {b.path: b for b in branches}
    # For many branches (a province: 1,000 branches and their 3,000 groups, whose ids cost
    # more to send and match than the rows themselves) rows are read by the subtree they
    # share; rows of other organisations in it are read but never looked up.
    many = len(branches) > MANY_BRANCHES
    subtree = _subtrees(paths, step)
    group_list: list[Organisation] = []
    if paths:
        found = Organisation.objects.filter(kind=Organisation.Kind.GROUP).order_by("path")
        if many:
            found = found.filter(subtree)
        else:
            found = found.annotate(parent_path=Substr("path", 1, Length("path") - step)).filter(
                parent_path__in=paths
            )
        group_list = [g for g in found if g.path[:-step] in by_path]
    for g in group_list:
        groups[by_path[g.path[:-step]].pk].append(g)
    ids = [b.pk for b in branches] + [g.pk for g in group_list]
    of = (
        Q(organisation__in=Organisation.objects.filter(subtree))
        if many
        else Q(organisation_id__in=ids)
    )
    counts: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for org_id, kind, *held in held_by_month(of, year):
        counts[(org_id, kind)] = {m: n for m, n in enumerate(held, start=1) if n}
    exemptions: dict[int, list[ComplianceExemption]] = defaultdict(list)
    for ex in ComplianceExemption.objects.filter(
        of,
        starts_on__lte=datetime.date(year, 12, 31),
        ends_on__gte=datetime.date(year, 1, 1),
    ):
        exemptions[ex.organisation_id].append(ex)
    return _Loaded(branches, groups, counts, exemptions, RuleBook())


def _exemption(
    loaded: _Loaded, org_ids: Iterable[int], kind: str, start: datetime.date, end: datetime.date
) -> ComplianceExemption | None:
    for org_id in org_ids:
        for ex in loaded.exemptions.get(org_id, []):
            if ex.kind in ("", kind) and ex.starts_on <= end and ex.ends_on >= start:
                return ex
    return None


@functools.lru_cache(maxsize=64)
def _periods(
    year: int, period: str
) -> tuple[tuple[int, datetime.date, datetime.date, tuple[int, ...]], ...]:
    """Each period of ``year``: (index, first day, last day, its months)."""
    return tuple(
        (index, *period_bounds(year, period, index), tuple(period_months(period, index)))
        for index in range(1, period_count(period) + 1)
    )


# (period, index, first day, last day, required, held, the exemption that applies)
Evaluated = tuple[str, int, datetime.date, datetime.date, int, int, ComplianceExemption | None]


def _kind_periods(
    loaded: _Loaded, year: int, branch: Organisation, kind: str
) -> Iterator[Evaluated]:
    """Each period of ``year`` for ``branch`` and ``kind``: what was required and held;
    nothing if no rule requires the kind of it. A province evaluates 46,000 periods, so
    this yields plain tuples and keeps to dictionary reads."""
    # Group meetings are required of each group: the branch's requirement is the groups'
    # requirements together, and a group holding extra meetings does not make up for
    # another that held none.
    units = loaded.groups.get(branch.pk, []) if kind == Meeting.Kind.GROUP_MEETING else [branch]
    exemptions = loaded.exemptions
    unit_rules: list[tuple[Organisation, int, dict[int, int]]] = []
    period = ""
    for unit in units:
        rule = loaded.rules.rule_for(unit, kind)
        if rule is not None:
            period = period or rule.period
            unit_rules.append((unit, rule.minimum, loaded.counts.get((unit.pk, kind), {})))
    if not unit_rules:
        return
    branch_exempted = branch.pk in exemptions
    for index, start, end, months in _periods(year, period):
        required = held = 0
        exemption = _exemption(loaded, [branch.pk], kind, start, end) if branch_exempted else None
        for unit, minimum, unit_months in unit_rules:
            if len(months) == 1:
                unit_held = unit_months.get(months[0], 0)
            else:
                unit_held = sum(unit_months.get(m, 0) for m in months)
            # A group exempted on its own (the branch is not) is left out.
            if (
                unit is not branch
                and exemption is None
                and unit.pk in exemptions
                and _exemption(loaded, [unit.pk], kind, start, end)
            ):
                continue
            required += minimum
            held += min(unit_held, minimum)
        yield period, index, start, end, required, held, exemption


def _evaluate(
    loaded: _Loaded, year: int, today: datetime.date
) -> dict[int, dict[str, list[PeriodResult]]]:
    result: dict[int, dict[str, list[PeriodResult]]] = {}
    for branch in loaded.branches:
        kinds: dict[str, list[PeriodResult]] = {}
        for kind in GRID_KINDS:
            results = [
                PeriodResult(
                    organisation=branch,
                    kind=kind,
                    period=period,
                    index=index,
                    start=start,
                    end=end,
                    required=required,
                    held=held,
                    exempt=exemption is not None,
                    status=_status(required, held, exemption is not None, start, end, today),
                    exemption_reason=exemption.reason if exemption else "",
                )
                for period, index, start, end, required, held, exemption in _kind_periods(
                    loaded, year, branch, kind
                )
            ]
            if results:
                kinds[kind] = results
        result[branch.pk] = kinds
    return result


def compliance(
    organisations: Iterable[Organisation], year: int, *, today: datetime.date | None = None
) -> list[PeriodResult]:
    """Per branch, kind and period of ``year``: required vs held (drafts do not count).

    A fixed number of queries for any number of branches. Non-branch organisations in
    ``organisations`` are skipped; group meetings are credited to their branch.
    """
    branches = [o for o in organisations if o.kind == Organisation.Kind.BRANCH]
    evaluated = _evaluate(_load(branches, year), year, today or timezone.localdate())
    return [r for b in branches for rows in evaluated[b.pk].values() for r in rows]


# --- the branch calendar --------------------------------------------------------------------


@dataclass
class Cell:
    month: int
    held: int
    status: str
    result: PeriodResult


@dataclass
class GridRow:
    kind: str
    label: str
    period: str
    cells: list[Cell]
    # The rule's minimum per organisation (per group, for 党小组会).
    minimum: int = 1
    per_group: bool = False


def branch_calendar(
    branch: Organisation, year: int, *, today: datetime.date | None = None
) -> list[GridRow]:
    """The year as kinds × months, each cell met / due / missed / upcoming / exempt with the
    number held in that month. Four queries."""
    loaded = _load([branch], year)
    evaluated = _evaluate(loaded, year, today or timezone.localdate())[branch.pk]
    rows = []
    for kind, results in evaluated.items():
        units = loaded.groups.get(branch.pk, []) if kind == Meeting.Kind.GROUP_MEETING else [branch]
        cells = []
        for month in range(1, 13):
            result = results[period_index(results[0].period, month) - 1]
            held = sum(loaded.counts.get((u.pk, kind), {}).get(month, 0) for u in units)
            cells.append(Cell(month, held, result.status, result))
        rule = next(
            (r for r in (loaded.rules.rule_for(u, kind) for u in units) if r is not None), None
        )
        rows.append(
            GridRow(
                kind,
                str(Meeting.Kind(kind).label),
                results[0].period,
                cells,
                minimum=rule.minimum if rule else 0,
                per_group=kind == Meeting.Kind.GROUP_MEETING,
            )
        )
    return rows


@dataclass
class BranchSummary:
    branch: Organisation
    missed: dict[str, int] = field(default_factory=dict)
    due: dict[str, int] = field(default_factory=dict)

    @property
    def missed_total(self) -> int:
        return sum(self.missed.values())

    @property
    def due_total(self) -> int:
        return sum(self.due.values())

    def missed_for(self, kind: str) -> int:
        return self.missed.get(kind, 0)


def committee_overview(
    organisation: Organisation,
    year: int,
    *,
    sort: str = "",
    today: datetime.date | None = None,
) -> list[BranchSummary]:
    """Every branch in the subtree with what it missed and what is due, per kind; five
    queries whatever the number of branches. ``sort``: "" (most missed first), a kind (most
    missed of that kind first) or "name"."""
    branches = list(
        Organisation.objects.filter(
            path__startswith=organisation.path, kind=Organisation.Kind.BRANCH
        ).order_by("path")
    )
    today = today or timezone.localdate()
    loaded = _load(branches, year)
    summaries = []
    for branch in branches:
        summary = BranchSummary(branch)
        for kind in GRID_KINDS:
            # What PeriodResult.missing and .status say, without building 46,000 of them.
            missed = due = 0
            evaluated = False
            for _p, _i, start, end, required, held, exemption in _kind_periods(
                loaded, year, branch, kind
            ):
                evaluated = True
                status = _status(required, held, exemption is not None, start, end, today)
                if status == MISSED:
                    missed += required - held
                elif status == DUE:
                    due += required - held
            if evaluated:
                summary.missed[kind], summary.due[kind] = missed, due
        summaries.append(summary)
    return _sorted_summaries(summaries, sort)


def _sorted_summaries(summaries: list[BranchSummary], sort: str) -> list[BranchSummary]:
    if sort == "name":
        return sorted(summaries, key=lambda s: s.branch.name)
    if sort in Meeting.Kind.values:
        return sorted(summaries, key=lambda s: (-s.missed_for(sort), s.branch.path))
    return sorted(summaries, key=lambda s: (-s.missed_total, -s.due_total, s.branch.path))


# How long a computed overview is kept. The key is a fingerprint of everything the overview
# is computed from, so a change shows at once; the expiry only bounds the cache's size.
OVERVIEW_CACHE_SECONDS = 600


# What the overview is computed from (portal/stamps.py): meetings, the tree, exemptions, rules.
OVERVIEW_TABLES = [
    "meetings_meeting",
    "portal_organisation",
    "meetings_complianceexemption",
    "meetings_compliancerule",
]


def overview_fingerprint(year: int, today: datetime.date) -> str:
    """A key that changes whenever an input of the compliance overview of ``year`` does:
    the change stamps of the tables it reads (one primary-key query, see portal/stamps.py;
    summing over the year's meetings instead cost 30–40 ms for a province), and the day
    (statuses depend on it)."""
    raw = f"{stamps.read(OVERVIEW_TABLES)}|{year}|{today.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def committee_overview_cached(
    organisation: Organisation,
    year: int,
    *,
    sort: str = "",
    today: datetime.date | None = None,
    fingerprint: str | None = None,
) -> tuple[list[BranchSummary], str]:
    """:func:`committee_overview`, kept in the cache under a fingerprint of its inputs.

    Returns the summaries and the fingerprint (pages use it to cache their rendering too).
    One query when cached (the fingerprint, none if given), six when not (fingerprint + the
    five of :func:`committee_overview`): at province scale the computation and the
    rendering of 1,000 branches take seconds.
    """
    today = today or timezone.localdate()
    fingerprint = fingerprint or overview_fingerprint(year, today)
    key = f"meetings:overview:{organisation.pk}:{organisation.path}:{fingerprint}"
    summaries: list[BranchSummary] | None = cache.get(key)
    if summaries is None:
        summaries = committee_overview(organisation, year, today=today)
        cache.set(key, summaries, OVERVIEW_CACHE_SECONDS)
    return _sorted_summaries(summaries, sort), fingerprint


@dataclass
class DueItem:
    kind: str
    label: str
    period: str
    start: datetime.date
    end: datetime.date
    required: int
    held: int

    @property
    def remaining(self) -> int:
        return max(0, self.required - self.held)


def due_for(organisation: Organisation, on: datetime.date | None = None) -> list[DueItem]:
    """What ``organisation`` (a branch) must still hold in the month, quarter and year that
    contain ``on``: the secretary's 'due this month / this quarter'. Four queries."""
    on = on or timezone.localdate()
    if organisation.kind != Organisation.Kind.BRANCH:
        return []
    evaluated = _evaluate(_load([organisation], on.year), on.year, on)[organisation.pk]
    items = []
    for kind, results in evaluated.items():
        result = results[period_index(results[0].period, on.month) - 1]
        if result.exempt or result.held >= result.required:
            continue
        items.append(
            DueItem(
                kind,
                result.kind_label,
                result.period,
                result.start,
                result.end,
                result.required,
                result.held,
            )
        )
    order: dict[str, int] = {
        CompliancePeriod.MONTH: 0,
        CompliancePeriod.QUARTER: 1,
        CompliancePeriod.YEAR: 2,
    }
    items.sort(key=lambda i: (order.get(i.period, 3), GRID_KINDS.index(Meeting.Kind(i.kind))))
    return items


def due_for_cached(
    branches: list[Organisation], on: datetime.date | None = None
) -> list[tuple[Organisation, list[DueItem]]]:
    """:func:`due_for` of each branch, kept in the cache under the change stamps of what it
    reads and the day: one query when cached (the stamps), the home page's case."""
    on = on or timezone.localdate()
    stamped = stamps.read(OVERVIEW_TABLES)
    result = []
    for branch in branches:
        key = f"meetings:due:{branch.pk}:{on.isoformat()}:{stamped}"
        items: list[DueItem] | None = cache.get(key)
        if items is None:
            items = due_for(branch, on)
            cache.set(key, items, OVERVIEW_CACHE_SECONDS)
        result.append((branch, items))
    return result


# --- meetings --------------------------------------------------------------------------------


def attended_meetings(user: Any, start: datetime.date, end: datetime.date) -> QuerySet[Meeting]:
    """Meetings (submitted or archived) held on ``start``..``end`` that ``user`` attended."""
    return (
        Meeting.objects.attended_by(user)
        .held_between(start, end)
        .select_related("organisation")
        .order_by("held_on", "pk")
    )


# What a list of meetings shows beyond the tree and names (portal/fragments.py): the
# records and their 应到/实到 counts.
LIST_TABLES = ("meetings_meeting", "meetings_attendance")
# What the dashboard and the home cards read: records, attendance (whose meetings are a
# member's) and what is due (rules, exemptions).
DASHBOARD_TABLES = (*LIST_TABLES, "meetings_complianceexemption", "meetings_compliancerule")


def meeting_list(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).for_list()


def meeting_detail(pk: int) -> Meeting | None:
    """A meeting with everything its page shows, in a fixed number of queries."""
    return (
        Meeting.objects.select_related("organisation", "host", "recorder", "lecturer", "created_by")
        .prefetch_related(
            "agenda_items",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("user").order_by(
                    "is_guest", "user__name"
                ),
            ),
            "attachments",
            Prefetch(
                "amendments",
                queryset=Amendment.objects.select_related("amended_by").order_by("version"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def upcoming_for(user: Any, *, since: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings of the member's branch and group (and committee posts) from ``since`` on,
    for the calendar feed."""
    since = since or timezone.now() - datetime.timedelta(days=30)
    # Subqueries, not joins: joining attendance and memberships and then DISTINCT took
    # two seconds with three million attendance rows. Each subquery is run once and used
    # as an indexed condition (any_of, see portal/lookups.py): a bitmap OR of three index
    # scans, under a millisecond, where IN (SELECT …) walked every meeting since ``since``.
    own = Membership.objects.filter(user=user)
    return (
        Meeting.objects.filter(
            Q(pk__any_of=Attendance.objects.filter(user=user).values("meeting_id"))
            | Q(organisation_id__any_of=own.values("branch_id"))
            | Q(organisation_id__any_of=own.exclude(group_id=None).values("group_id"))
        )
        .filter(starts_at__gte=since)
        .select_related("organisation")
        .order_by("starts_at")
    )


# --- organisational life, talks ----------------------------------------------------------


@dataclass
class DualLife:
    membership: Membership
    attended: list[Meeting]

    @property
    def done(self) -> bool:
        return bool(self.attended)


def dual_life(branch: Organisation, year: int) -> list[DualLife]:
    """双重组织生活会: each leading cadre of the branch and the branch's 组织生活会 of
    ``year`` they attended. Two queries."""
    cadres = list(
        Membership.objects.filter(branch=branch, is_leading_cadre=True)
        .select_related("user")
        .order_by("user__name")
    )
    attended: dict[int, list[Meeting]] = defaultdict(list)
    rows = Attendance.objects.filter(
        meeting__organisation=branch,
        meeting__kind=Meeting.Kind.ORGANISATIONAL_LIFE,
        meeting__held_on__year=year,
        status=Attendance.Status.PRESENT,
        user_id__in=[c.user_id for c in cadres],
    ).select_related("meeting")
    for row in rows:
        attended[row.user_id].append(row.meeting)
    return [DualLife(c, attended.get(c.user_id, [])) for c in cadres]


@dataclass
class TalkCoverage:
    required: int
    covered: int
    missing: list[tuple[User, User]]

    @property
    def percent(self) -> int:
        return 100 if self.required == 0 else round(100 * self.covered / self.required)


def talk_coverage(branch: Organisation, year: int) -> TalkCoverage:
    """谈心谈话 coverage: each branch committee member with every other member of the
    branch at least once in ``year`` (either of them may have started it). Three queries."""
    officers = {
        p.user_id: p.user
        for p in Position.objects.current(on=datetime.date(year, 12, 31))
        .filter(organisation=branch, title__in=BRANCH_OFFICER_TITLES)
        .select_related("user")
    }
    members = {
        m.user_id: m.user
        for m in Membership.objects.filter(branch=branch)
        .select_related("user")
        .order_by("user__name")
    }
    talked = set()
    for a, b in Talk.objects.filter(organisation=branch, held_on__year=year).values_list(
        "initiator_id", "partner_id"
    ):
        talked.add(frozenset((a, b)))
    required = 0
    missing = []
    for officer_id, officer in officers.items():
        for member_id, member in members.items():
            if member_id == officer_id:
                continue
            required += 1
            if frozenset((officer_id, member_id)) not in talked:
                missing.append((officer, member))
    return TalkCoverage(required, required - len(missing), missing)


def managed_branches(user: Any) -> QuerySet[Organisation]:
    from portal.scoping import scope_for

    return Organisation.objects.filter(
        scope_for(user).organisations_q(manage=True), kind=Organisation.Kind.BRANCH
    ).order_by("path")
