"""奖学 / 评先选优: proposed from confirmed scorecards, confirmed by the committee, shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scorecards.models import Commendation, Scorecard
from scorecards.quarters import Quarter
from scorecards.selectors import commendations_for
from scorecards.services import (
    commendation_decide,
    commendation_propose_member,
    commendations_propose,
    scorecard_build_request,
    scorecard_build_run,
    scorecard_confirm,
)
from tests.scorecards.conftest import Q3, inspect, small_set

pytestmark = pytest.mark.django_db


def build(committee, period):
    scorecard_build_run(build_id=scorecard_build_request(committee=committee, period=period).pk)


@pytest.fixture
def confirmed(world, many_branches):
    q2 = Quarter(2026, 2)
    small_set(world.committee, q2)
    inspect(world.committee, world.sibling_branch, world.committee_user, 1, day=q2.start)
    build(world.committee, q2)
    inspect(world.committee, world.branch, world.committee_user, 9)
    inspect(world.committee, world.sibling_branch, world.committee_user, 6)
    build(world.committee, Q3)
    for card in Scorecard.objects.filter(quarter=3):
        scorecard_confirm(scorecard=card, user=world.committee_user)
    return world


def test_the_top_tenth_and_the_most_improved_are_proposed_once(confirmed):
    assert commendations_propose(committee=confirmed.committee, period=Q3) == 2
    assert commendations_propose(committee=confirmed.committee, period=Q3) == 0
    rows = {(c.kind, c.organisation.name) for c in Commendation.objects.all()}
    assert rows == {("learning_branch", "第一党支部"), ("most_improved", "第一党支部")}


def test_drafts_are_not_proposed(world):
    small_set(world.committee)
    build(world.committee, Q3)
    assert commendations_propose(committee=world.committee, period=Q3) == 0


def test_confirmed_commendations_show_for_the_branch_its_committee_and_the_member(confirmed):
    commendations_propose(committee=confirmed.committee, period=Q3)
    model = Commendation.objects.get(kind="learning_branch")
    assert list(commendations_for(confirmed.branch, 2026)) == []
    commendation_decide(commendation=model, user=confirmed.committee_user, confirm=True)
    assert list(commendations_for(confirmed.branch, 2026)) == [model]
    assert list(commendations_for(confirmed.committee)) == [model]
    assert list(commendations_for(confirmed.branch, 2025)) == []
    pacesetter = commendation_propose_member(
        committee=confirmed.committee,
        user=confirmed.member,
        kind="pacesetter",
        year=2026,
        quarter=None,
        reason="全年学习时长第一",
    )
    commendation_decide(commendation=pacesetter, user=confirmed.committee_user, confirm=True)
    assert list(commendations_for(confirmed.member, 2026)) == [pacesetter]


def test_pages_propose_decide_and_outsider(as_user, confirmed):
    client = as_user(confirmed.committee_user)
    client.post(reverse("scorecards:commendations_propose"), {"quarter": "2026-Q3"})
    listing = client.get(reverse("scorecards:commendations"), {"quarter": "2026-Q3"})
    assert len(listing.context["rows"]) == 2
    first = Commendation.objects.get(kind="learning_branch")
    client.post(reverse("scorecards:commendation_decide", args=[first.pk]), {"decision": "confirm"})
    first.refresh_from_db()
    assert first.status == "confirmed"
    other = Commendation.objects.get(kind="most_improved")
    outsider = as_user(confirmed.outsider)
    assert (
        outsider.post(
            reverse("scorecards:commendation_decide", args=[other.pk]), {"decision": "confirm"}
        ).status_code
        == 404
    )
    assert (
        as_user(confirmed.secretary)
        .post(reverse("scorecards:commendation_decide", args=[other.pk]), {"decision": "confirm"})
        .status_code
        == 404
    )
    other.refresh_from_db()
    assert other.status == "proposed"
    assert (
        outsider.get(
            reverse("scorecards:commendations"), {"committee": confirmed.committee.pk}
        ).status_code
        == 404
    )


def test_the_member_page_shows_contribution_branch_scorecards_and_commendations(as_user, confirmed):
    commendations_propose(committee=confirmed.committee, period=Q3)
    commendation_decide(
        commendation=Commendation.objects.get(kind="learning_branch"),
        user=confirmed.committee_user,
        confirm=True,
    )
    response = as_user(confirmed.member).get(reverse("scorecards:mine"), {"quarter": "2026-Q3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "第一党支部" in html
    assert [c.total for c in response.context["branch_cards"]] == [Decimal("9.00")]
    assert len(response.context["branch_commendations"]) == 1
    # The outsider's page shows only their own branch, with nothing of the committee's.
    outsider = as_user(confirmed.outsider).get(reverse("scorecards:mine"))
    assert outsider.status_code == 200 and "第一党支部" not in outsider.content.decode()


def test_the_best_contest_results_of_the_quarter_are_proposed(world):
    import datetime

    from tests.scorecards.test_metrics_assessment import attempt, contest

    c = contest(world)
    attempt(c, world.member, world.branch, 98)
    attempt(c, world.secretary, world.branch, 85)  # below 90%: not proposed
    attempt(c, world.outsider, world.other_branch, 100)  # another tree
    later = contest(
        world, closes=datetime.datetime(2026, 12, 20, tzinfo=datetime.UTC), title="下季度"
    )
    attempt(later, world.other_secretary, world.sibling_branch, 100)
    assert commendations_propose(committee=world.committee, period=Q3) == 1
    assert commendations_propose(committee=world.committee, period=Q3) == 0
    proposal = Commendation.objects.get()
    assert (proposal.kind, proposal.user, proposal.source) == (
        "contest_winner",
        world.member,
        "contest",
    )
    assert "98" in proposal.reason


def test_the_template_tag_lists_confirmed_commendations(confirmed):
    from django.template import Context, Template

    commendations_propose(committee=confirmed.committee, period=Q3)
    commendation_decide(
        commendation=Commendation.objects.get(kind="learning_branch"),
        user=confirmed.committee_user,
        confirm=True,
    )
    html = Template("{% load scorecards_tags %}{% commendations_of org %}").render(
        Context({"org": confirmed.branch})
    )
    assert "学习型党支部" in html
    empty = Template("{% load scorecards_tags %}{% commendations_of org %}").render(
        Context({"org": confirmed.sibling_branch})
    )
    assert "学习型党支部" not in empty


def test_the_organisation_and_member_pages_show_commendations(as_user, confirmed):
    from django.urls import reverse

    commendations_propose(committee=confirmed.committee, period=Q3)
    branch_award = Commendation.objects.get(kind="learning_branch")
    commendation_decide(commendation=branch_award, user=confirmed.committee_user, confirm=True)
    client = as_user(confirmed.committee_user)
    page = client.get(reverse("portal:organisation", args=[branch_award.organisation_id]))
    assert "学习型党支部" in page.content.decode()
    # the committee's page lists what its branches earned; a sibling's page does not
    assert (
        "学习型党支部"
        in client.get(
            reverse("portal:organisation", args=[confirmed.committee.pk])
        ).content.decode()
    )
    others = [
        b
        for b in (confirmed.branch, confirmed.sibling_branch)
        if b.pk != branch_award.organisation_id
    ]
    assert (
        "学习型党支部"
        not in client.get(reverse("portal:organisation", args=[others[0].pk])).content.decode()
    )
    member = client.get(reverse("portal:member", args=[confirmed.member.pk])).content.decode()
    assert 'data-testid="commendations"' in member
