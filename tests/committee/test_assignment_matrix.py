"""The matrix: each task's state per branch, for the committee, exportable."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from committee import services
from committee.models import Assignment
from tests.committee.conftest import TODAY, make_task
from tests.factories import branch


@pytest.fixture
def matrix_world(world, frozen):
    extra = [branch(world.committee, f"扩展第{n:02d}党支部") for n in range(10)]
    tasks = [
        make_task(
            world,
            title=f"任务{n}",
            due_on=TODAY + datetime.timedelta(days=n * 10 - 5),
            organisations=[world.branch, *extra] if n else [world.branch],
            people=[world.member] if n == 2 else [],
        )
        for n in range(3)
    ]
    return world, tasks


def test_rows_are_assignees_and_cells_each_tasks_state(as_user, matrix_world):
    world, tasks = matrix_world
    done = Assignment.objects.get(task=tasks[1], organisation=world.branch)
    services.assignment_report(assignment=done, actor=world.secretary, text="x")
    response = as_user(world.committee_user).get(reverse("committee:assignment_matrix"))
    columns = response.context["tasks"]
    assert columns == [tasks[2], tasks[1], tasks[0]]  # newest first
    rows = {row.name: row.cells for row in response.context["rows"]}
    assert len(rows) == 12  # the first branch, ten more, and one person
    assert [c.state if c else None for c in rows["第一党支部"]] == [
        "assigned",
        "reported",
        "assigned",
    ]
    assert rows["扩展第00党支部"][2] is None  # 任务0 went only to the first branch
    assert [c is not None for c in rows[world.member.name]] == [True, False, False]


def test_export_shades_overdue_cells(as_user, matrix_world):
    world, _ = matrix_world
    response = as_user(world.committee_user).get(
        reverse("committee:assignment_matrix"), {"export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == "责任单位（人）"
    first = [c.value for c in sheet[2]]
    assert first == ["第一党支部", "已下达", "已下达", "已下达"]
    assert sheet.cell(row=2, column=4).fill.fgColor.rgb.endswith("F8D7DA")  # 任务0 is overdue


@pytest.mark.parametrize("persona", ["secretary", "member", "outsider"])
def test_only_the_committee_sees_the_matrix(as_user, matrix_world, persona):
    world, _ = matrix_world
    response = as_user(getattr(world, persona)).get(reverse("committee:assignment_matrix"))
    assert response.status_code == 404


def test_matrix_query_count(as_user, matrix_world, django_assert_num_queries):
    world, _ = matrix_world
    client = as_user(world.committee_user)
    # session, user, change stamps (the scope's key), scope positions, scope membership,
    # fingerprint with the page count, page of tasks with counts, their assignments with
    # task, organisation and person
    with django_assert_num_queries(8):
        response = client.get(reverse("committee:assignment_matrix"))
    assert len(response.context["rows"]) == 12
