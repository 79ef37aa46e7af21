"""A branch's scorecard: radar data, lines with evidence, review and confirmation."""

import pytest
from django.urls import reverse

from scorecards.models import Scorecard
from scorecards.services import scorecard_build_request, scorecard_build_run, scorecard_confirm
from tests.scorecards.conftest import Q3, innovation, inspect, small_set

pytestmark = pytest.mark.django_db


def build(committee, period=Q3):
    scorecard_build_run(build_id=scorecard_build_request(committee=committee, period=period).pk)


@pytest.fixture
def card(world):
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 8)
    innovation(world.branch, world.secretary, 60)
    build(world.committee)
    return Scorecard.objects.get(branch=world.branch)


def url(card, name="scorecards:scorecard"):
    return reverse(name, args=[card.pk])


def test_the_committee_sees_points_radar_and_evidence_links(as_user, world, card):
    response = as_user(world.committee_user).get(url(card))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.radar["values"] == [80.0, 0, 0, 60.0]
    html = response.content.decode()
    assert "学习阵地" in html and "11.00" in html
    evidence_url = reverse("scorecards:inspection", args=[card.branch.inspections.get().pk])
    assert evidence_url in html  # one click from the point to its inspection
    assert 'id="radar-data"' in html and "radar.js" in html
    assert "<script>" not in html.replace("<script src", "")  # no inline scripts


def test_evidence_links_open_the_record(as_user, world, card):
    line = card.lines.get(indicator__code="innovation")
    target = line.evidence[0]["url"]
    assert as_user(world.committee_user).get(target).status_code == 200


def test_query_count_is_fixed(as_user, world, many_branches, django_assert_num_queries):
    from scorecards.models import Indicator

    indicator_set = small_set(world.committee)
    # Twelve indicators: the page's queries must not grow with its lines.
    for n in range(10):
        Indicator.objects.create(
            indicator_set=indicator_set,
            code=f"extra-{n}",
            name=f"附加{n}",
            dimension="results",
            kind="inspected",
            max_points=5,
            position=10 + n,
        )
    build(world.committee)
    target = Scorecard.objects.get(branch=world.branch)
    client = as_user(world.committee_user)
    # 1 session, 1 user, 1 change stamps (the scope's key), 2 scope, 1 scorecard with
    # branch, set, people and build, 1 lines with indicators, 1 versions
    with django_assert_num_queries(8):
        response = client.get(url(target))
    assert sum(len(lines) for *_x, lines in response.context["page"].lines_by_dimension) == 12


def test_review_then_confirm(as_user, world, card):
    client = as_user(world.committee_user)
    assert client.post(url(card, "scorecards:review")).status_code == 302
    card.refresh_from_db()
    assert card.state == "reviewed" and card.reviewed_by == world.committee_user
    client.post(url(card, "scorecards:confirm"))
    card.refresh_from_db()
    assert card.state == "confirmed" and card.confirmed_at is not None
    # Confirming again changes nothing and says why.
    response = client.post(url(card, "scorecards:confirm"), follow=True)
    assert (
        "已经确认" in response.content.decode() or "already confirmed" in response.content.decode()
    )


def test_a_recomputed_draft_is_shown_as_different_from_the_confirmed(as_user, world, card):
    scorecard_confirm(scorecard=card, user=world.committee_user)
    innovation(world.branch, world.secretary, 100, title="新创新")
    build(world.committee)
    draft = Scorecard.objects.get(branch=world.branch, version=2)
    response = as_user(world.committee_user).get(url(draft))
    page = response.context["page"]
    assert page.confirmed.pk == card.pk and page.differs == ["innovation"]
    assert 'data-testid="differs"' in response.content.decode()


def test_the_branch_secretary_sees_but_cannot_confirm(as_user, world, card):
    client = as_user(world.secretary)
    assert client.get(url(card)).status_code == 200
    assert client.post(url(card, "scorecards:confirm")).status_code == 404
    card.refresh_from_db()
    assert card.state == "draft"


def test_a_member_sees_only_their_branch_confirmed_scorecard(as_user, world, card):
    client = as_user(world.member)
    assert client.get(url(card)).status_code == 404
    scorecard_confirm(scorecard=card, user=world.committee_user)
    assert client.get(url(card)).status_code == 200


def test_the_outsider_and_the_sibling_secretary_get_404(as_user, world, card):
    for user in (world.outsider, world.other_secretary):
        client = as_user(user)
        assert client.get(url(card)).status_code == 404
        assert client.post(url(card, "scorecards:review")).status_code == 404
        assert client.post(url(card, "scorecards:confirm")).status_code == 404
    assert (
        as_user(world.outsider).get(reverse("scorecards:scorecard", args=[999999])).status_code
        == 404
    )
