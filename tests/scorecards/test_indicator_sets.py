"""Versioned weights: a set that scored anything is frozen; editing it copies it, so a past
quarter keeps the rules it was scored by."""

from decimal import Decimal

import pytest

from scorecards.models import IndicatorSet, Scorecard
from scorecards.services import (
    indicator_delete,
    indicator_save,
    indicator_set_create_default,
    scorecard_build_request,
    scorecard_build_run,
)
from tests.scorecards.conftest import Q3, Q4, inspect, small_set

pytestmark = pytest.mark.django_db


def build(committee, period):
    return scorecard_build_run(
        build_id=scorecard_build_request(committee=committee, period=period).pk
    )


def save(committee, period, code="venue", weight="1", max_points="10"):
    return indicator_save(
        committee=committee,
        period=period,
        code=code,
        name="学习阵地",
        dimension="conditions",
        kind="inspected",
        metric_code="",
        weight=Decimal(weight),
        max_points=Decimal(max_points),
    )


def test_an_unused_set_is_edited_in_place(world):
    original = small_set(world.committee, Q3)
    indicator = save(world.committee, Q3, weight="0.5")
    assert indicator.indicator_set_id == original.pk
    assert IndicatorSet.objects.count() == 1


def test_building_freezes_the_set_and_a_later_edit_makes_a_new_version(world):
    original = small_set(world.committee, Q3)
    inspect(world.committee, world.branch, world.committee_user, 8)
    build(world.committee, Q3)
    original.refresh_from_db()
    assert original.is_frozen

    indicator = save(world.committee, Q3, weight="0.5")

    assert indicator.indicator_set_id != original.pk
    assert indicator.indicator_set.version == 2
    # The old version is untouched and the scorecard still points at it.
    assert original.indicators.get(code="venue").weight == Decimal("1.00")
    card = Scorecard.objects.get(branch=world.branch)
    assert card.indicator_set_id == original.pk
    assert card.total == Decimal("8.00")


def test_a_new_quarter_is_scored_by_new_weights_and_the_past_keeps_its_own(world):
    small_set(world.committee, Q3)
    inspect(world.committee, world.branch, world.committee_user, 8)
    inspect(world.committee, world.branch, world.committee_user, 8, day=Q4.start)
    build(world.committee, Q3)

    save(world.committee, Q4, weight="0.5")  # from Q4 the indicator counts half
    build(world.committee, Q4)

    q3 = Scorecard.objects.get(branch=world.branch, quarter=3)
    q4 = Scorecard.objects.get(branch=world.branch, quarter=4)
    assert q3.total == Decimal("8.00")
    assert q4.total == Decimal("4.00")
    assert q3.indicator_set.period == Q3 and q4.indicator_set.period == Q4
    assert IndicatorSet.objects.in_force(world.committee, Q3).pk == q3.indicator_set_id


def test_removing_an_indicator_from_a_frozen_set_keeps_it_in_the_old_version(world):
    original = small_set(world.committee, Q3)
    build(world.committee, Q3)
    copy = indicator_delete(committee=world.committee, period=Q3, code="innovation")
    assert copy.pk != original.pk
    assert list(copy.indicators.values_list("code", flat=True)) == ["venue"]
    assert original.indicators.count() == 2


def test_a_computed_indicator_must_name_a_registered_metric(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        indicator_save(
            committee=world.committee,
            period=Q3,
            code="nothing",
            name="x",
            dimension="results",
            kind="computed",
            metric_code="no.such.metric",
            weight=Decimal(1),
            max_points=Decimal(5),
        )


def test_a_sub_committee_inherits_until_it_edits(world):
    from tests.factories import OrganisationFactory

    sub = OrganisationFactory(parent=world.committee, kind="general_branch", name="总支")
    small_set(world.committee, Q3)
    assert IndicatorSet.objects.in_force(sub, Q3).committee_id == world.committee.pk
    indicator = save(sub, Q3, weight="2")
    assert indicator.indicator_set.committee_id == sub.pk
    assert (
        IndicatorSet.objects.in_force(world.committee, Q3).indicators.get(code="venue").weight == 1
    )


def test_the_default_set_is_written_in_chinese(world):
    indicator_set = indicator_set_create_default(committee=world.committee, period=Q3)
    names = list(indicator_set.indicators.values_list("name", flat=True))
    assert len(names) >= 10
    assert any("三会一课" in n for n in names)


def test_an_edit_during_a_build_does_not_change_that_runs_rules(world):
    original = small_set(world.committee, Q3)
    inspect(world.committee, world.branch, world.committee_user, 8)
    build_row = scorecard_build_request(committee=world.committee, period=Q3)
    original.refresh_from_db()
    assert original.is_frozen  # in use from the moment the build is asked for
    save(world.committee, Q3, weight="0.5")  # lands in a new version
    scorecard_build_run(build_id=build_row.pk)
    card = Scorecard.objects.get(branch=world.branch)
    assert card.indicator_set_id == original.pk and card.total == Decimal("8.00")
