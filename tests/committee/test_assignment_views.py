"""The assignment page, reporting with evidence, reviewing, evidence files and the state table."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from committee import services
from committee.models import Assignment, AssignmentEvent
from tests.committee.conftest import TODAY, make_task
from tests.factories import PositionFactory, branch


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def _report(client, assignment, **data):
    return client.post(reverse("committee:assignment_report", args=[assignment.pk]), data)


def _review(client, assignment, **data):
    return client.post(reverse("committee:assignment_review", args=[assignment.pk]), data)


def test_secretary_reports_with_a_file_and_the_committee_accepts(as_user, world, branch_assignment):
    upload = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sign-in", content_type="application/pdf")
    response = _report(
        as_user(world.secretary),
        branch_assignment,
        text="11月20日开展",
        link="/meetings/3/",
        file=upload,
    )
    assert response.status_code == 302
    event = AssignmentEvent.objects.get(kind="reported")
    assert (event.text, event.link, event.file_name) == (
        "11月20日开展",
        "/meetings/3/",
        "签到表.pdf",
    )
    download = as_user(world.committee_user).get(reverse("committee:evidence", args=[event.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 sign-in"
    assert "attachment" in download["Content-Disposition"]

    _review(as_user(world.committee_user), branch_assignment, decision="accept")
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.ACCEPTED


def test_committee_returns_with_a_comment_and_the_branch_reports_again(
    as_user, world, branch_assignment
):
    secretary, committee = as_user(world.secretary), as_user(world.committee_user)
    _report(secretary, branch_assignment, text="初稿")
    response = _review(committee, branch_assignment, decision="return", comment="缺少签到表")
    assert response.status_code == 302
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.RETURNED
    page = secretary.get(reverse("committee:assignment", args=[branch_assignment.pk]))
    assert "缺少签到表" in page.content.decode() and page.context["can_report"]
    _report(secretary, branch_assignment, text="补充签到表")
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.REPORTED


def test_returning_without_a_comment_is_an_error_next_to_the_field(
    as_user, world, branch_assignment
):
    _report(as_user(world.secretary), branch_assignment, text="初稿")
    response = _review(as_user(world.committee_user), branch_assignment, decision="return")
    assert response.status_code == 400
    assert response.context["review_form"].errors["comment"]
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.REPORTED


def test_an_empty_report_is_refused_and_changes_nothing(as_user, world, branch_assignment):
    response = _report(as_user(world.secretary), branch_assignment, text=" ")
    assert response.status_code == 400
    assert response.context["report_form"].non_field_errors()
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.ASSIGNED


def test_a_javascript_link_is_refused(as_user, world, branch_assignment):
    response = _report(as_user(world.secretary), branch_assignment, link="javascript:alert(1)")
    assert response.status_code == 400
    assert response.context["report_form"].errors["link"]


def test_reviewing_twice_says_so_instead_of_failing(as_user, world, branch_assignment):
    _report(as_user(world.secretary), branch_assignment, text="x")
    committee = as_user(world.committee_user)
    _review(committee, branch_assignment, decision="accept")
    response = _review(committee, branch_assignment, decision="return", comment="晚了")
    assert response.status_code == 302
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.ACCEPTED
    assert AssignmentEvent.objects.filter(kind="returned").count() == 0


def test_member_of_the_branch_may_not_report_for_it(as_user, world, branch_assignment):
    client = as_user(world.member)
    assert (
        client.get(reverse("committee:assignment", args=[branch_assignment.pk])).status_code == 404
    )
    assert _report(client, branch_assignment, text="x").status_code == 404


def test_the_assignee_may_not_review_their_own_report(as_user, world, branch_assignment):
    _report(as_user(world.secretary), branch_assignment, text="x")
    assert (
        _review(as_user(world.secretary), branch_assignment, decision="accept").status_code == 404
    )
    assert Assignment.objects.get(pk=branch_assignment.pk).state == Assignment.State.REPORTED


def test_the_committee_may_not_report_for_a_branch(as_user, world, branch_assignment):
    assert _report(as_user(world.committee_user), branch_assignment, text="x").status_code == 404


def test_a_person_reports_on_their_own_assignment(as_user, world, frozen):
    task = make_task(world, organisations=[], people=[world.member])
    assignment = task.assignments.get()
    assert _report(as_user(world.member), assignment, text="已撰写学习体会").status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.REPORTED


@pytest.mark.parametrize("persona", ["outsider", "other_secretary"])
def test_outside_the_assignment_is_404_everywhere(as_user, world, branch_assignment, persona):
    services.assignment_report(
        assignment=branch_assignment,
        actor=world.secretary,
        text="x",
        file=SimpleUploadedFile("a.txt", b"x"),
    )
    event = AssignmentEvent.objects.get(kind="reported")
    client = as_user(getattr(world, persona))
    assert (
        client.get(reverse("committee:assignment", args=[branch_assignment.pk])).status_code == 404
    )
    assert _report(client, branch_assignment, text="x").status_code == 404
    assert _review(client, branch_assignment, decision="accept").status_code == 404
    assert client.get(reverse("committee:evidence", args=[event.pk])).status_code == 404


def test_overdue_rows_are_highlighted(as_user, world, frozen):
    make_task(world, due_on=TODAY - datetime.timedelta(days=1))
    page = as_user(world.secretary).get(reverse("committee:tasks")).content.decode()
    assert 'class="table-danger"' in page
    assert "已逾期" in page


# --- the state table -----------------------------------------------------------------------


@pytest.fixture
def table_world(world, frozen):
    extra = [branch(world.committee, f"扩展第{n}党支部") for n in range(4)]
    for n in range(3):
        make_task(
            world,
            title=f"任务{n}",
            due_on=TODAY + datetime.timedelta(days=5 * n - 5),
            organisations=[world.branch, world.sibling_branch, *extra],
        )
    return world


def test_committee_table_lists_every_branch_of_every_task(as_user, table_world):
    response = as_user(table_world.committee_user).get(reverse("committee:assignments"))
    assert response.context["page"].paginator.count == 18


def test_table_filters_by_state_overdue_and_assignee(as_user, table_world):
    client = as_user(table_world.committee_user)
    # 任务0 is overdue for all six branches; the first branch has reported on it.
    assignment = Assignment.objects.get(organisation=table_world.branch, task__title="任务0")
    services.assignment_report(assignment=assignment, actor=table_world.secretary, text="x")
    url = reverse("committee:assignments")
    assert [a.pk for a in client.get(url, {"state": "reported"}).context["page"]] == [assignment.pk]
    assert client.get(url, {"overdue": "on"}).context["page"].paginator.count == 5
    assert client.get(url, {"organisation": "第一"}).context["page"].paginator.count == 3


def test_table_export_is_a_spreadsheet_of_the_filtered_rows(as_user, table_world):
    response = as_user(table_world.committee_user).get(
        reverse("committee:assignments"), {"overdue": "on", "export": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "任务"
    assert len(rows) == 7
    assert {r[5] for r in rows[1:]} == {"是"}


def test_secretary_table_shows_only_their_branch(as_user, table_world):
    page = as_user(table_world.secretary).get(reverse("committee:assignments")).context["page"]
    assert {a.organisation for a in page} == {table_world.branch}


def test_outsider_table_is_empty(as_user, table_world):
    response = as_user(table_world.outsider).get(reverse("committee:assignments"))
    assert response.context["page"].paginator.count == 0


def test_a_foreign_task_filter_is_ignored_as_invalid(as_user, table_world):
    task = make_task(table_world, title="本支部", organisations=[table_world.branch])
    response = as_user(table_world.outsider).get(
        reverse("committee:assignments"), {"task": task.pk}
    )
    assert response.context["form"].errors["task"]
    assert response.context["page"].paginator.count == 0


def test_table_query_count(as_user, table_world, django_assert_num_queries):
    client = as_user(table_world.committee_user)
    # session, user, change stamps (the scope's and the body's key), scope positions,
    # scope membership, the table's layout (rows per task and the filter's tasks, one
    # query), page rows (task, issuer, organisation, person joined)
    with django_assert_num_queries(7):
        response = client.get(reverse("committee:assignments"))
    assert len(response.context["page"]) == 18
    # The body from the cache: session, user, change stamps.
    with django_assert_num_queries(3):
        again = client.get(reverse("committee:assignments"))
    assert without_tokens(again) == without_tokens(response)


def test_assignment_page_query_count(as_user, table_world, django_assert_num_queries):
    assignment = Assignment.objects.filter(organisation=table_world.branch).first()
    PositionFactory(user=table_world.committee_user, organisation=table_world.branch)
    for n in range(5):
        services.assignment_report(
            assignment=assignment, actor=table_world.secretary, text=f"第{n}次"
        )
        services.assignment_review(
            assignment=assignment, actor=table_world.committee_user, accept=False, comment="再改"
        )
    client = as_user(table_world.committee_user)
    # session, user, assignment with task/issuer/organisation/person, change stamps (the
    # scope's key), scope positions, scope membership, history with each step's author
    with django_assert_num_queries(7):
        response = client.get(reverse("committee:assignment", args=[assignment.pk]))
    assert len(response.context["history"]) == 11


def test_evidence_whose_content_does_not_match_its_name_is_refused(
    as_user, world, branch_assignment
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    fake = SimpleUploadedFile(
        "总结.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"
    )
    response = as_user(world.secretary).post(
        reverse("committee:assignment_report", args=[branch_assignment.pk]),
        {"text": "", "link": "", "file": fake},
    )
    branch_assignment.refresh_from_db()
    assert branch_assignment.state == branch_assignment.State.ASSIGNED
    assert response.status_code == 400  # the form again, with the reason next to the file
    assert not branch_assignment.events.filter(kind="report").exists()
