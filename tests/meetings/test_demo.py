"""The demo year of meetings: realistic, and safe to load twice."""

import pytest

from meetings import demo, selectors
from meetings.models import Meeting
from portal.demo import seed_demo as seed_portal
from portal.models import Organisation

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_leaves_gaps(frozen):
    seed_portal()
    first = demo.seed_demo()
    assert first["meetings"] > 100
    assert demo.seed_demo()["meetings"] == 0
    assert Meeting.objects.filter(is_late=True).exists()
    assert Meeting.objects.filter(status=Meeting.Status.ARCHIVED).exists()
    b2 = Organisation.objects.get(code="DEMO-B2")
    statuses = {c.status for row in selectors.branch_calendar(b2, 2026) for c in row.cells}
    assert {"met", "missed"} <= statuses
