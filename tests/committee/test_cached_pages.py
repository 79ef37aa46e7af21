"""The committee pages at province scale: cached under the data's stamps, never stale.

The progress table and the task list keep their rendered body in the cache under the
change stamps of what they show (portal/fragments.py), the matrix its table under a
fingerprint of the data; every change a user makes must show on the next request, and a
page served from the cache costs only the session, the user and the change stamps (the
matrix: its fingerprint as well).
"""

import datetime
import re

import pytest
from django.urls import reverse

from committee import services
from committee.models import Assignment, Task
from committee.selectors import assignment_table
from tests.committee.conftest import TODAY, make_task
from tests.factories import branch


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def busy_world(world, frozen):
    """Seven tasks of varying size (1 to 9 branches), so pages cut across tasks."""
    extra = [branch(world.committee, f"扩展第{n}党支部") for n in range(7)]
    for n in range(7):
        make_task(
            world,
            title=f"任务{n}",
            due_on=TODAY + datetime.timedelta(days=3 * n - 9),
            organisations=[world.branch, world.sibling_branch, *extra[:n]],
        )
    return world


def _pages(client, **params):
    """Every page of the table as (assignment ids), following the paginator."""
    url = reverse("committee:assignments")
    first = client.get(url, params).context["page"]
    pages = [[a.pk for a in first]]
    for number in range(2, first.paginator.num_pages + 1):
        pages.append([a.pk for a in client.get(url, {**params, "page": number}).context["page"]])
    return first.paginator.count, pages


@pytest.mark.parametrize(
    "params",
    [{}, {"state": "assigned"}, {"overdue": "on"}, {"organisation": "扩展"}, {"task": "first"}],
)
def test_table_pages_over_tasks_give_the_same_rows_in_the_same_order(as_user, busy_world, params):
    """Paged by task (counts per task from the cache), the rows and their order are those of
    the whole table sorted at once."""
    if params.get("task") == "first":
        params = {"task": Task.objects.get(title="任务3").pk}
    client = as_user(busy_world.committee_user)
    count, pages = _pages(client, **params)
    from committee.forms import AssignmentFilterForm

    form = AssignmentFilterForm(params, tasks=Task.objects.all())
    expected = list(
        form.filter(assignment_table(busy_world.committee_user)).values_list("pk", flat=True)
    )
    assert count == len(expected)
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == 25 for page in pages[:-1])


def test_a_new_task_shows_at_once_on_every_cached_page(as_user, busy_world):
    client = as_user(busy_world.committee_user)
    for name in ("committee:assignments", "committee:tasks", "committee:assignment_matrix"):
        client.get(reverse(name))  # cached now
    make_task(busy_world, title="新下达的任务", organisations=[busy_world.branch])
    for name in ("committee:assignments", "committee:tasks", "committee:assignment_matrix"):
        assert "新下达的任务" in client.get(reverse(name)).content.decode(), name
    secretary = as_user(busy_world.secretary)
    assert "新下达的任务" in secretary.get(reverse("committee:tasks")).content.decode()


def test_a_report_and_a_review_show_at_once(as_user, busy_world):
    committee, secretary = as_user(busy_world.committee_user), as_user(busy_world.secretary)
    url = reverse("committee:assignments")
    assert committee.get(url, {"state": "reported"}).context["page"].paginator.count == 0
    secretary.get(reverse("committee:tasks"))
    committee.get(reverse("committee:tasks"))
    committee.get(reverse("committee:assignment_matrix"))
    assignment = Assignment.objects.get(organisation=busy_world.branch, task__title="任务6")
    services.assignment_report(assignment=assignment, actor=busy_world.secretary, text="已开展")

    assert [a.pk for a in committee.get(url, {"state": "reported"}).context["page"]] == [
        assignment.pk
    ]
    assert "已报送待审核" in committee.get(url).content.decode()
    assert "已报送待审核" in secretary.get(reverse("committee:tasks")).content.decode()
    matrix = committee.get(reverse("committee:assignment_matrix"))
    assert "已报送待审核" in matrix.content.decode()
    tasks = committee.get(reverse("committee:tasks"))
    assert {t.title: t.awaiting_review for t in tasks.context["page"]}["任务6"] == 1

    services.assignment_review(assignment=assignment, actor=busy_world.committee_user, accept=True)
    assert committee.get(url, {"state": "reported"}).context["page"].paginator.count == 0
    assert committee.get(url, {"state": "accepted"}).context["page"].paginator.count == 1


def test_writes_outside_the_services_show_at_once(as_user, busy_world):
    """The tables' change stamps move with every write, however made: a deletion (the
    admin's task page), a bulk update, a renamed branch."""
    client = as_user(busy_world.committee_user)
    url = reverse("committee:assignments")
    before = client.get(url).context["page"].paginator.count
    Assignment.objects.filter(organisation=busy_world.sibling_branch).first().delete()
    assert client.get(url).context["page"].paginator.count == before - 1

    Assignment.objects.filter(task__title="任务6").update(state=Assignment.State.ACCEPTED)
    accepted = client.get(url, {"state": "accepted"}).context["page"].paginator.count
    assert accepted == Assignment.objects.filter(task__title="任务6").count()
    Task.objects.filter(title="任务6").update(title="改过的任务")
    assert "改过的任务" in client.get(reverse("committee:assignment_matrix")).content.decode()

    busy_world.sibling_branch.name = "改名后的党支部"
    busy_world.sibling_branch.save()
    assert "改名后的党支部" in client.get(url).content.decode()
    assert client.get(url, {"organisation": "改名后"}).context["page"].paginator.count == 6


def test_another_day_recounts_what_is_overdue(as_user, busy_world, time_machine):
    client = as_user(busy_world.committee_user)
    url = reverse("committee:assignments")
    today = client.get(url, {"overdue": "on"}).context["page"].paginator.count
    time_machine.move_to(datetime.datetime(2026, 12, 1, 4, 0, tzinfo=datetime.UTC), tick=False)
    client = as_user(busy_world.committee_user)  # a new session on the new day
    assert client.get(url, {"overdue": "on"}).context["page"].paginator.count > today


def test_the_task_filter_keeps_the_chosen_task_and_its_options(as_user, busy_world):
    task = Task.objects.get(title="任务2")
    client = as_user(busy_world.committee_user)
    client.get(reverse("committee:assignments"))  # options cached
    html = client.get(reverse("committee:assignments"), {"task": task.pk}).content.decode()
    assert f'<option value="{task.pk}" selected>任务2</option>' in html
    assert html.count("<option value=") == Task.objects.count() + 1 + 5  # tasks, all, states


def test_cached_pages_cost_the_session_the_user_and_the_stamps(
    as_user, busy_world, django_assert_num_queries
):
    client = as_user(busy_world.committee_user)
    pages = [
        reverse("committee:assignments"),
        reverse("committee:assignments") + "?page=2",
        reverse("committee:tasks"),
    ]
    for url in pages:
        client.get(url)
    for url in pages:
        # session, user, change stamps (the scope from the cache, the body's key)
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
    matrix = reverse("committee:assignment_matrix")
    client.get(matrix)
    # session, user, change stamps (the scope), fingerprint (with the count)
    with django_assert_num_queries(4):
        assert client.get(matrix).status_code == 200


def test_a_cached_body_is_the_same_page(as_user, busy_world):
    client = as_user(busy_world.committee_user)
    for url in (reverse("committee:assignments") + "?state=assigned", reverse("committee:tasks")):
        first = without_tokens(client.get(url))
        assert without_tokens(client.get(url)) == first


def test_a_renamed_assignee_shows_at_once(as_user, busy_world):
    task = make_task(
        busy_world, title="个人任务", organisations=[], people=[busy_world.other_secretary]
    )
    client = as_user(busy_world.committee_user)
    url = reverse("committee:assignments")
    assert "陈书记" in client.get(url, {"task": task.pk}).content.decode()  # cached now
    busy_world.other_secretary.name = "陈新名"
    busy_world.other_secretary.save()
    assert "陈新名" in client.get(url, {"task": task.pk}).content.decode()


def test_the_secretary_s_tasks_show_a_new_task_at_once(as_user, busy_world):
    secretary = as_user(busy_world.secretary)
    url = reverse("committee:tasks")
    assert "给一支部的新任务" not in secretary.get(url).content.decode()  # cached now
    make_task(busy_world, title="给一支部的新任务", organisations=[busy_world.branch])
    assert "给一支部的新任务" in secretary.get(url).content.decode()


def test_outsiders_never_get_the_committee_s_cached_body(as_user, busy_world):
    committee = as_user(busy_world.committee_user)
    for name in ("committee:assignments", "committee:tasks"):
        assert "任务6" in committee.get(reverse(name)).content.decode()  # cached now
    outsider = as_user(busy_world.outsider)
    for name in ("committee:assignments", "committee:tasks"):
        response = outsider.get(reverse(name))
        assert response.status_code == 200
        assert "任务6" not in response.content.decode(), name
