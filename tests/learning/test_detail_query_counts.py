"""Detail pages a member, secretary or committee member opens run a fixed number of
queries (pinned with the province-scale work, issue 8), with twelve members' records
around them (the ``many`` fixture of test_query_counts).

Every page first spends 5 queries on the request itself: session, user, the change stamps,
the scope's positions and membership on a cold cache ("5 base" below).
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from learning.models import Activity, BranchPlan, CentreGroupSession, Reflection, ResearchReport
from tests.learning.test_query_counts import many  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def _first(model: Any, **filters: Any) -> Callable[[], Any]:
    return lambda: model.objects.filter(**filters).order_by("pk").first()


CASES = [
    # (user, url name, the object, queries, why)
    (
        "secretary",
        "learning:reflection",
        _first(Reflection, title="体会0"),
        5 + 3,
        "the reflection with author, branch, material, topic; earlier versions; comments",
    ),
    (
        "member",
        "learning:report",
        _first(ResearchReport, title="报告0"),
        5 + 3,
        "the report with its branch; authors; outcomes",
    ),
    (
        "member",
        "learning:activity",
        _first(Activity, title="读书会0"),
        5 + 4,
        "the activity; joined?; participants; reflections written for it",
    ),
    (
        "secretary",
        "learning:branch_plan",
        _first(BranchPlan),
        5 + 2,
        "the plan with its branch; its items",
    ),
    (
        "committee_user",
        "learning:centre_session",
        _first(CentreGroupSession),
        5 + 4,
        "the session; attendees; speeches with speakers; people for the speech form",
    ),
]


@pytest.mark.parametrize(
    ("who", "name", "target", "expected", "why"), CASES, ids=[c[1] for c in CASES]
)
def test_detail_page_query_count_is_fixed(
    as_user,
    world,
    many,  # noqa: F811
    django_assert_num_queries,
    who,
    name,
    target,
    expected,
    why,
):
    url = reverse(name, args=[target().pk])
    client = as_user(getattr(world, who))
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200, why
