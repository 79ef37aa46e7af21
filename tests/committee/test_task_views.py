"""Task pages: issuing, the task list and the task page; who gets what, in how many queries."""

import datetime
import re

import pytest
from django.urls import reverse

from committee.models import Assignment, Task
from tests.committee.conftest import TODAY, make_task
from tests.factories import branch


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def _post_task(client, world, **extra):
    data = {
        "issuer": world.committee.pk,
        "title": "开展读书会",
        "evidence_expected": "会议记录",
        "due_on": "2026-12-31",
        "organisations": [world.branch.pk],
        **extra,
    }
    return client.post(reverse("committee:task_create"), data)


def test_committee_assigns_a_task_to_branches_and_a_person(as_user, world, frozen):
    response = _post_task(
        as_user(world.committee_user), world, all_branches="on", people=f"{world.member.phone}"
    )
    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:task", args=[task.pk])
    assigned = {(a.organisation_id, a.assignee_id) for a in task.assignments.all()}
    assert assigned == {
        (world.branch.pk, None),
        (world.sibling_branch.pk, None),
        (None, world.member.pk),
    }


def test_deadline_in_the_past_is_refused_next_to_its_field(as_user, world, frozen):
    response = _post_task(as_user(world.committee_user), world, due_on="2026-11-26")
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"]
    assert "不能早于今天" in response.content.decode()
    assert not Task.objects.exists()


def test_unknown_person_is_named_in_the_error(as_user, world, frozen):
    response = _post_task(
        as_user(world.committee_user), world, organisations=[], people="13000000000"
    )
    assert "13000000000" in response.content.decode()
    assert response.context["form"].errors["people"]
    assert not Task.objects.exists()


def test_a_person_from_another_tree_cannot_be_assigned(as_user, world, frozen):
    response = _post_task(as_user(world.committee_user), world, people=world.outsider.username)
    assert response.context["form"].errors["people"]
    assert not Task.objects.exists()


def test_an_organisation_of_another_tree_is_not_a_choice(as_user, world, frozen):
    response = _post_task(
        as_user(world.committee_user), world, organisations=[world.other_branch.pk]
    )
    assert response.context["form"].errors["organisations"]
    assert not Task.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "member", "outsider"])
def test_only_the_committee_may_issue(as_user, world, frozen, persona):
    client = as_user(getattr(world, persona))
    assert client.get(reverse("committee:task_create")).status_code == 404
    assert _post_task(client, world).status_code == 404
    assert not Task.objects.exists()


def test_secretary_sees_the_task_but_only_their_branch_row(as_user, world, task):
    response = as_user(world.secretary).get(reverse("committee:task", args=[task.pk]))
    assert response.status_code == 200
    assert [a.organisation for a in response.context["rows"]] == [world.branch]


def test_outsider_gets_404_on_the_task(as_user, world, task):
    response = as_user(world.outsider).get(reverse("committee:task", args=[task.pk]))
    assert response.status_code == 404


def test_member_without_an_assignment_gets_404_on_the_task(as_user, world, task):
    response = as_user(world.member).get(reverse("committee:task", args=[task.pk]))
    assert response.status_code == 404


def test_task_list_shows_progress_counts(as_user, world, frozen):
    make_task(world, due_on=TODAY - datetime.timedelta(days=1))
    response = as_user(world.committee_user).get(reverse("committee:tasks"))
    row = response.context["page"][0]
    assert (row.total, row.accepted, row.awaiting_review, row.overdue) == (2, 0, 0, 2)


def test_outsider_task_list_lists_nothing_of_the_tree(as_user, world, task):
    response = as_user(world.outsider).get(reverse("committee:tasks"))
    assert response.status_code == 200
    assert "page" not in response.context
    assert list(response.context["mine"]) == []
    assert task.title not in response.content.decode()


@pytest.fixture
def many_tasks(world, frozen):
    """Twelve tasks, each to four branches, some overdue."""
    extra = [branch(world.committee, f"扩展第{n}党支部") for n in range(2)]
    for n in range(12):
        make_task(
            world,
            title=f"任务{n}",
            due_on=TODAY + datetime.timedelta(days=n - 5),
            organisations=[world.branch, world.sibling_branch, *extra],
        )
    return world


def test_task_list_query_count(as_user, many_tasks, django_assert_num_queries):
    client = as_user(many_tasks.committee_user)
    # session, user, change stamps (the scope's and the body's key), scope positions,
    # scope membership, my assignments (joined), page count, page of tasks with state
    # counts (one grouped query)
    with django_assert_num_queries(8):
        response = client.get(reverse("committee:tasks"))
    assert len(response.context["page"]) == 12
    # The body from the cache: session, user, change stamps.
    with django_assert_num_queries(3):
        again = client.get(reverse("committee:tasks"))
    assert without_tokens(again) == without_tokens(response)


def test_task_page_query_count(as_user, many_tasks, django_assert_num_queries):
    task = Task.objects.first()
    for n in range(8):
        Assignment.objects.create(
            task=task, organisation=branch(many_tasks.committee, f"再扩展{n}党支部")
        )
    client = as_user(many_tasks.committee_user)
    # session, user, task with issuer and creator, change stamps (the scope's key), scope
    # positions, scope membership, assignments with organisation and person
    with django_assert_num_queries(7):
        response = client.get(reverse("committee:task", args=[task.pk]))
    assert len(response.context["rows"]) == 12


def test_my_tasks_list_what_i_owe_first(as_user, world, frozen):
    from committee import services

    done = make_task(world, title="已完成", due_on=TODAY + datetime.timedelta(days=1))
    todo = make_task(world, title="待办", due_on=TODAY + datetime.timedelta(days=30))
    accepted = done.assignments.get(organisation=world.branch)
    services.assignment_report(assignment=accepted, actor=world.secretary, text="x")
    services.assignment_review(assignment=accepted, actor=world.committee_user, accept=True)
    mine = list(as_user(world.secretary).get(reverse("committee:tasks")).context["mine"])
    assert [a.task for a in mine] == [todo, done]
