"""Writes for 考学 and 述学评学. Every rule about stored data is enforced here or in the database."""

from __future__ import annotations

import datetime
import random
import statistics
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    LETTERS,
    Attempt,
    AttemptItem,
    Contest,
    DrawRule,
    Grade,
    Question,
    QuestionKind,
    QuestionVersion,
    Rubric,
    RubricCriterion,
    RubricLevel,
    ShuxuePeriod,
    ShuxueRating,
    ShuxueRatingScore,
    ShuxueReport,
)
from portal.models import Organisation, User

_random = random.SystemRandom()
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class AttemptClosed(Exception):
    """The attempt is over (submitted, or its time is up): nothing more is saved."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__(_("Time is up: this attempt has been closed with the answers saved."))
        self.attempt = attempt


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- question bank ---------------------------------------------------------------------


@dataclass
class QuestionContent:
    """The wording of a question, validated: what one version holds."""

    kind: str
    stem: str
    options: list[str]
    answer: str
    accepted_answers: list[str]
    explanation: str = ""
    source: str = ""


def normalise_text(text: str) -> str:
    """Fill-in answers compare after NFKC (full-width → half-width), case and spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def check_content(content: QuestionContent) -> list[str]:
    """What is wrong with ``content`` (empty when it is a valid question)."""
    problems: list[str] = []
    if not content.stem.strip():
        problems.append(_("The question text is empty."))
    if content.kind not in QuestionKind.values:
        problems.append(_("Unknown question type."))
        return problems
    if content.kind == QuestionKind.FILL:
        if not [a for a in content.accepted_answers if a.strip()]:
            problems.append(_("A fill-in question needs at least one accepted answer."))
        return problems
    options = content.options
    if content.kind == QuestionKind.TRUE_FALSE:
        if content.answer not in ("A", "B"):
            problems.append(_("The answer of a true-or-false question is 正确 or 错误."))
        return problems
    if len(options) < 2:
        problems.append(_("A choice question needs at least two options."))
    if len(options) > len(LETTERS):
        problems.append(_("A question has at most six options (A–F)."))
    if any(not o.strip() for o in options):
        problems.append(_("Options must be filled from A without gaps."))
    letters = content.answer
    valid = LETTERS[: len(options)]
    if not letters:
        problems.append(_("The answer is empty."))
    elif any(letter not in valid for letter in letters):
        problems.append(
            _("The answer “%(answer)s” names an option that does not exist.") % {"answer": letters}
        )
    elif content.kind == QuestionKind.SINGLE and len(letters) != 1:
        problems.append(_("A single-choice question has exactly one correct option."))
    elif content.kind == QuestionKind.MULTIPLE and len(letters) < 2:
        problems.append(_("A multiple-choice question has at least two correct options."))
    return problems


def _normalised_content(content: QuestionContent) -> QuestionContent:
    options = [o.strip() for o in content.options]
    while options and not options[-1]:
        options.pop()
    if content.kind == QuestionKind.TRUE_FALSE:
        options = [str(_("True")), str(_("False"))]
    answer = "".join(sorted(set(content.answer.upper().replace(",", "").replace(" ", ""))))
    if content.kind == QuestionKind.FILL:
        options, answer = [], ""
    accepted = [a.strip() for a in content.accepted_answers if a.strip()]
    if content.kind != QuestionKind.FILL:
        accepted = []
    return QuestionContent(
        kind=content.kind,
        stem=content.stem.strip(),
        options=options,
        answer=answer,
        accepted_answers=accepted,
        explanation=content.explanation.strip(),
        source=content.source.strip(),
    )


@transaction.atomic
def question_create(
    *,
    organisation: Organisation,
    topic: str,
    difficulty: int,
    content: QuestionContent,
    author: User | None = None,
) -> Question:
    content = _normalised_content(content)
    problems = check_content(content)
    if problems:
        raise ValidationError(problems)
    question = Question.objects.create(
        organisation=organisation, topic=topic.strip(), difficulty=difficulty
    )
    version = QuestionVersion.objects.create(
        question=question, number=1, created_by=author, **content.__dict__
    )
    question.current = version
    question.save(update_fields=["current"])
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    topic: str,
    difficulty: int,
    content: QuestionContent,
    author: User | None = None,
) -> Question:
    """An edit writes a new version; attempts keep pointing at the version they showed."""
    content = _normalised_content(content)
    problems = check_content(content)
    if problems:
        raise ValidationError(problems)
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current
    question.topic, question.difficulty = topic.strip(), difficulty
    same = current is not None and all(
        getattr(current, name) == value for name, value in content.__dict__.items()
    )
    if not same:
        number = (current.number if current else 0) + 1
        question.current = QuestionVersion.objects.create(
            question=question, number=number, created_by=author, **content.__dict__
        )
    question.save(update_fields=["topic", "difficulty", "current"])
    return question


@transaction.atomic
def question_set_active(*, question: Question, active: bool) -> Question:
    question.is_active = active
    question.save(update_fields=["is_active"])
    return question


# --- contests ----------------------------------------------------------------------------


def _check_contest_times(opens_at: datetime.datetime, closes_at: datetime.datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The contest must close after it opens.")})


@transaction.atomic
def contest_create(*, organisation: Organisation, author: User | None, **fields: Any) -> Contest:
    _check_contest_times(fields["opens_at"], fields["closes_at"])
    return Contest.objects.create(organisation=organisation, created_by=author, **fields)


@transaction.atomic
def contest_update(*, contest: Contest, **fields: Any) -> Contest:
    _check_contest_times(fields["opens_at"], fields["closes_at"])
    if contest.attempts.exists():
        # Once members have taken it, only the window may move (e.g. closing it early).
        locked = {k for k in fields if k not in ("opens_at", "closes_at", "description", "reveal")}
        changed = [k for k in locked if getattr(contest, k) != fields[k]]
        if changed:
            raise ValidationError(
                _("Members have already taken this contest: only its window can change.")
            )
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.save(update_fields=list(fields))
    return contest


def available_for_rule(contest: Contest, topic: str, difficulty: int | None) -> int:
    pool = Question.objects.in_bank_of(contest.organisation).filter(current__isnull=False)
    if topic:
        pool = pool.filter(topic=topic)
    if difficulty:
        pool = pool.filter(difficulty=difficulty)
    return pool.count()


@transaction.atomic
def draw_rule_add(
    *, contest: Contest, topic: str, difficulty: int | None, count: int, points: int
) -> DrawRule:
    if contest.attempts.exists():
        raise ValidationError(_("Members have already taken this contest: its rules are fixed."))
    available = available_for_rule(contest, topic.strip(), difficulty)
    if count > available:
        raise ValidationError(
            {"count": _("The bank has only %(n)d questions that fit this rule.") % {"n": available}}
        )
    return DrawRule.objects.create(
        contest=contest, topic=topic.strip(), difficulty=difficulty, count=count, points=points
    )


@transaction.atomic
def draw_rule_remove(*, rule: DrawRule) -> None:
    if rule.contest.attempts.exists():
        raise ValidationError(_("Members have already taken this contest: its rules are fixed."))
    rule.delete()


@transaction.atomic
def contest_publish(*, contest: Contest) -> Contest:
    if not contest.rules.exists():
        raise ValidationError(_("Add at least one draw rule before publishing."))
    contest.is_published = True
    contest.save(update_fields=["is_published"])
    return contest


@transaction.atomic
def contest_close_now(*, contest: Contest) -> Contest:
    now = timezone.now()
    if contest.closes_at > now:
        contest.closes_at = max(now, contest.opens_at + datetime.timedelta(seconds=1))
        contest.save(update_fields=["closes_at"])
        # Open attempts may not outlive the contest.
        contest.attempts.filter(status=Attempt.Status.IN_PROGRESS, deadline__gt=now).update(
            deadline=contest.closes_at
        )
    return contest


# --- attempts ------------------------------------------------------------------------------


def _draw(contest: Contest, rules: list[DrawRule]) -> list[tuple[int, int]]:
    """(version id, points) of the questions drawn, in the order they will be shown.

    One query fetches the candidate questions of every rule; a question drawn by one rule
    is not drawn again by a later one.
    """
    condition = Q(pk__in=[])
    for rule in rules:
        if not rule.topic and not rule.difficulty:
            condition = Q()  # a rule for any question: every candidate is needed
            break
        part = Q()
        if rule.topic:
            part &= Q(topic=rule.topic)
        if rule.difficulty:
            part &= Q(difficulty=rule.difficulty)
        condition |= part
    candidates = list(
        Question.objects.in_bank_of(contest.organisation)
        .filter(condition, current__isnull=False)
        .values_list("pk", "current_id", "topic", "difficulty")
    )
    taken: set[int] = set()
    drawn: list[tuple[int, int]] = []
    for rule in rules:
        pool = [
            c
            for c in candidates
            if c[0] not in taken
            and (not rule.topic or c[2] == rule.topic)
            and (not rule.difficulty or c[3] == rule.difficulty)
        ]
        for pk, version_id, _topic, _difficulty in _random.sample(pool, min(rule.count, len(pool))):
            taken.add(pk)
            drawn.append((version_id, rule.points))
    _random.shuffle(drawn)
    return drawn


@transaction.atomic
def attempt_start(*, contest: Contest, user: User, branch_id: int) -> Attempt:
    """Resume the open attempt, or draw and store a new one.

    The draw (questions, their order, each question's option order) and the deadline are
    stored now; resuming shows exactly them. Raises ``ValidationError`` when the contest
    is not open or no attempts are left.
    """
    now = timezone.now()
    existing = list(
        Attempt.objects.filter(contest=contest, user=user)
        .order_by("-number")
        .values_list("pk", "number", "status", "deadline")[:1]
    )
    if existing:
        pk, number, status, deadline = existing[0]
        if status == Attempt.Status.IN_PROGRESS:
            attempt = Attempt.objects.get(pk=pk)
            if deadline > now:
                return attempt
            attempt_finish(attempt=attempt, timed_out=True)
    else:
        number = 0
    if not contest.is_open(now):
        raise ValidationError(_("This contest is not open."))
    if number >= contest.attempts_allowed:
        raise ValidationError(_("You have used all your attempts at this contest."))
    rules = list(contest.rules.all())
    drawn = _draw(contest, rules)
    if not drawn:
        raise ValidationError(_("This contest has no questions yet."))
    version_options = dict(
        QuestionVersion.objects.filter(pk__in=[v for v, _p in drawn])
        .order_by()
        .values_list("pk", "options")
    )
    deadline = min(now + datetime.timedelta(minutes=contest.time_limit_minutes), contest.closes_at)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                contest=contest,
                user=user,
                branch_id=branch_id,
                number=number + 1,
                started_at=now,
                deadline=deadline,
                max_score=sum(p for _v, p in drawn),
            )
    except IntegrityError:
        # Two tabs pressed 开始 at once: the other request's attempt is the one.
        return Attempt.objects.get(contest=contest, user=user, status=Attempt.Status.IN_PROGRESS)
    items = []
    for position, (version_id, points) in enumerate(drawn, start=1):
        letters = LETTERS[: len(version_options[version_id])]
        order = list(letters)
        if contest.shuffle_options and len(order) > 2:
            _random.shuffle(order)
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                version_id=version_id,
                option_order="".join(order),
                points=points,
            )
        )
    AttemptItem.objects.bulk_create(items)
    return attempt


def normalise_response(version: QuestionVersion, raw: Any) -> str:
    """The answer as stored: original option letters ("AC") or the text typed."""
    if version.kind == QuestionKind.FILL:
        text = str(raw if not isinstance(raw, list) else (raw[0] if raw else "")).strip()
        return text[:500]
    values = raw if isinstance(raw, list) else list(str(raw or ""))
    valid = LETTERS[: len(version.options)]
    letters = sorted({str(v).strip().upper() for v in values if str(v).strip()})
    if any(letter not in valid for letter in letters):
        raise ValidationError(_("That option does not exist."))
    if version.kind != QuestionKind.MULTIPLE and len(letters) > 1:
        raise ValidationError(_("Choose one option."))
    return "".join(letters)


def is_correct(version: QuestionVersion, response: str) -> bool:
    if not response:
        return False
    if version.kind == QuestionKind.FILL:
        given = normalise_text(response)
        return any(given == normalise_text(a) for a in version.accepted_answers)
    return response == version.answer


def attempt_answer(*, attempt_id: int, user: User, position: int, raw: Any) -> AttemptItem:
    """Save one answer as it is given: three small queries.

    An answer that arrives after the deadline is refused and the attempt is closed with
    what was saved before (:class:`AttemptClosed`).
    """
    now = timezone.now()
    # order_by("pk"): the models' default ordering would join the contest for nothing.
    attempt = (
        Attempt.objects.filter(pk=attempt_id, user=user)
        .only("pk", "status", "deadline", "contest_id", "user_id")
        .order_by("pk")
        .first()
    )
    if attempt is None:
        raise Attempt.DoesNotExist
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptClosed(attempt)
    if now >= attempt.deadline:
        attempt_finish(attempt=attempt, timed_out=True)
        raise AttemptClosed(attempt)
    item = (
        AttemptItem.objects.select_related("version")
        .filter(attempt_id=attempt.pk, position=position)
        .order_by("pk")
        .first()
    )
    if item is None:
        raise AttemptItem.DoesNotExist
    response = normalise_response(item.version, raw)
    correct = is_correct(item.version, response) if response else None
    # The conditional update refuses the write if the attempt closed meanwhile.
    updated = AttemptItem.objects.filter(
        pk=item.pk,
        attempt__status=Attempt.Status.IN_PROGRESS,
        attempt__deadline__gt=now,
    ).update(response=response, answered_at=now if response else None, is_correct=correct)
    if not updated:
        attempt.refresh_from_db()
        raise AttemptClosed(attempt)
    item.response, item.is_correct = response, correct
    return item


def attempt_answers_save(*, attempt_id: int, user: User, answers: dict[int, Any]) -> list[int]:
    """Save a whole page of answers at once (the form posted without JavaScript).

    A fixed number of queries whatever the number of answers; the attempt row is locked so
    it cannot close half-way. Returns the positions whose answer was not valid (those are
    left as they were). Raises :class:`AttemptClosed` after the deadline, once the attempt
    has been closed with what was saved before.
    """
    closed, problems = _save_answers(attempt_id=attempt_id, user=user, answers=answers)
    if closed is not None:
        raise AttemptClosed(closed)
    return problems


@transaction.atomic
def _save_answers(
    *, attempt_id: int, user: User, answers: dict[int, Any]
) -> tuple[Attempt | None, list[int]]:
    now = timezone.now()
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise Attempt.DoesNotExist
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return attempt, []
    if now >= attempt.deadline:
        return attempt_finish(attempt=attempt, timed_out=True), []
    items = AttemptItem.objects.select_related("version").filter(
        attempt_id=attempt.pk, position__in=list(answers)
    )
    found = set()
    changed = []
    problems = []
    for item in items:
        found.add(item.position)
        try:
            response = normalise_response(item.version, answers[item.position])
        except ValidationError:
            problems.append(item.position)
            continue
        if response == item.response:
            continue
        item.response = response
        item.answered_at = now if response else None
        item.is_correct = is_correct(item.version, response) if response else None
        changed.append(item)
    AttemptItem.objects.bulk_update(changed, ["response", "answered_at", "is_correct"])
    problems.extend(p for p in answers if p not in found)
    return None, sorted(problems)


@transaction.atomic
def attempt_finish(*, attempt: Attempt, timed_out: bool = False) -> Attempt:
    """Close the attempt and mark it from the answers saved; marks which attempt counts."""
    claimed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
        status=Attempt.Status.TIMED_OUT if timed_out else Attempt.Status.SUBMITTED,
        finished_at=timezone.now(),
    )
    attempt = Attempt.objects.select_related("contest").get(pk=attempt.pk)
    if not claimed:
        return attempt
    totals = attempt.items.aggregate(
        score=Sum("points", filter=Q(is_correct=True)), full=Sum("points")
    )
    attempt.score = Decimal(totals["score"] or 0)
    attempt.max_score = Decimal(totals["full"] or 0)
    attempt.percent = _percent(attempt.score, attempt.max_score)
    attempt.passed = attempt.percent >= attempt.contest.pass_mark
    attempt.save(update_fields=["score", "max_score", "percent", "passed"])
    _recount(attempt.contest, attempt.user_id)
    return attempt


def _recount(contest: Contest, user_id: int) -> None:
    finished = Attempt.objects.finished().filter(contest=contest, user_id=user_id)
    if contest.counting == Contest.Counting.BEST:
        chosen = finished.order_by("-percent", "number").values_list("pk", flat=True).first()
    else:
        chosen = finished.order_by("-number").values_list("pk", flat=True).first()
    if chosen is None:
        return
    finished.exclude(pk=chosen).filter(counts=True).update(counts=False)
    finished.filter(pk=chosen).update(counts=True)


def attempts_close_expired(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Close attempts whose time is up (a member who just closed the tab). Safe to run twice."""
    moment = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lte=moment
    ).order_by("pk")[:limit]:
        attempt_finish(attempt=attempt, timed_out=True)
        closed += 1
    return closed


# --- 述学评学 ------------------------------------------------------------------------------


def parse_rubric_lines(text: str) -> list[tuple[str, list[tuple[str, int]]]]:
    """``学习态度 | 优:25, 良:20, 合格:15, 差:5`` per line → criteria with levels."""
    criteria: list[tuple[str, list[tuple[str, int]]]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, rest = line.replace("｜", "|").partition("|")
        levels: list[tuple[str, int]] = []
        for part in rest.replace("，", ",").split(","):
            if not part.strip():
                continue
            label, colon, points = part.replace("：", ":").partition(":")
            if not colon or not points.strip().isdigit() or not label.strip():
                problems.append(
                    _("Line %(n)d: write each level as name:points, e.g. 优:25.") % {"n": number}
                )
                break
            levels.append((label.strip(), int(points.strip())))
        if not sep or not name.strip() or len(levels) < 2:
            problems.append(
                _("Line %(n)d: a criterion needs a name, “|” and at least two levels.")
                % {"n": number}
            )
            continue
        criteria.append((name.strip(), levels))
    if not criteria and not problems:
        problems.append(_("Write at least one criterion."))
    if problems:
        raise ValidationError({"criteria": problems})
    return criteria


@transaction.atomic
def rubric_create(
    *, organisation: Organisation, name: str, description: str, criteria_text: str
) -> Rubric:
    criteria = parse_rubric_lines(criteria_text)
    rubric = Rubric.objects.create(organisation=organisation, name=name, description=description)
    _write_criteria(rubric, criteria)
    return rubric


def _write_criteria(rubric: Rubric, criteria: list[tuple[str, list[tuple[str, int]]]]) -> None:
    for position, (name, levels) in enumerate(criteria, start=1):
        criterion = RubricCriterion.objects.create(rubric=rubric, position=position, name=name)
        RubricLevel.objects.bulk_create(
            RubricLevel(criterion=criterion, name=label, points=points) for label, points in levels
        )


@transaction.atomic
def rubric_update(*, rubric: Rubric, name: str, description: str, criteria_text: str) -> Rubric:
    """Rewrite a rubric that no rating uses yet; a rubric in use is frozen."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric.is_frozen:
        raise ValidationError(_("This rubric has been used for ratings and can no longer change."))
    criteria = parse_rubric_lines(criteria_text)
    rubric.name, rubric.description = name, description
    rubric.save(update_fields=["name", "description"])
    rubric.criteria.all().delete()
    _write_criteria(rubric, criteria)
    return rubric


def rubric_as_text(rubric: Rubric) -> str:
    return "\n".join(
        f"{c.name} | " + ", ".join(f"{lv.name}:{lv.points}" for lv in c.levels.all())
        for c in rubric.criteria.prefetch_related("levels")
    )


def rubric_max_points(rubric: Rubric) -> int:
    return sum(
        max((lv.points for lv in c.levels.all()), default=0)
        for c in rubric.criteria.prefetch_related("levels")
    )


def grade_for(percent: Decimal | None, period: ShuxuePeriod) -> str:
    if percent is None:
        return ""
    if percent >= period.excellent_from:
        return Grade.EXCELLENT
    if percent >= period.good_from:
        return Grade.GOOD
    if percent >= period.pass_from:
        return Grade.PASS
    return Grade.POOR


def median_percent(percents: list[Decimal]) -> Decimal | None:
    """Raters are combined by the median, so one extreme rater cannot move the result."""
    if not percents:
        return None
    return Decimal(statistics.median(percents)).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_thresholds(excellent_from: int, good_from: int, pass_from: int) -> None:
    if not (100 >= excellent_from > good_from > pass_from >= 0):
        raise ValidationError(
            _("Thresholds must fall: 优秀 above 良好 above 合格, all between 0 and 100.")
        )


@transaction.atomic
def period_create(*, organisation: Organisation, **fields: Any) -> ShuxuePeriod:
    _check_thresholds(fields["excellent_from"], fields["good_from"], fields["pass_from"])
    if fields["closes_on"] < fields["opens_on"]:
        raise ValidationError({"closes_on": _("The period must close after it opens.")})
    return ShuxuePeriod.objects.create(organisation=organisation, **fields)


@transaction.atomic
def period_set_thresholds(
    *, period: ShuxuePeriod, excellent_from: int, good_from: int, pass_from: int
) -> ShuxuePeriod:
    """The committee moves the grade boundaries; every graded report is graded again."""
    _check_thresholds(excellent_from, good_from, pass_from)
    period.excellent_from, period.good_from, period.pass_from = (
        excellent_from,
        good_from,
        pass_from,
    )
    period.save(update_fields=["excellent_from", "good_from", "pass_from"])
    reports = list(period.reports.filter(score__isnull=False))
    for report in reports:
        report.grade = grade_for(report.score, period)
    ShuxueReport.objects.bulk_update(reports, ["grade"])
    return period


@transaction.atomic
def report_save(
    *,
    period: ShuxuePeriod,
    user: User,
    branch_id: int,
    title: str,
    content: str,
    submit: bool,
) -> ShuxueReport:
    today = timezone.localdate()
    if not (period.opens_on <= today <= period.closes_on):
        raise ValidationError(_("This 述学 period is not open for reports."))
    report = ShuxueReport.objects.select_for_update().filter(period=period, user=user).first()
    if report is not None and report.status == ShuxueReport.Status.SUBMITTED:
        raise ValidationError(_("The report has been submitted and can no longer change."))
    if report is None:
        report = ShuxueReport(period=period, user=user, branch_id=branch_id)
    report.title, report.content = title, content
    if submit:
        report.status = ShuxueReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
    report.save()
    return report


def rater_role(*, report: ShuxueReport, user: User, scope: Any) -> str | None:
    """The role in which ``user`` rates ``report``, or None when they may not."""
    if report.status != ShuxueReport.Status.SUBMITTED:
        return None
    if report.user_id == user.pk:
        return ShuxueRating.Role.SELF
    period_path = report.period.organisation.path
    if scope.is_superuser or any(
        report.branch.path.startswith(p) and period_path.startswith(p) for p in scope.oversee_paths
    ):
        return ShuxueRating.Role.COMMITTEE
    if scope.can_manage_organisation(report.branch):
        return ShuxueRating.Role.BRANCH
    if scope.own_branch_id == report.branch_id:
        return ShuxueRating.Role.PEER
    return None


@transaction.atomic
def rating_submit(
    *,
    report: ShuxueReport,
    rater: User,
    role: str,
    choices: dict[int, tuple[int, str]],
) -> ShuxueRating:
    """Rate ``report``: {criterion id: (level id, remark)} for every criterion.

    Freezes the rubric, replaces the rater's earlier rating, and grades the report again
    from the median of all ratings.
    """
    report = ShuxueReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    period = report.period
    rubric = period.rubric
    criteria = list(rubric.criteria.prefetch_related("levels"))
    if set(choices) != {c.pk for c in criteria}:
        raise ValidationError(_("Choose a level for every criterion."))
    scores = []
    for criterion in criteria:
        level_id, remark = choices[criterion.pk]
        level = next((lv for lv in criterion.levels.all() if lv.pk == level_id), None)
        if level is None:
            raise ValidationError(_("Choose a level for every criterion."))
        scores.append(
            ShuxueRatingScore(
                criterion=criterion, level=level, points=level.points, remark=remark[:500]
            )
        )
    total = sum(s.points for s in scores)
    full = sum(max((lv.points for lv in c.levels.all()), default=0) for c in criteria)
    ShuxueRating.objects.filter(report=report, rater=rater).delete()
    rating = ShuxueRating.objects.create(
        report=report,
        rater=rater,
        role=role,
        is_anonymous=role == ShuxueRating.Role.PEER and period.anonymous_peers,
        total=total,
        percent=_percent(total, full),
    )
    for score in scores:
        score.rating = rating
    ShuxueRatingScore.objects.bulk_create(scores)
    Rubric.objects.filter(pk=rubric.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
    percents = list(report.ratings.values_list("percent", flat=True))
    report.score = median_percent(percents)
    report.grade = grade_for(report.score, period)
    report.rating_count = len(percents)
    report.save(update_fields=["score", "grade", "rating_count"])
    return rating


__all__ = [
    "AttemptClosed",
    "QuestionContent",
    "attempt_answer",
    "attempt_answers_save",
    "attempt_finish",
    "attempt_start",
    "attempts_close_expired",
    "contest_close_now",
    "contest_create",
    "contest_publish",
    "contest_update",
    "draw_rule_add",
    "draw_rule_remove",
    "grade_for",
    "median_percent",
    "period_create",
    "period_set_thresholds",
    "question_create",
    "question_set_active",
    "question_update",
    "rating_submit",
    "report_save",
    "rubric_create",
    "rubric_update",
]
