"""Question bank services: validation, and edits that make new versions."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessment import services
from assessment.models import Question, QuestionKind, QuestionVersion
from assessment.services import QuestionContent
from tests.assessment.conftest import finish, make_contest, single


def test_question_create_writes_version_one(world):
    q = services.question_create(
        organisation=world.committee, topic="党史", difficulty=2, content=single("问题", "B")
    )
    assert q.current.number == 1 and q.current.answer == "B"
    assert q.current.options == ["甲", "乙", "丙", "丁"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (QuestionContent(QuestionKind.SINGLE, "题", ["甲", "乙"], "C", []), "does not exist"),
        (QuestionContent(QuestionKind.SINGLE, "题", ["甲", "乙"], "AB", []), "exactly one"),
        (QuestionContent(QuestionKind.MULTIPLE, "题", ["甲", "乙", "丙"], "A", []), "at least two"),
        (QuestionContent(QuestionKind.FILL, "题", [], "", [" "]), "accepted answer"),
        (QuestionContent(QuestionKind.SINGLE, "题", ["甲", "", "丙"], "A", []), "without gaps"),
        (QuestionContent(QuestionKind.SINGLE, " ", ["甲", "乙"], "A", []), "empty"),
    ],
)
def test_invalid_question_is_refused(world, content, message):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.question_create(
            organisation=world.committee, topic="党史", difficulty=1, content=content
        )
    assert any(message in m for m in excinfo.value.messages)
    assert not Question.objects.exists()


def test_edit_makes_a_new_version_and_past_attempts_keep_theirs(world, contest):
    attempt = finish(contest, world.member, correct=5)
    shown = {
        i.position: (i.version_id, i.version.stem) for i in attempt.items.select_related("version")
    }
    question = attempt.items.first().version.question
    services.question_update(
        question=question,
        topic=question.topic,
        difficulty=question.difficulty,
        content=single("改写后的题干", "D"),
    )
    question.refresh_from_db()
    assert question.current.number == 2 and question.current.stem == "改写后的题干"
    attempt.refresh_from_db()
    after = {
        i.position: (i.version_id, i.version.stem) for i in attempt.items.select_related("version")
    }
    assert after == shown
    assert attempt.percent == 100  # marked against the version shown, not the edit
    assert QuestionVersion.objects.filter(question=question).count() == 2


def test_saving_unchanged_question_makes_no_new_version(world, bank):
    q = bank[0]
    v = q.current
    services.question_update(
        question=q,
        topic="新专题",
        difficulty=3,
        content=QuestionContent(v.kind, v.stem, v.options, v.answer, [], v.explanation, v.source),
    )
    q.refresh_from_db()
    assert q.current_id == v.pk and q.topic == "新专题"


def test_fill_in_accepts_any_listed_answer_ignoring_width_and_case(world):
    q = services.question_create(
        organisation=world.committee,
        topic="党史",
        difficulty=1,
        content=QuestionContent(
            QuestionKind.FILL, "党的根本宗旨是____", [], "", ["全心全意为人民服务", "为人民服务"]
        ),
    )
    assert services.is_correct(q.current, " 全心全意为人民服务 ")
    assert services.is_correct(q.current, "为人民服务")
    assert not services.is_correct(q.current, "服务")


def test_retired_question_is_not_drawn(world, bank):
    for q in bank[5:]:
        services.question_set_active(question=q, active=False)
    contest = make_contest(world.committee, count=5)
    attempt = services.attempt_start(contest=contest, user=world.member, branch_id=world.branch.pk)
    drawn = {i.version.question_id for i in attempt.items.select_related("version")}
    assert drawn == {q.pk for q in bank[:5]}
