"""The committee's table of all branches for a quarter."""

import re

import pytest
from django.urls import reverse

from scorecards.models import Scorecard
from scorecards.services import scorecard_build_request, scorecard_build_run, scorecard_review
from tests.scorecards.conftest import Q3, innovation, inspect, small_set


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


pytestmark = pytest.mark.django_db

URL = reverse("scorecards:table")


@pytest.fixture
def built(world, many_branches):
    small_set(world.committee, Q3.previous())
    inspect(world.committee, world.branch, world.committee_user, 3, day=Q3.previous().start)
    scorecard_build_run(
        build_id=scorecard_build_request(committee=world.committee, period=Q3.previous()).pk
    )
    inspect(world.committee, world.branch, world.committee_user, 9)
    inspect(world.committee, world.sibling_branch, world.committee_user, 5)
    innovation(many_branches[0], world.secretary, 80)
    scorecard_build_run(build_id=scorecard_build_request(committee=world.committee, period=Q3).pk)
    return world


def test_the_committee_sees_every_branch_ranked_with_trend(as_user, built):
    response = as_user(built.committee_user).get(URL, {"quarter": "2026-Q3"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 12
    assert [r.scorecard.branch.name for r in rows[:3]] == [
        "第一党支部",
        "第二党支部",
        "测试第0党支部",
    ]
    assert [r.rank for r in rows[:3]] == [1, 2, 3]
    first = rows[0]
    assert first.arrow == "↑" and first.trend[-2:] == [pytest.approx(0.2), pytest.approx(0.6)]
    assert first.sparkline
    html = response.content.decode()
    assert "第一党支部" in html and "邻市党支部" not in html


def test_sort_and_filter(as_user, built):
    client = as_user(built.committee_user)
    by_innovation = client.get(URL, {"quarter": "2026-Q3", "sort": "innovation"}).context["rows"]
    assert by_innovation[0].scorecard.branch.name == "测试第0党支部"
    assert by_innovation[0].rank == 3  # the rank stays the rank by total in the subtree
    filtered = client.get(URL, {"quarter": "2026-Q3", "q": "第二"}).context["rows"]
    assert [r.scorecard.branch.name for r in filtered] == ["第二党支部"]
    assert filtered[0].rank == 2
    drafts = client.get(URL, {"quarter": "2026-Q3", "state": "confirmed"}).context["rows"]
    assert drafts == []
    lowest_first = client.get(URL, {"quarter": "2026-Q3", "sort": "-total"}).context["rows"]
    assert lowest_first[-1].scorecard.branch.name == "第一党支部"


def test_export_is_a_spreadsheet_of_the_filtered_rows(as_user, built):
    import io

    from openpyxl import load_workbook

    response = as_user(built.committee_user).get(URL, {"quarter": "2026-Q3", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 13
    assert sheet.cell(row=2, column=2).value == "第一党支部"


def test_query_count_does_not_grow_with_rows(as_user, built, django_assert_num_queries):
    client = as_user(built.committee_user)
    # 1 session, 1 user, 1 change stamps (the scope's and the body's key), 2 scope
    # (positions, membership), 1 committees of the user (the default committee, and the
    # switcher), 1 latest build, 1 "under" choices of the filter form, 1 page count,
    # 1 page of scorecards with branches, 1 ranks in the subtree (window), 1 trend of the
    # page's branches
    with django_assert_num_queries(12):
        response = client.get(URL, {"quarter": "2026-Q3"})
    assert len(response.context["rows"]) == 12
    # The body from the cache: 1 session, 1 user, 1 change stamps (the scope from the
    # cache), 1 committees of the user, 1 latest build (its progress is live).
    with django_assert_num_queries(5):
        again = client.get(URL, {"quarter": "2026-Q3"})
    assert without_tokens(again) == without_tokens(response)


def test_the_cached_table_shows_a_change_at_once(as_user, built):
    client = as_user(built.committee_user)
    first = client.get(URL, {"quarter": "2026-Q3"}).content.decode()  # cached now
    assert 'data-testid="state">已审核' not in first
    card = Scorecard.objects.get(branch=built.branch, year=2026, quarter=3)
    scorecard_review(scorecard=card, user=built.committee_user)
    assert 'data-testid="state">已审核' in client.get(URL, {"quarter": "2026-Q3"}).content.decode()
    built.branch.name = "改名后的党支部"
    built.branch.save()
    assert "改名后的党支部" in client.get(URL, {"quarter": "2026-Q3"}).content.decode()


def test_the_build_progress_is_live_under_a_cached_table(as_user, built):
    client = as_user(built.committee_user)
    first = client.get(URL, {"quarter": "2026-Q3"})
    run = first.context["build"].run
    scorecard_build_request(committee=built.committee, period=Q3)  # queued, not run
    again = client.get(URL, {"quarter": "2026-Q3"})
    assert again.context["build"].run == run + 1
    assert f"#{run + 1}" in again.content.decode()


def test_the_outsider_still_gets_404_once_the_table_is_cached(as_user, built):
    as_user(built.committee_user).get(URL, {"committee": built.committee.pk})  # cached now
    response = as_user(built.outsider).get(URL, {"committee": built.committee.pk})
    assert response.status_code == 404
    other = as_user(built.other_secretary).get(URL, {"committee": built.committee.pk})
    assert other.status_code == 404


def test_a_member_is_sent_to_their_own_page(as_user, world):
    response = as_user(world.member).get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("scorecards:mine")


def test_the_outsider_gets_404_for_another_committee(as_user, built):
    response = as_user(built.outsider).get(URL, {"committee": built.committee.pk})
    assert response.status_code == 404
    other_secretary = as_user(built.other_secretary).get(URL, {"committee": built.committee.pk})
    assert other_secretary.status_code == 404


def test_a_committee_of_another_tree_gets_404(as_user, built):
    from portal.models import Position
    from tests.factories import PositionFactory, member_of

    stranger = member_of(built.other_branch, username="other_committee")
    PositionFactory(
        user=stranger, organisation=built.other_committee, title=Position.Title.COMMITTEE_MEMBER
    )
    response = as_user(stranger).get(URL, {"committee": built.committee.pk})
    assert response.status_code == 404
    response = as_user(stranger).get(URL, {"committee": "x"})
    assert response.status_code == 404


def test_build_button_starts_a_build_and_status_reports_progress(
    as_user, world, django_capture_on_commit_callbacks
):
    small_set(world.committee)
    client = as_user(world.committee_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scorecards:build_start"),
            {"committee": world.committee.pk, "quarter": "2026-Q3"},
        )
    assert response.status_code == 302
    assert Scorecard.objects.filter(year=2026, quarter=3).count() == 2
    page = client.get(URL, {"quarter": "2026-Q3"})
    build = page.context["build"]
    status = client.get(reverse("scorecards:build_status", args=[build.pk])).json()
    assert status["progress"] == 100 and status["finished"] is True
    assert (
        as_user(world.outsider).get(reverse("scorecards:build_status", args=[build.pk])).status_code
        == 404
    )
    assert (
        as_user(world.outsider)
        .post(reverse("scorecards:build_start"), {"committee": world.committee.pk})
        .status_code
        == 404
    )
