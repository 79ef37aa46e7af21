"""Reads for the 考学 and 述学评学 pages, and the public reads other apps use.

Public, for other apps:
* :func:`shuxue_results_for` — a member's 述学评学 results in a year (the learning archive);
* :func:`branch_contest_results` — per branch and period, contest participation rate and
  average score (the scorecards).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from assessment.access import covers_own_branch, runs
from assessment.models import (
    CHOICE_KINDS,
    LETTERS,
    Attempt,
    AttemptItem,
    Contest,
    Grade,
    QuestionKind,
    QuestionVersion,
    ShuxuePeriod,
    ShuxueRating,
    ShuxueReport,
)
from portal.models import Membership, Organisation
from portal.scoping import scope_for

# --- contests --------------------------------------------------------------------------


def contests_run_by(user: Any) -> QuerySet[Contest]:
    """Contests of the organisations the user manages or oversees."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Contest.objects.select_related("organisation")
    conditions = Q(pk__in=[])
    for path in sorted(scope.oversee_paths | scope.manage_paths):
        conditions |= Q(organisation__path__startswith=path)
    if scope.manage_nodes:
        conditions |= Q(organisation__path__in=sorted(scope.manage_nodes))
    return Contest.objects.filter(conditions).select_related("organisation")


def contests_to_take(user: Any) -> QuerySet[Contest]:
    """Published contests whose scope covers the member's own branch."""
    scope = scope_for(user)
    if not scope.own_branch_path:
        return Contest.objects.none()
    return Contest.objects.for_participant(scope.own_branch_path).select_related("organisation")


@dataclass
class ShownOption:
    letter: str  # as shown (A, B, … in display order)
    original: str  # as stored
    text: str
    chosen: bool
    correct: bool


@dataclass
class ShownItem:
    item: AttemptItem
    version: QuestionVersion
    options: list[ShownOption]

    @property
    def is_multiple(self) -> bool:
        return self.version.kind == QuestionKind.MULTIPLE

    @property
    def is_fill(self) -> bool:
        return self.version.kind == QuestionKind.FILL

    @property
    def response_display(self) -> str:
        if self.is_fill:
            return self.item.response
        return "".join(o.letter for o in self.options if o.chosen)

    @property
    def answer_display(self) -> str:
        if self.is_fill:
            return " / ".join(self.version.accepted_answers)
        return "".join(o.letter for o in self.options if o.correct)


def attempt_sheet(attempt: Attempt) -> list[ShownItem]:
    """The attempt's questions in their stored order, options in their stored order: one query."""
    items = (
        AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position")
    )
    shown = []
    for item in items:
        version = item.version
        options = []
        if version.kind in CHOICE_KINDS:
            order = item.option_order or LETTERS[: len(version.options)]
            for display, original in zip(LETTERS, order, strict=False):
                index = LETTERS.index(original)
                options.append(
                    ShownOption(
                        letter=display,
                        original=original,
                        text=version.options[index],
                        chosen=original in item.response,
                        correct=original in version.answer,
                    )
                )
        shown.append(ShownItem(item=item, version=version, options=options))
    return shown


def answers_revealed(attempt: Attempt, moment: Any = None) -> bool:
    contest = attempt.contest
    if attempt.is_open:
        return False
    if contest.reveal == Contest.Reveal.AFTER_SUBMIT:
        return True
    if contest.reveal == Contest.Reveal.AFTER_CLOSE:
        return contest.has_closed(moment)
    return False


def member_attempts(contest: Contest, user: Any) -> QuerySet[Attempt]:
    return Attempt.objects.filter(contest=contest, user=user).order_by("number")


def member_league(contest: Contest) -> QuerySet[Attempt]:
    """The counting attempt of each member, best first (ties: the quicker finish)."""
    return (
        Attempt.objects.counted()
        .filter(contest=contest)
        .select_related("user", "branch")
        .order_by("-percent", "finished_at", "pk")
    )


@dataclass
class BranchRow:
    branch: Organisation
    members: int
    participants: int
    average: Decimal | None
    passed: int

    @property
    def participation(self) -> Decimal:
        if not self.members:
            return Decimal(0)
        return (Decimal(self.participants) * 100 / self.members).quantize(Decimal("0.1"))


def branch_league(contest: Contest) -> list[BranchRow]:
    """Every branch in the contest's scope with participation rate and average score.

    Three queries whatever the number of branches or attempts: the branches, the members
    per branch, the counting attempts per branch.
    """
    path = contest.organisation.path
    branches = list(
        Organisation.objects.filter(kind=Organisation.Kind.BRANCH, path__startswith=path)
    )
    members = dict(
        Membership.objects.filter(branch__path__startswith=path)
        .values_list("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )
    results = {
        row["branch_id"]: row
        for row in Attempt.objects.counted()
        .filter(contest=contest)
        .values("branch_id")
        .annotate(
            participants=Count("user_id", distinct=True),
            average=Avg("percent"),
            passed=Count("pk", filter=Q(passed=True)),
        )
    }
    rows = []
    for branch in branches:
        result = results.get(branch.pk, {})
        average = result.get("average")
        rows.append(
            BranchRow(
                branch=branch,
                members=members.get(branch.pk, 0),
                participants=result.get("participants", 0),
                average=Decimal(average).quantize(Decimal("0.01")) if average is not None else None,
                passed=result.get("passed", 0),
            )
        )
    rows.sort(key=lambda r: (-(r.average or Decimal(-1)), -r.participation, r.branch.path))
    return rows


@dataclass
class ItemRow:
    version: QuestionVersion
    seen: int
    answered: int
    correct: int
    facility: float | None
    discrimination: float | None
    option_counts: list[tuple[str, str, int, bool]] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        if self.facility is None:
            return False
        return (
            self.facility < 0.2
            or self.facility > 0.95
            or (self.discrimination is not None and self.discrimination < 0.2)
        )


def item_analysis(contest: Contest) -> list[ItemRow]:
    """Facility, discrimination (upper vs lower 27% by score) and option frequencies.

    Over the counting attempts; five queries whatever the number of attempts: the count,
    the two group boundaries, one grouped aggregate of the answers, and the versions.
    """
    counted = Attempt.objects.counted().filter(contest=contest)
    n = counted.count()
    if n == 0:
        return []
    k = max(1, round(n * 0.27))
    upper_cut = counted.order_by("-percent", "pk").values_list("percent", flat=True)[k - 1]
    lower_cut = counted.order_by("percent", "pk").values_list("percent", flat=True)[k - 1]
    upper = Q(attempt__percent__gte=upper_cut)
    lower = Q(attempt__percent__lte=lower_cut)
    option_counts = {letter: Count("pk", filter=Q(response__contains=letter)) for letter in LETTERS}
    rows = (
        AttemptItem.objects.filter(attempt__contest=contest, attempt__counts=True)
        .values("version_id")
        .annotate(
            seen=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            correct=Count("pk", filter=Q(is_correct=True)),
            upper_n=Count("pk", filter=upper),
            upper_correct=Count("pk", filter=upper & Q(is_correct=True)),
            lower_n=Count("pk", filter=lower),
            lower_correct=Count("pk", filter=lower & Q(is_correct=True)),
            **option_counts,
        )
    )
    data = {row["version_id"]: row for row in rows}
    versions = QuestionVersion.objects.filter(pk__in=list(data)).select_related("question")
    result = []
    for version in versions:
        row = data[version.pk]
        facility = row["correct"] / row["seen"] if row["seen"] else None
        discrimination = None
        if n >= 2 and row["upper_n"] and row["lower_n"]:
            discrimination = (
                row["upper_correct"] / row["upper_n"] - row["lower_correct"] / row["lower_n"]
            )
        counts = []
        if version.kind in CHOICE_KINDS:
            counts = [
                (letter, text, row[letter], letter in version.answer)
                for letter, text in zip(LETTERS, version.options, strict=False)
            ]
        result.append(
            ItemRow(
                version=version,
                seen=row["seen"],
                answered=row["answered"],
                correct=row["correct"],
                facility=facility,
                discrimination=discrimination,
                option_counts=counts,
            )
        )
    result.sort(key=lambda r: (r.facility if r.facility is not None else 2, r.version.pk))
    return result


ANSWER_COLUMNS = (
    "姓名",
    "所在支部",
    "第几次",
    "开始时间",
    "结束时间",
    "状态",
    "是否计分",
    "题号",
    "题型",
    "专题",
    "题干",
    "作答",
    "正确答案",
    "是否正确",
    "分值",
    "作答时间",
)


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None)


def answer_rows(contest: Contest) -> Iterable[list[Any]]:
    """Every answer of every member, one query streamed in chunks."""
    from assessment.bankio import KIND_NAMES

    items = (
        AttemptItem.objects.filter(attempt__contest=contest)
        .select_related("attempt__user", "attempt__branch", "version__question")
        .order_by("attempt__branch__path", "attempt__user__name", "attempt__number", "position")
    )
    for item in items.iterator(chunk_size=2000):
        attempt, version = item.attempt, item.version
        if version.kind == QuestionKind.FILL:
            correct_answer = " / ".join(version.accepted_answers)
        elif version.kind == QuestionKind.TRUE_FALSE:
            correct_answer = "正确" if version.answer == "A" else "错误"
        else:
            correct_answer = version.answer
        response = item.response
        if version.kind == QuestionKind.TRUE_FALSE and response:
            response = "正确" if response == "A" else "错误"
        yield [
            attempt.user.name,
            attempt.branch.name,
            attempt.number,
            _local(attempt.started_at),
            _local(attempt.finished_at),
            str(attempt.get_status_display()),
            "是" if attempt.counts else "否",
            item.position,
            KIND_NAMES[QuestionKind(version.kind)],
            version.question.topic,
            version.stem,
            response,
            correct_answer,
            "" if item.is_correct is None else ("是" if item.is_correct else "否"),
            item.points,
            _local(item.answered_at),
        ]


def answers_export(contest: Contest) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("作答明细")
    header = []
    from openpyxl.cell import WriteOnlyCell

    for title in ANSWER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in answer_rows(contest):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- public reads for other apps -------------------------------------------------------


@dataclass
class BranchContestResult:
    branch_id: int
    eligible: int  # member × contest pairs the branch owed
    participated: int  # counting attempts by the branch's members
    average: Decimal | None

    @property
    def participation_rate(self) -> Decimal:
        if not self.eligible:
            return Decimal(0)
        return (Decimal(self.participated) * 100 / self.eligible).quantize(Decimal("0.1"))


def branch_contest_results(
    *, branches: Iterable[Organisation], start: datetime.date, end: datetime.date
) -> dict[int, BranchContestResult]:
    """Per branch, for the published contests that closed within [start, end]:
    participation rate (counting attempts ÷ members × contests in scope) and the average
    score (%) of the counting attempts. Three queries whatever the number of branches.
    """
    branch_list = list(branches)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    contests = list(
        Contest.objects.filter(
            is_published=True, closes_at__gte=since, closes_at__lt=until
        ).values_list("pk", "organisation__path")
    )
    members = dict(
        Membership.objects.filter(branch__in=branch_list)
        .values_list("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )
    stats = {
        row["branch_id"]: row
        for row in Attempt.objects.counted()
        .filter(contest_id__in=[pk for pk, _path in contests], branch__in=branch_list)
        .values("branch_id")
        .annotate(n=Count("pk"), average=Avg("percent"))
    }
    result = {}
    for branch in branch_list:
        in_scope = sum(1 for _pk, path in contests if branch.path.startswith(path))
        row = stats.get(branch.pk, {})
        average = row.get("average")
        result[branch.pk] = BranchContestResult(
            branch_id=branch.pk,
            eligible=in_scope * members.get(branch.pk, 0),
            participated=row.get("n", 0),
            average=Decimal(average).quantize(Decimal("0.01")) if average is not None else None,
        )
    return result


@dataclass
class ShuxueResult:
    period: ShuxuePeriod
    report: ShuxueReport
    score: Decimal | None
    grade: str
    grade_display: str


def shuxue_results_for(user: Any, year: int) -> list[ShuxueResult]:
    """The member's 述学 reports of ``year`` with their median score and grade: one query."""
    reports = (
        ShuxueReport.objects.filter(user=user, period__year=year)
        .select_related("period")
        .order_by("period__opens_on", "pk")
    )
    return [
        ShuxueResult(
            period=r.period,
            report=r,
            score=r.score,
            grade=r.grade,
            grade_display=str(Grade(r.grade).label) if r.grade else "",
        )
        for r in reports
    ]


# --- 述学评学 pages ----------------------------------------------------------------------


def periods_for(user: Any) -> QuerySet[ShuxuePeriod]:
    scope = scope_for(user)
    if scope.is_superuser:
        return ShuxuePeriod.objects.select_related("organisation")
    conditions = Q(pk__in=[])
    for path in sorted(scope.oversee_paths | scope.manage_paths):
        conditions |= Q(organisation__path__startswith=path)
    if scope.manage_nodes:
        conditions |= Q(organisation__path__in=sorted(scope.manage_nodes))
    if scope.own_branch_path:
        steplen = Organisation.steplen
        own = scope.own_branch_path
        conditions |= Q(
            organisation__path__in=[own[: steplen * i] for i in range(1, len(own) // steplen + 1)]
        )
    return ShuxuePeriod.objects.filter(conditions).select_related("organisation", "rubric")


def period_reports(period: ShuxuePeriod, user: Any) -> QuerySet[ShuxueReport]:
    """Reports of the period the user may open: all in their charge, else their branch's."""
    scope = scope_for(user)
    reports = ShuxueReport.objects.filter(period=period).select_related("user", "branch")
    if scope.is_superuser or any(
        period.organisation.path.startswith(p) for p in scope.oversee_paths
    ):
        return reports
    conditions = Q(user=user)
    for path in sorted(scope.manage_paths | scope.oversee_paths):
        conditions |= Q(branch__path__startswith=path, status=ShuxueReport.Status.SUBMITTED)
    if scope.own_branch_id is not None:
        conditions |= Q(branch_id=scope.own_branch_id, status=ShuxueReport.Status.SUBMITTED)
    return reports.filter(conditions)


def report_ratings(report: ShuxueReport) -> list[ShuxueRating]:
    """Ratings with their criterion scores: two queries."""
    from django.db.models import Prefetch

    from assessment.models import ShuxueRatingScore

    return list(
        report.ratings.select_related("rater").prefetch_related(
            Prefetch(
                "scores",
                queryset=ShuxueRatingScore.objects.select_related("criterion", "level"),
                to_attr="score_list",
            )
        )
    )


__all__ = [
    "BranchContestResult",
    "ShuxueResult",
    "answer_rows",
    "answers_export",
    "answers_revealed",
    "attempt_sheet",
    "branch_contest_results",
    "branch_league",
    "contests_run_by",
    "contests_to_take",
    "covers_own_branch",
    "item_analysis",
    "member_attempts",
    "member_league",
    "period_reports",
    "periods_for",
    "runs",
    "shuxue_results_for",
]


def contest_results_for(user: Any, year: int) -> QuerySet[Attempt]:
    """The attempts that count for ``user`` in contests that closed in ``year``: one query."""
    return (
        Attempt.objects.filter(user=user, counts=True, contest__closes_at__year=year)
        .select_related("contest")
        .order_by("contest__closes_at", "pk")
    )
