"""draft → reviewed → confirmed; a confirmed scorecard never changes, and a recompute that
comes out differently is a new draft beside it."""

from decimal import Decimal

import pytest

from scorecards.models import Scorecard, ScorecardLine
from scorecards.services import (
    TransitionError,
    scorecard_build_request,
    scorecard_build_run,
    scorecard_confirm,
    scorecard_review,
)
from tests.scorecards.conftest import Q3, innovation, inspect, small_set

pytestmark = pytest.mark.django_db


def build(committee, period=Q3):
    return scorecard_build_run(
        build_id=scorecard_build_request(committee=committee, period=period).pk
    )


def snapshot():
    return sorted(
        Scorecard.objects.values_list("pk", "branch_id", "version", "state", "total", "fingerprint")
    ), sorted(ScorecardLine.objects.values_list("scorecard_id", "indicator_id", "points"))


def test_running_the_build_twice_writes_the_same_rows(world):
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 7)
    build(world.committee)
    first = snapshot()
    build(world.committee)
    assert snapshot() == first
    assert Scorecard.objects.count() == 2  # one per branch


def test_a_draft_is_updated_in_place_when_records_change(world):
    small_set(world.committee)
    build(world.committee)
    card = Scorecard.objects.get(branch=world.branch)
    innovation(world.branch, world.secretary, 100)
    build(world.committee)
    again = Scorecard.objects.get(branch=world.branch)
    assert again.pk == card.pk and again.version == 1
    assert again.total == Decimal("5.00")


def test_a_confirmed_scorecard_stays_fixed_and_a_recompute_makes_a_new_draft(world):
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 6)
    build(world.committee)
    card = Scorecard.objects.get(branch=world.branch)
    scorecard_review(scorecard=card, user=world.committee_user)
    scorecard_confirm(scorecard=card, user=world.committee_user)
    lines_before = list(card.lines.values_list("pk", "points", "evidence"))

    innovation(world.branch, world.secretary, 80)  # a record changes after confirmation
    build(world.committee)

    card.refresh_from_db()
    assert card.state == "confirmed" and card.total == Decimal("6.00")
    assert list(card.lines.values_list("pk", "points", "evidence")) == lines_before
    draft = Scorecard.objects.get(branch=world.branch, version=2)
    assert draft.state == "draft" and draft.total == Decimal("10.00")
    # A recompute that comes out the same as the confirmed one adds nothing.
    build(world.committee)
    assert Scorecard.objects.filter(branch=world.branch).count() == 2


def test_an_unchanged_recompute_after_confirmation_adds_no_draft(world):
    small_set(world.committee)
    build(world.committee)
    card = Scorecard.objects.get(branch=world.branch)
    scorecard_confirm(scorecard=card, user=world.committee_user)
    build(world.committee)
    assert Scorecard.objects.filter(branch=world.branch).count() == 1


def test_a_confirmed_scorecard_cannot_be_confirmed_or_reviewed_again(world):
    small_set(world.committee)
    build(world.committee)
    card = Scorecard.objects.get(branch=world.branch)
    scorecard_confirm(scorecard=card, user=world.committee_user)
    with pytest.raises(TransitionError):
        scorecard_confirm(scorecard=card, user=world.committee_user)
    with pytest.raises(TransitionError):
        scorecard_review(scorecard=card, user=world.committee_user)


def test_only_the_newest_version_can_be_confirmed(world):
    small_set(world.committee)
    build(world.committee)
    first = Scorecard.objects.get(branch=world.branch)
    scorecard_confirm(scorecard=first, user=world.committee_user)
    innovation(world.branch, world.secretary, 50)
    build(world.committee)
    # v1 is confirmed; v2 is the draft. Confirming v2 supersedes v1; v1 cannot be redone.
    second = Scorecard.objects.get(branch=world.branch, version=2)
    scorecard_confirm(scorecard=second, user=world.committee_user)
    assert Scorecard.objects.filter(branch=world.branch, state="confirmed").count() == 2


def test_the_database_refuses_two_drafts_of_one_quarter(world):
    from django.db import IntegrityError, transaction

    indicator_set = small_set(world.committee)
    Scorecard.objects.create(branch=world.branch, year=2026, quarter=3, indicator_set=indicator_set)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scorecard.objects.create(
            branch=world.branch, year=2026, quarter=3, version=2, indicator_set=indicator_set
        )


def test_rank_and_change_from_last_quarter(world, many_branches):
    from scorecards.quarters import Quarter

    small_set(world.committee, Quarter(2026, 2))
    inspect(world.committee, world.branch, world.committee_user, 4, day=Quarter(2026, 2).start)
    build(world.committee, Quarter(2026, 2))
    inspect(world.committee, world.branch, world.committee_user, 9)
    inspect(world.committee, world.sibling_branch, world.committee_user, 5)
    build(world.committee, Q3)
    first = Scorecard.objects.get(branch=world.branch, quarter=3)
    second = Scorecard.objects.get(branch=world.sibling_branch, quarter=3)
    assert (first.rank, second.rank, first.ranked_among) == (1, 2, 12)
    assert first.previous_total == Decimal("4.00") and first.change == Decimal("5.00")
    assert second.change == Decimal("5.00")  # 0 last quarter


def test_confirmation_is_in_the_audit_trail(world):
    from auditlog.models import LogEntry

    small_set(world.committee)
    build(world.committee)
    card = Scorecard.objects.get(branch=world.branch)
    scorecard_confirm(scorecard=card, user=world.committee_user)
    entry = LogEntry.objects.get_for_object(card).latest("timestamp")
    assert entry.changes_dict["state"] == ["draft", "confirmed"]
