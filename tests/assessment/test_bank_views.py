"""Question bank pages: who may open them, editing through the form, import and export."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import Question, QuestionKind
from tests.assessment.test_bank_import import GOOD, row, sheet


def test_member_and_outsider_cannot_open_the_bank(as_user, world, bank):
    for user in (world.member, world.outsider):
        client = as_user(user)
        assert client.get(reverse("assessment:questions")).status_code == 404
        assert client.get(reverse("assessment:question", args=[bank[0].pk])).status_code == 404
    # a sibling branch's secretary runs their own branch, not the committee's bank
    other = as_user(world.other_secretary)
    assert other.get(reverse("assessment:question", args=[bank[0].pk])).status_code == 404


def test_question_list_queries_do_not_grow(as_user, world, bank, django_assert_num_queries):
    client = as_user(world.committee_user)
    # 1 session, 2 user, 3 change stamps (the scope's key), 4-5 scope, 6 count for the
    # pager, 7 the page of questions with their current versions and banks.
    with django_assert_num_queries(7):
        response = client.get(reverse("assessment:questions"))
    assert len(response.context["page"]) == 12


def test_question_list_exports_the_import_format(as_user, world, bank):
    response = as_user(world.committee_user).get(reverse("assessment:questions") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("题型", "题干") and len(rows) == 13


def test_create_and_edit_through_the_form(as_user, world):
    client = as_user(world.committee_user)
    data = {
        "organisation": world.committee.pk,
        "kind": QuestionKind.TRUE_FALSE,
        "topic": "党史",
        "difficulty": 1,
        "stem": "中国共产党成立于1921年。",
        "answer": "正确",
    }
    response = client.post(reverse("assessment:question_create"), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.current.answer == "A"
    data["answer"] = "错误"
    response = client.post(reverse("assessment:question_edit", args=[question.pk]), data)
    question.refresh_from_db()
    assert question.current.number == 2 and question.current.answer == "B"


def test_bad_question_shows_errors_and_saves_nothing(as_user, world):
    client = as_user(world.committee_user)
    response = client.post(
        reverse("assessment:question_create"),
        {
            "organisation": world.committee.pk,
            "kind": QuestionKind.SINGLE,
            "topic": "党史",
            "difficulty": 1,
            "stem": "题",
            "option_a": "甲",
            "option_b": "乙",
            "answer": "F",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Question.objects.count() == 0


def test_import_page_lists_bad_rows(as_user, world):
    client = as_user(world.committee_user)
    upload = SimpleUploadedFile(
        "题库.xlsx", sheet(GOOD[0], row("单选题", "题", ["甲"], "A")).getvalue()
    )
    response = client.post(
        reverse("assessment:bank_import"), {"organisation": world.committee.pk, "file": upload}
    )
    assert response.status_code == 200
    assert [e.row for e in response.context["errors"]] == [3]
    assert Question.objects.count() == 0


def test_import_page_imports(as_user, world):
    client = as_user(world.committee_user)
    upload = SimpleUploadedFile("题库.xlsx", sheet(*GOOD).getvalue())
    response = client.post(
        reverse("assessment:bank_import"), {"organisation": world.committee.pk, "file": upload}
    )
    assert response.status_code == 302
    assert Question.objects.count() == 4


def test_import_into_another_tree_is_refused(as_user, world):
    client = as_user(world.committee_user)
    upload = SimpleUploadedFile("题库.xlsx", sheet(*GOOD).getvalue())
    response = client.post(
        reverse("assessment:bank_import"),
        {"organisation": world.other_committee.pk, "file": upload},
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert Question.objects.count() == 0
