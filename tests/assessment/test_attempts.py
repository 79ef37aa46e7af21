"""Taking a contest: the stored draw, the server's clock, marking and which attempt counts."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessment import services
from assessment.models import Attempt, Contest
from assessment.selectors import attempt_sheet
from tests.assessment.conftest import answer_all, finish, make_contest


def start(contest, user):
    return services.attempt_start(contest=contest, user=user, branch_id=user.membership.branch_id)


def test_start_stores_questions_and_option_order(world, contest):
    attempt = start(contest, world.member)
    items = list(attempt.items.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3, 4, 5]
    assert all(sorted(i.option_order) == list("ABCD") for i in items)
    assert attempt.deadline == attempt.started_at + datetime.timedelta(minutes=20)
    assert attempt.max_score == 10


def test_resumed_attempt_shows_same_questions_in_same_order(world, contest):
    first = start(contest, world.member)
    before = [(s.version.pk, [o.original for o in s.options]) for s in attempt_sheet(first)]
    again = start(contest, world.member)  # pressing 开始 again, or reopening the page
    assert again.pk == first.pk
    after = [(s.version.pk, [o.original for o in s.options]) for s in attempt_sheet(again)]
    assert after == before


def test_answer_after_time_limit_is_refused_and_attempt_closes_with_saved_answers(world, contest):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        attempt = start(contest, world.member)
        item = attempt.items.select_related("version").get(position=1)
        services.attempt_answer(
            attempt_id=attempt.pk, user=world.member, position=1, raw=[item.version.answer]
        )
        clock.shift(datetime.timedelta(minutes=20, seconds=1))
        with pytest.raises(services.AttemptClosed):
            services.attempt_answer(attempt_id=attempt.pk, user=world.member, position=2, raw=["A"])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.TIMED_OUT
    assert attempt.score == 2 and attempt.percent == 20
    assert attempt.items.get(position=2).response == ""
    assert attempt.counts


def test_deadline_never_outlives_the_contest(world, bank):
    contest = make_contest(
        world.committee, closes_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    attempt = start(contest, world.member)
    assert attempt.deadline == contest.closes_at


def test_marking_single_multiple_and_wrong_option(world, contest):
    attempt = start(contest, world.member)
    answer_all(attempt, correct=3)
    done = services.attempt_finish(attempt=attempt)
    assert (done.score, done.max_score, done.percent, done.passed) == (6, 10, 60, True)


def test_an_option_that_does_not_exist_is_refused(world, contest):
    attempt = start(contest, world.member)
    with pytest.raises(ValidationError):
        services.attempt_answer(attempt_id=attempt.pk, user=world.member, position=1, raw=["Z"])
    with pytest.raises(ValidationError):
        services.attempt_answer(
            attempt_id=attempt.pk, user=world.member, position=1, raw=["A", "B"]
        )


def test_another_member_cannot_answer_in_my_attempt(world, contest):
    attempt = start(contest, world.member)
    with pytest.raises(Attempt.DoesNotExist):
        services.attempt_answer(attempt_id=attempt.pk, user=world.secretary, position=1, raw=["A"])


def test_best_attempt_counts(world, contest):
    first = finish(contest, world.member, correct=4)
    second = finish(contest, world.member, correct=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.counts and not second.counts


def test_last_attempt_counts_when_contest_says_so(world, bank):
    contest = make_contest(world.committee, counting=Contest.Counting.LAST)
    first = finish(contest, world.member, correct=4)
    second = finish(contest, world.member, correct=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.counts and not first.counts


def test_no_attempts_left(world, contest):
    finish(contest, world.member, correct=1)
    finish(contest, world.member, correct=1)
    with pytest.raises(ValidationError):
        start(contest, world.member)


def test_closed_contest_cannot_be_started(world, contest):
    with (
        time_machine.travel(contest.closes_at + datetime.timedelta(minutes=1)),
        pytest.raises(ValidationError),
    ):
        start(contest, world.member)


def test_expired_attempts_are_closed_by_the_sweep(world, contest):
    attempt = start(contest, world.member)
    assert services.attempts_close_expired(now=attempt.deadline) == 1
    assert services.attempts_close_expired(now=attempt.deadline) == 0
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.TIMED_OUT


def test_the_celery_task_closes_expired_attempts(world, contest):
    from assessment.tasks import close_expired_attempts

    attempt = start(contest, world.member)
    with time_machine.travel(attempt.deadline + datetime.timedelta(seconds=1)):
        assert close_expired_attempts.delay().get() == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.TIMED_OUT
