"""Reads for the 考学 and 述学评学 pages, and the public reads other apps use.

Public, for other apps:
* :func:`shuxue_results_for` — a member's 述学评学 results in a year (the learning archive);
* :func:`branch_contest_results` — per branch and period, contest participation rate and
  average score (the scorecards).
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, F, Max, Q, QuerySet, Sum
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
from portal import stamps
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


@dataclass(frozen=True)
class TakeQuestion:
    """One question of an open attempt as drawn: what the question page shows besides the
    member's answer. Fixed once the attempt starts (its items and their versions are never
    edited), so it is kept in the cache for the attempt's life."""

    position: int
    kind: str
    stem: str
    options: tuple[tuple[str, str, str], ...]  # (letter shown, letter stored, text)


def take_questions(attempt: Attempt) -> tuple[list[TakeQuestion], dict[int, str]]:
    """The open attempt's questions and its saved answers by position: one query.

    Every member taking a contest opens this page, and again after each reload; the drawn
    questions come from the cache and only the answers (position and response, no model
    rows) are read. A miss reads both with :func:`attempt_sheet`, still one query."""
    key = f"assessment:take:{attempt.pk}:{attempt.started_at.timestamp()}"
    questions: list[TakeQuestion] | None = cache.get(key)
    if questions is not None:
        rows = AttemptItem.objects.filter(attempt_id=attempt.pk).values_list("position", "response")
        return questions, dict(rows)
    sheet = attempt_sheet(attempt)
    questions = [
        TakeQuestion(
            position=s.item.position,
            kind=s.version.kind,
            stem=s.version.stem,
            options=tuple((o.letter, o.original, o.text) for o in s.options),
        )
        for s in sheet
    ]
    remaining = (attempt.deadline - timezone.now()).total_seconds()
    cache.set(key, questions, max(60, int(remaining) + 60))
    return questions, {s.item.position: s.item.response for s in sheet}


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


# --- cached league tables and item analysis ----------------------------------------------
#
# At province scale a contest has thousands of counting attempts and 100,000+ answers: the
# leagues and the item analysis are computed from them, so they are kept in the cache
# under a fingerprint of the counting attempts (their number, the latest finish and the
# sum of their scores: one index-only scan of ``attempt_counted``). A finished attempt
# changes it, so it shows at once. A counting attempt never changes once finished (answers
# after the finish are refused), so the fingerprint covers everything the member order and
# the item analysis are computed from.

# The branch league also reads the branches' names and member counts: its key adds the
# change stamps of memberships and the tree (portal/stamps.py). The expiry only bounds memory.
LEAGUE_CACHE_SECONDS = 10 * 60
# The item analysis depends on the counting attempts alone: the expiries only bound memory.
# Each fingerprint's result is small and soon replaced while a contest runs; the running
# tally (one per contest) is what saves counting every answer again.
ANALYSIS_CACHE_SECONDS = 10 * 60
ANALYSIS_STATE_SECONDS = 24 * 60 * 60


def counted_fingerprint(contest: Contest) -> tuple[int, str]:
    """(number of counting attempts, fingerprint of them): one indexed query."""
    row = (
        Attempt.objects.counted()
        .filter(contest=contest)
        .aggregate(n=Count("*"), last=Max("finished_at"), total=Sum("percent"))
    )
    last = row["last"].isoformat() if row["last"] is not None else ""
    return row["n"], f"{contest.pk}.{row['n']}.{last}.{row['total']}"


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


def _counted_rows(contest: Contest) -> list[tuple[int, int, int, Decimal | None, bool | None]]:
    """(pk, branch, member, percent, passed) of the counting attempts, in league order."""
    return list(
        Attempt.objects.counted()
        .filter(contest=contest)
        .order_by("-percent", "finished_at", "pk")
        .values_list("pk", "branch_id", "user_id", "percent", "passed")
    )


def _branch_rows(
    contest: Contest, counted: list[tuple[int, int, int, Decimal | None, bool | None]]
) -> list[BranchRow]:
    """Every branch in the contest's scope with participation and average: two queries."""
    path = contest.organisation.path
    branches = list(
        Organisation.objects.filter(kind=Organisation.Kind.BRANCH, path__startswith=path)
    )
    # By branch id, without joining the tree: branches' memberships are all of the branch kind.
    members = dict(
        Membership.objects.filter(branch_id__in=[b.pk for b in branches])
        .order_by()
        .values_list("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )
    users: dict[int, set[int]] = {}
    percents: dict[int, list[Decimal]] = {}
    passed: dict[int, int] = {}
    for _pk, branch_id, user_id, percent, did_pass in counted:
        users.setdefault(branch_id, set()).add(user_id)
        if percent is not None:
            percents.setdefault(branch_id, []).append(percent)
        if did_pass:
            passed[branch_id] = passed.get(branch_id, 0) + 1
    rows = []
    for branch in branches:
        scores = percents.get(branch.pk)
        average = None
        if scores:
            average = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))
        rows.append(
            BranchRow(
                branch=branch,
                members=members.get(branch.pk, 0),
                participants=len(users.get(branch.pk, ())),
                average=average,
                passed=passed.get(branch.pk, 0),
            )
        )
    rows.sort(key=lambda r: (-(r.average or Decimal(-1)), -r.participation, r.branch.path))
    return rows


def branch_league(contest: Contest) -> list[BranchRow]:
    """Every branch in the contest's scope with participation rate and average score.

    Three queries whatever the number of branches or attempts: the counting attempts, the
    branches, the members per branch.
    """
    return _branch_rows(contest, _counted_rows(contest))


# (name, members, participants, participation, average): a branch league row as kept in
# the cache, the two rates as decimal text ("57.1", None for no average): plain values are
# cheap to unpickle for 1,000 branches.
CachedBranchRow = tuple[str, int, int, str, str | None]


@dataclass
class LeagueTables:
    count: int  # counting attempts
    member_order: list[int]  # their pks, best first
    branches: list[CachedBranchRow]  # best first


def league_tables(contest: Contest, known: tuple[int, str] | None = None) -> LeagueTables:
    """The member order and the branch league, cached under the counting attempts'
    fingerprint and the change stamps of memberships and the tree (branch sizes and
    names; portal/stamps.py): two queries when cached, five when not. ``known`` is
    :func:`counted_fingerprint` if the caller has read it (one query fewer)."""
    count, fingerprint = known if known is not None else counted_fingerprint(contest)
    people = stamps.read(["portal_membership", "portal_organisation"])
    key = f"assessment:league:{contest.organisation.path}:{fingerprint}:{people}"
    tables: LeagueTables | None = cache.get(key)
    if tables is None:
        counted = _counted_rows(contest) if count else []
        tables = LeagueTables(
            count=len(counted),
            member_order=[row[0] for row in counted],
            branches=[
                (
                    r.branch.name,
                    r.members,
                    r.participants,
                    f"{r.participation:f}",
                    f"{r.average:f}" if r.average is not None else None,
                )
                for r in _branch_rows(contest, counted)
            ],
        )
        cache.set(key, tables, LEAGUE_CACHE_SECONDS)
    return tables


# What the league page's rendered tables show besides the counting attempts (their
# fingerprint): the contest (its scope), branch names and sizes, members' names.
LEAGUE_PAGE_TABLES = (
    "assessment_contest",
    "portal_organisation",
    "portal_membership",
    "portal_user",
)


def league_page_key(contest: Contest, fingerprint: str, path: str, language: str) -> str:
    """The cache key of the league page's rendered tables (``path``: the page with its
    query string, the two paginations). The same for everyone who may see the league (the
    view checks that first): nothing in them depends on the user or the day."""
    parts = (str(contest.pk), fingerprint, stamps.read(LEAGUE_PAGE_TABLES), path, language)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# (name, branch, score, passed): a member league row.
MemberRow = tuple[str, str, Decimal | None, bool | None]


def league_members(pks: list[int]) -> list[MemberRow]:
    """The member league rows of the attempts ``pks``, in the order given: one query."""
    found = {
        row[0]: row[1:]
        for row in Attempt.objects.filter(pk__in=pks)
        .order_by()
        .values_list("pk", "user__name", "branch__name", "percent", "passed")
    }
    return [found[pk] for pk in pks if pk in found]


@dataclass
class ItemRow:
    version: QuestionVersion
    seen: int
    answered: int
    correct: int
    facility: float | None
    discrimination: float | None
    option_counts: list[tuple[str, str, int, bool]] = field(default_factory=list)
    topic: str = ""  # the question's topic now

    @property
    def needs_review(self) -> bool:
        if self.facility is None:
            return False
        return (
            self.facility < 0.2
            or self.facility > 0.95
            or (self.discrimination is not None and self.discrimination < 0.2)
        )


# Per (question version, attempt score): seen, answered, correct, then one count per letter.
_TALLIES = ("seen", "answered", "correct", *LETTERS)
Tally = dict[tuple[int, Decimal | None], list[int]]


def _tally(attempt_ids: list[int]) -> Tally:
    """Answers of ``attempt_ids`` counted per (version, attempt score): one query.

    Grouping by score rather than by the upper and lower 27% keeps the tally additive: it
    does not change when later attempts move the group boundaries, so a finished attempt
    is added to it instead of counting 180,000 answers again.
    """
    if not attempt_ids:
        return {}
    option_counts = {letter: Count("pk", filter=Q(response__contains=letter)) for letter in LETTERS}
    rows = (
        AttemptItem.objects.filter(attempt_id__in=attempt_ids)
        .order_by()
        .values_list("version_id", "attempt__percent")
        .annotate(
            seen=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            correct=Count("pk", filter=Q(is_correct=True)),
            **option_counts,
        )
    )
    return {(row[0], row[1]): list(row[2:]) for row in rows}


def _merge(tally: Tally, other: Tally, sign: int) -> None:
    for key, counts in other.items():
        mine = tally.setdefault(key, [0] * len(_TALLIES))
        for i, n in enumerate(counts):
            mine[i] += sign * n
        if not mine[0]:
            del tally[key]


@dataclass
class _AnalysisState:
    # The counting attempts tallied: pk → (score, finish). The finish tells an attempt from
    # a later one with the same pk (a database restored from a backup) apart.
    attempts: dict[int, tuple[Decimal | None, datetime.datetime | None]]
    tally: Tally


# Per version: (version pk, seen, answered, correct, upper group's answers, their correct
# ones, lower group's answers, their correct ones, then one count per letter), as kept in
# the cache: plain integers are cheap to unpickle for 400 questions.
ItemStats = tuple[int, ...]


def _item_stats(contest: Contest, fingerprint: str) -> list[ItemStats]:
    """Per version: the counts the analysis is computed from, over the counting attempts.

    Kept under the fingerprint; when it changed, the tally of the last computation is
    brought up to date with the attempts that started or stopped counting since (two
    queries) rather than computed again over every answer.
    """
    key = f"assessment:analysis:{fingerprint}"
    stats: list[ItemStats] | None = cache.get(key)
    if stats is not None:
        return stats
    current = {
        pk: (percent, finished_at)
        for pk, percent, finished_at in Attempt.objects.counted()
        .filter(contest=contest)
        .order_by()
        .values_list("pk", "percent", "finished_at")
    }
    state_key = f"assessment:analysis-state:{contest.pk}"
    state: _AnalysisState | None = cache.get(state_key)
    added: list[int] = list(current)
    removed: list[int] = []
    taken_off: Tally | None = {}
    if state is not None:
        known = state.attempts
        added = [pk for pk, seen in current.items() if known.get(pk) != seen]
        removed = [pk for pk, seen in known.items() if current.get(pk) != seen]
        if removed:
            taken_off = _tally_of_removed(state, removed)
    if state is None or taken_off is None or len(added) + len(removed) > len(current) // 2:
        state = _AnalysisState(attempts=current, tally=_tally(list(current)))
    else:
        _merge(state.tally, _tally(added), 1)
        _merge(state.tally, taken_off, -1)
        state.attempts = current
    cache.set(state_key, state, ANALYSIS_STATE_SECONDS)
    stats = _stats_from(state)
    cache.set(key, stats, ANALYSIS_CACHE_SECONDS)
    return stats


def _tally_of_removed(state: _AnalysisState, removed: list[int]) -> Tally | None:
    """The tally of attempts that stopped counting since ``state``: two queries. None when
    one of them is gone or is no longer the attempt tallied (its answers cannot be taken
    off then: the caller counts every answer again)."""
    still = {
        pk: (percent, finished_at)
        for pk, percent, finished_at in Attempt.objects.filter(pk__in=removed)
        .order_by()
        .values_list("pk", "percent", "finished_at")
    }
    if any(still.get(pk) != state.attempts[pk] for pk in removed):
        return None
    return _tally(removed)


def _stats_from(state: _AnalysisState) -> list[ItemStats]:
    n = len(state.attempts)
    if n == 0:
        return []
    k = max(1, round(n * 0.27))
    # The same boundaries as ordering the attempts by score (then pk) and taking the k-th.
    scores = [(pk, percent) for pk, (percent, _finished) in state.attempts.items()]
    lower_cut = sorted(scores, key=lambda a: (_score_key(a[1]), a[0]))[k - 1][1]
    upper_cut = sorted(scores, key=lambda a: (_score_key(a[1], desc=True), a[0]))[k - 1][1]
    per_version: dict[int, list[int]] = {}
    for (version_id, percent), counts in state.tally.items():
        row = per_version.get(version_id)
        if row is None:
            row = per_version[version_id] = [version_id] + [0] * (7 + len(LETTERS))
        seen, correct = counts[0], counts[2]
        row[1] += seen
        row[2] += counts[1]
        row[3] += correct
        for i, number in enumerate(counts[3:], start=8):
            row[i] += number
        if percent is not None and upper_cut is not None and percent >= upper_cut:
            row[4] += seen
            row[5] += correct
        if percent is not None and lower_cut is not None and percent <= lower_cut:
            row[6] += seen
            row[7] += correct
    return [tuple(row) for row in per_version.values()]


def _score_key(percent: Decimal | None, *, desc: bool = False) -> tuple[int, Decimal]:
    """Sort key of a score as the database orders it: NULL last ascending, first descending."""
    if percent is None:
        return (0, Decimal(0)) if desc else (1, Decimal(0))
    return (1, -percent) if desc else (0, percent)


# What the analysis shows of a version and its question.
_ANALYSIS_FIELDS = (
    "id",
    "question_id",
    "number",
    "kind",
    "stem",
    "options",
    "answer",
)


def item_analysis(contest: Contest) -> list[ItemRow]:
    """Facility, discrimination (upper vs lower 27% by score) and option frequencies.

    Over the counting attempts. Two queries when cached (the fingerprint, the versions);
    otherwise two more (the counting attempts, their answers tallied per version and score,
    or only those of the attempts that started or stopped counting since the last time).
    """
    count, fingerprint = counted_fingerprint(contest)
    if count == 0:
        return []
    stats = _item_stats(contest, fingerprint)
    n = count
    data = {s[0]: s for s in stats}
    versions = (
        QuestionVersion.objects.filter(pk__in=list(data))
        .only(*_ANALYSIS_FIELDS)
        .annotate(topic=F("question__topic"))
    )
    result = []
    for version in versions:
        _pk, seen, answered, correct, upper_n, upper_correct, lower_n, lower_correct = data[
            version.pk
        ][:8]
        letters = data[version.pk][8:]
        facility = correct / seen if seen else None
        discrimination = None
        if n >= 2 and upper_n and lower_n:
            discrimination = upper_correct / upper_n - lower_correct / lower_n
        counts = []
        if version.kind in CHOICE_KINDS:
            counts = [
                (letter, text, letters[i], letter in version.answer)
                for i, (letter, text) in enumerate(zip(LETTERS, version.options, strict=False))
            ]
        result.append(
            ItemRow(
                version=version,
                seen=seen,
                answered=answered,
                correct=correct,
                facility=facility,
                discrimination=discrimination,
                option_counts=counts,
                topic=version.topic,  # type: ignore[attr-defined]
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
    "take_questions",
]


def contest_results_for(user: Any, year: int) -> QuerySet[Attempt]:
    """The attempts that count for ``user`` in contests that closed in ``year``: one query."""
    return (
        Attempt.objects.filter(user=user, counts=True, contest__closes_at__year=year)
        .select_related("contest")
        .order_by("contest__closes_at", "pk")
    )
