"""Scoring runs in the database: the standard set costs the same queries for 2 or 12
branches (every metric answers for all branches at once)."""

import pytest

from scorecards.services import indicator_set_create_default, scorecards_compute
from tests.scorecards.conftest import Q3

pytestmark = pytest.mark.django_db


def count_queries(indicator_set, ids):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        scorecards_compute(indicator_set=indicator_set, branch_ids=ids, period=Q3)
    return len(queries)


def test_the_standard_set_costs_the_same_for_two_or_twelve_branches(world, many_branches, in_q4):
    indicator_set = indicator_set_create_default(committee=world.committee, period=Q3)
    two = [world.branch.pk, world.sibling_branch.pk]
    twelve = two + [b.pk for b in many_branches]
    assert count_queries(indicator_set, two) == count_queries(indicator_set, twelve)
    assert count_queries(indicator_set, twelve) <= 40
