"""Fixtures for 考学 and 述学评学: a question bank, an open contest and finished attempts."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from assessment import services
from assessment.models import Contest, Difficulty, QuestionKind, Rubric, ShuxuePeriod
from assessment.services import QuestionContent
from portal.models import Organisation, User


def single(stem: str, answer: str = "A") -> QuestionContent:
    return QuestionContent(
        kind=QuestionKind.SINGLE,
        stem=stem,
        options=["甲", "乙", "丙", "丁"],
        answer=answer,
        accepted_answers=[],
        explanation="解析",
    )


def make_bank(organisation: Organisation, n: int = 12, topic: str = "党章") -> list:
    return [
        services.question_create(
            organisation=organisation,
            topic=topic,
            difficulty=Difficulty.EASY if i % 2 else Difficulty.MEDIUM,
            content=single(f"{topic}第{i}题", "ABCD"[i % 4]),
        )
        for i in range(n)
    ]


def make_contest(organisation: Organisation, *, count: int = 5, **fields) -> Contest:
    now = timezone.now()
    values = {
        "title": "党章知识竞赛",
        "description": "",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=7),
        "time_limit_minutes": 20,
        "shuffle_options": True,
        "attempts_allowed": 2,
        "counting": Contest.Counting.BEST,
        "pass_mark": 60,
        "reveal": Contest.Reveal.AFTER_SUBMIT,
    }
    values.update(fields)
    contest = services.contest_create(organisation=organisation, author=None, **values)
    services.draw_rule_add(contest=contest, topic="", difficulty=None, count=count, points=2)
    return services.contest_publish(contest=contest)


def answer_all(attempt, *, correct: int) -> None:
    """Answer ``correct`` questions right and the rest wrong: the same questions for every
    member (the first in the bank's order, whatever order the attempt shows them in), so
    that who does better on the whole also does on each question, as the item analysis
    tests expect; by position, a shuffled draw made some questions' discrimination 0."""
    items = list(attempt.items.select_related("version").order_by("version__question_id"))
    for rank, item in enumerate(items):
        right = item.version.answer
        wrong = next(letter for letter in "ABCD" if letter != right)
        services.attempt_answer(
            attempt_id=attempt.pk,
            user=attempt.user,
            position=item.position,
            raw=[right if rank < correct else wrong],
        )


def finish(contest: Contest, user: User, *, correct: int):
    branch_id = user.membership.branch_id
    attempt = services.attempt_start(contest=contest, user=user, branch_id=branch_id)
    answer_all(attempt, correct=correct)
    return services.attempt_finish(attempt=attempt)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Leagues and item analysis are cached: each test starts from an empty cache (database
    ids are reused between tests on SQLite)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bank(world):
    return make_bank(world.committee)


@pytest.fixture
def contest(world, bank):
    return make_contest(world.committee)


@pytest.fixture
def rubric(world) -> Rubric:
    return services.rubric_create(
        organisation=world.committee,
        name="述学评价标准",
        description="",
        criteria_text="学习态度 | 优:25, 良:20, 合格:15, 差:5\n学用结合 | 优:25, 良:20, 合格:15, 差:5",
    )


@pytest.fixture
def period(world, rubric) -> ShuxuePeriod:
    today = timezone.localdate()
    return services.period_create(
        organisation=world.committee,
        title="2026年度述学评学",
        year=today.year,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        rubric=rubric,
        excellent_from=90,
        good_from=80,
        pass_from=60,
        anonymous_peers=True,
    )
