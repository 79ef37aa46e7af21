"""League tables, item analysis and the export of every answer: numbers and query counts."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment import selectors
from tests.assessment.conftest import finish, make_bank, make_contest
from tests.factories import branch, member_of


@pytest.fixture
def played(world):
    """12 members over three branches finish a 10-question contest, scoring 0–100%."""
    make_bank(world.committee, n=10)
    contest = make_contest(world.committee, count=10)
    third = branch(world.committee, "第三党支部")
    members = []
    for n in range(12):
        home = [world.branch, world.sibling_branch, third][n % 3]
        members.append(member_of(home, username=f"p{n}", name=f"参赛者{n}"))
    for n, person in enumerate(members):
        finish(contest, person, correct=min(10, n))
    return contest, third


def test_branch_league_has_participation_and_average(world, played):
    contest, _third = played
    rows = {r.branch.name: r for r in selectors.branch_league(contest)}
    # 第一党支部: committee, secretary, member + p0, p3, p6, p9 → 4 of 7 took part.
    first = rows["第一党支部"]
    assert (first.members, first.participants) == (7, 4)
    assert first.participation == Decimal("57.1")
    assert first.average == 45  # (0 + 30 + 60 + 90) / 4
    assert rows["第三党支部"].participants == 4
    assert "邻市党支部" not in rows


def test_member_league_ranks_best_first(world, played):
    contest, _third = played
    names = [a.user.name for a in selectors.member_league(contest)]
    assert names[:2] == ["参赛者10", "参赛者11"] or names[:2] == ["参赛者11", "参赛者10"]
    assert names[-1] == "参赛者0"


def test_league_page_queries_do_not_grow(as_user, world, played, django_assert_num_queries):
    contest, _third = played
    client = as_user(world.member)
    # 1 session, 2 user, 3-4 scope (positions, membership), 5 contest (access helper),
    # 6 fingerprint of the counting attempts, 7 change stamps of memberships and the tree,
    # 8 the counting attempts in league order, 9 branches in scope, 10 members per branch,
    # 11 the page's members and branches.
    # Cached (tests/assessment/test_results_cache.py): 1-7 and 11.
    with django_assert_num_queries(11):
        response = client.get(reverse("assessment:league", args=[contest.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "第三党支部" in text and "参赛者11" in text


def test_item_analysis_finds_facility_discrimination_and_options(world, played):
    contest, _third = played
    rows = selectors.item_analysis(contest)
    assert len(rows) == 10
    for row in rows:
        assert row.seen == 12
        assert 0 <= row.facility <= 1
        assert sum(n for _l, _t, n, _c in row.option_counts) == 12
        # strong members answered more right than weak ones: discrimination is positive
        assert row.discrimination > 0


def test_item_analysis_page_queries_do_not_grow(as_user, world, played, django_assert_num_queries):
    contest, _third = played
    client = as_user(world.committee_user)
    # 1 session, 2 user, 3 change stamps (the scope's key), 4-5 scope, 6 contest (access
    # helper), 7 fingerprint of the counting attempts (their number too), 8 the counting
    # attempts and their scores, 9 one grouped tally of every answer, 10 versions with
    # their questions' topics.
    with django_assert_num_queries(10):
        response = client.get(reverse("assessment:analysis", args=[contest.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 10


def test_export_has_every_answer_of_every_member(as_user, world, played):
    contest, _third = played
    response = as_user(world.committee_user).get(
        reverse("assessment:answers_export", args=[contest.pk])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert len(rows) == 1 + 12 * 10
    assert {r[0] for r in rows[1:]} == {f"参赛者{n}" for n in range(12)}


def test_public_branch_contest_results(world, played):
    contest, third = played
    from django.utils import timezone

    end = timezone.localtime(contest.closes_at).date()
    results = selectors.branch_contest_results(
        branches=[world.branch, third], start=end.replace(day=1), end=end
    )
    assert results[world.branch.pk].eligible == 7
    assert results[world.branch.pk].participated == 4
    assert results[world.branch.pk].participation_rate == Decimal("57.1")
    assert results[third.pk].average == Decimal("62.5")  # (20 + 50 + 80 + 100) / 4
