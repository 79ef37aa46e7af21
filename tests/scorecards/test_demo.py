"""The demo scorecards load on top of the other demos, and loading them again changes nothing."""

import pytest

from portal.demo import seed_demo as seed_portal
from scorecards.demo import seed_demo
from scorecards.models import Inspection, Scorecard, ScorecardBuild
from scorecards.quarters import Quarter

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_current_quarter_and_is_idempotent():
    seed_portal()
    first = seed_demo()
    assert first["scorecards"] == 2 * 4  # four demo branches, last and this quarter
    current = Quarter.current()
    cards = Scorecard.objects.for_quarter(current)
    assert cards.count() == 4
    assert cards.filter(total__gt=0).exists()
    snapshot = sorted(Scorecard.objects.values_list("pk", "total", "version"))
    assert seed_demo() == {"scorecards": 0}
    assert sorted(Scorecard.objects.values_list("pk", "total", "version")) == snapshot
    assert ScorecardBuild.objects.count() == 2
    assert Inspection.objects.count() == 8


def test_seed_demo_without_the_portal_demo_does_nothing():
    assert seed_demo() == {"scorecards": 0}
