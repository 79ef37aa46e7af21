"""Taking a contest through the pages: access, the JSON answer endpoint, the plain form post,
and the queries each step costs."""

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Attempt
from tests.assessment.conftest import make_bank, make_contest


def start_url(contest):
    return reverse("assessment:attempt_start", args=[contest.pk])


def started(client, contest) -> Attempt:
    response = client.post(start_url(contest))
    assert response.status_code == 302
    return Attempt.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_outsider_gets_404_on_contest_and_attempt(as_user, world, contest):
    attempt = started(as_user(world.member), contest)
    outsider = as_user(world.outsider)
    assert outsider.get(reverse("assessment:contest", args=[contest.pk])).status_code == 404
    assert outsider.post(start_url(contest)).status_code == 404
    assert outsider.get(reverse("assessment:attempt", args=[attempt.pk])).status_code == 404
    answer = outsider.post(
        reverse("assessment:attempt_answer", args=[attempt.pk]),
        data=json.dumps({"position": 1, "response": ["A"]}),
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert outsider.get(reverse("assessment:league", args=[contest.pk])).status_code == 404
    assert outsider.get(reverse("assessment:analysis", args=[contest.pk])).status_code == 404
    assert outsider.get(reverse("assessment:answers_export", args=[contest.pk])).status_code == 404


def test_colleague_gets_404_on_my_attempt(as_user, world, contest):
    attempt = started(as_user(world.member), contest)
    colleague = as_user(world.other_secretary)
    assert colleague.get(reverse("assessment:attempt", args=[attempt.pk])).status_code == 404


def test_member_cannot_open_analysis_or_export(as_user, world, contest):
    member = as_user(world.member)
    assert member.get(reverse("assessment:analysis", args=[contest.pk])).status_code == 404
    assert member.get(reverse("assessment:answers_export", args=[contest.pk])).status_code == 404
    assert member.get(reverse("assessment:contest_edit", args=[contest.pk])).status_code == 404


def test_draft_contest_is_hidden_from_members(as_user, world, contest):
    contest.is_published = False
    contest.save(update_fields=["is_published"])
    assert (
        as_user(world.member).get(reverse("assessment:contest", args=[contest.pk])).status_code
        == 404
    )
    assert (
        as_user(world.committee_user)
        .get(reverse("assessment:contest", args=[contest.pk]))
        .status_code
        == 200
    )


def test_json_answer_needs_the_csrf_header_and_is_saved(world, contest):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    client.get(reverse("assessment:contest", args=[contest.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(start_url(contest), {"csrfmiddlewaretoken": token})
    attempt = Attempt.objects.get(user=world.member)
    url = reverse("assessment:attempt_answer", args=[attempt.pk])
    body = json.dumps({"position": 2, "response": ["C"]})
    assert client.post(url, body, content_type="application/json").status_code == 403
    response = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["saved"] is True
    assert attempt.items.get(position=2).response == "C"


def test_json_answer_after_the_limit_is_refused(as_user, world, contest):
    client = as_user(world.member)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        attempt = started(client, contest)
        clock.shift(datetime.timedelta(minutes=21))
        response = client.post(
            reverse("assessment:attempt_answer", args=[attempt.pk]),
            json.dumps({"position": 1, "response": ["A"]}),
            content_type="application/json",
        )
    assert response.status_code == 409 and response.json()["closed"] is True
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.TIMED_OUT


@pytest.mark.parametrize("body", ["not json", json.dumps({"position": "x"}), json.dumps([1])])
def test_garbage_answer_is_a_400_not_a_500(as_user, world, contest, body):
    client = as_user(world.member)
    attempt = started(client, contest)
    response = client.post(
        reverse("assessment:attempt_answer", args=[attempt.pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400


def test_plain_form_post_saves_and_submits(as_user, world, contest):
    client = as_user(world.member)
    attempt = started(client, contest)
    data = {}
    for item in attempt.items.select_related("version"):
        data[f"q_{item.position}"] = item.version.answer
    data["submit"] = "1"
    response = client.post(reverse("assessment:attempt_save", args=[attempt.pk]), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.percent == 100
    page = client.get(reverse("assessment:attempt", args=[attempt.pk]))
    assert "100.00%" in page.content.decode()


def test_take_page_shows_saved_answers_in_stored_order(as_user, world, contest):
    client = as_user(world.member)
    attempt = started(client, contest)
    item = attempt.items.select_related("version").get(position=3)
    client.post(
        reverse("assessment:attempt_answer", args=[attempt.pk]),
        json.dumps({"position": 3, "response": [item.option_order[0]]}),
        content_type="application/json",
    )
    page = client.get(reverse("assessment:attempt", args=[attempt.pk]))
    stems = list(attempt.items.order_by("position").values_list("version__stem", flat=True))
    assert [q.stem for q in page.context["questions"]] == stems
    third = page.context["questions"][2]
    assert third.options[0][:2] == ("A", item.option_order[0])  # the first option as shown
    html = page.content.decode()
    assert f'name="q_3" id="q3A" value="{item.option_order[0]}" checked' in html
    assert html.count(" checked") == 1


def test_take_page_shows_each_answer_saved_since_it_was_last_opened(as_user, world, contest):
    """The drawn questions come from the cache; the answers are read on every view."""
    client = as_user(world.member)
    attempt = started(client, contest)
    url = reverse("assessment:attempt", args=[attempt.pk])
    assert " checked" not in client.get(url).content.decode()
    item = attempt.items.get(position=2)
    answer_url = reverse("assessment:attempt_answer", args=[attempt.pk])
    client.post(
        answer_url,
        json.dumps({"position": 2, "response": [item.option_order[1]]}),
        content_type="application/json",
    )
    page = client.get(url)
    assert f'id="q2B" value="{item.option_order[1]}" checked' in page.content.decode()
    assert page.context["answered"] == 1
    client.post(
        answer_url,
        json.dumps({"position": 2, "response": []}),
        content_type="application/json",
    )
    page = client.get(url)
    assert " checked" not in page.content.decode()
    assert page.context["answered"] == 0


def test_starting_an_attempt_is_a_few_small_queries(as_user, world, django_assert_num_queries):
    make_bank(world.committee, n=40)
    contest = make_contest(world.committee, count=20)
    client = as_user(world.member)
    # 1 session, 2 user, 3 change stamps (the scope's key), 4-5 scope (positions,
    # membership), 6 contest (access helper), 7 savepoint, 8 latest attempt, 9 draw rules,
    # 10 candidate questions, 11 drawn versions' options, 12 savepoint, 13 insert attempt,
    # 14 release, 15 one bulk insert of all items, 16 release savepoint. None of these
    # grows with the questions drawn.
    with django_assert_num_queries(16):
        response = client.post(start_url(contest))
    assert response.status_code == 302
    assert Attempt.objects.get(user=world.member).items.count() == 20


def test_saving_an_answer_is_a_few_small_queries(as_user, world, django_assert_num_queries):
    make_bank(world.committee, n=40)
    contest = make_contest(world.committee, count=20)
    client = as_user(world.member)
    attempt = started(client, contest)
    url = reverse("assessment:attempt_answer", args=[attempt.pk])
    # 1 session, 2 user, 3 the attempt (owner, status, deadline), 4 the question shown,
    # 5 the conditional update.
    with django_assert_num_queries(5):
        response = client.post(
            url, json.dumps({"position": 7, "response": ["B"]}), content_type="application/json"
        )
    assert response.status_code == 200


def test_take_page_queries_do_not_grow_with_questions(as_user, world, django_assert_num_queries):
    make_bank(world.committee, n=40)
    contest = make_contest(world.committee, count=20)
    client = as_user(world.member)
    attempt = started(client, contest)
    url = reverse("assessment:attempt", args=[attempt.pk])
    # 1 session, 2 user, 3 attempt with its contest, 4 items with their versions, 5 change
    # stamps (the scope for the navigation, from the cache: the start read it).
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["questions"]) == 20
    # Again: the drawn questions from the cache, 4 only the saved answers.
    with django_assert_num_queries(5) as again:
        response = client.get(url)
    assert not any("assessment_questionversion" in q["sql"] for q in again.captured_queries)
    assert len(response.context["questions"]) == 20
    assert response.content.count(b"<fieldset") == 20


def test_result_page_queries_do_not_grow(as_user, world, django_assert_num_queries):
    from tests.assessment.conftest import finish

    make_bank(world.committee, n=40)
    contest = make_contest(world.committee, count=20)
    attempt = finish(contest, world.member, correct=12)
    client = as_user(world.member)
    # 1 session, 2 user, 3 attempt with contest, member and branch, 4 items with their
    # versions, 5 change stamps (the scope's key), 6-7 scope for the navigation.
    with django_assert_num_queries(7):
        response = client.get(reverse("assessment:attempt", args=[attempt.pk]))
    assert response.context["revealed"] and len(response.context["sheet"]) == 20


def test_the_committee_sees_a_member_s_result_with_name_and_branch(
    as_user, world, django_assert_num_queries
):
    from tests.assessment.conftest import finish

    make_bank(world.committee, n=40)
    contest = make_contest(world.committee, count=20)
    attempt = finish(contest, world.member, correct=12)
    client = as_user(world.committee_user)
    client.get(reverse("assessment:contest", args=[contest.pk]))  # the scope in the cache
    # 1 session, 2 user, 3 the attempt with its contest, 4 change stamps (the scope from
    # the cache), 5 the attempt again with organisation, member and branch (not the
    # viewer's own), 6 items with their versions.
    with django_assert_num_queries(6):
        response = client.get(reverse("assessment:attempt", args=[attempt.pk]))
    text = response.content.decode()
    assert f"{world.member.name} · {world.branch.name}" in text
    assert response.context["revealed"] and "正确答案" in text


def test_contest_page_queries(as_user, world, django_assert_num_queries):
    from tests.assessment.conftest import finish

    make_bank(world.committee, n=40)
    contest = make_contest(world.committee, count=20)
    for _n in range(2):
        finish(contest, world.member, correct=3)
    client = as_user(world.member)
    # 1 session, 2 user, 3 change stamps (the scope's key), 4-5 scope, 6 contest (access
    # helper), 7 my attempts, 8 draw rules.
    with django_assert_num_queries(8):
        response = client.get(reverse("assessment:contest", args=[contest.pk]))
    assert len(response.context["attempts"]) == 2


def test_plain_form_post_is_a_fixed_number_of_queries(as_user, world, django_assert_num_queries):
    make_bank(world.committee, n=40)
    contest = make_contest(world.committee, count=20)
    client = as_user(world.member)
    attempt = started(client, contest)
    data = {f"q_{i.position}": "A" for i in attempt.items.all()}
    # 1 session, 2 user, 3 attempt (access helper), 4 savepoint, 5 lock the attempt,
    # 6 the items with their versions, 7 one bulk update of every changed answer,
    # 8 release savepoint (the flash message goes in a cookie).
    with django_assert_num_queries(8):
        response = client.post(reverse("assessment:attempt_save", args=[attempt.pk]), data)
    assert response.status_code == 302
    assert attempt.items.filter(response="A").count() == 20


def test_plain_form_post_after_the_limit_closes_with_what_was_saved(as_user, world, contest):
    client = as_user(world.member)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        attempt = started(client, contest)
        first = attempt.items.select_related("version").get(position=1)
        client.post(
            reverse("assessment:attempt_save", args=[attempt.pk]),
            {"q_1": first.version.answer},
        )
        clock.shift(datetime.timedelta(minutes=25))
        client.post(
            reverse("assessment:attempt_save", args=[attempt.pk]), {"q_2": "A", "submit": "1"}
        )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.TIMED_OUT and attempt.score == 2
    assert attempt.items.get(position=2).response == ""
