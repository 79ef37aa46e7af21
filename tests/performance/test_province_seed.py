"""`seed_demo --scale province` at a small size: every app's seeder runs and the records
hang together (the benchmarks and the load test stand on them)."""

import pytest
from django.core.management import call_command
from django.db import connection

from assessment.models import Attempt, AttemptItem
from committee.models import Assignment
from learning.models import Reflection, StudyLog
from meetings.models import Attendance, Meeting
from portal.models import Membership, Organisation
from scorecards.models import Inspection, Scorecard

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the seeders use COPY"),
]


def test_a_small_province_is_seeded_with_every_apps_records(monkeypatch):
    monkeypatch.setenv("PROVINCE_SCORECARD_QUARTERS", "2")
    call_command("seed_demo", scale="province", branches=8, members=160)
    branches = Organisation.objects.filter(kind=Organisation.Kind.BRANCH)
    assert branches.count() == 8
    assert Membership.objects.count() == 160
    assert Meeting.objects.exists() and Attendance.objects.exists()
    assert StudyLog.objects.exists() and Reflection.objects.exists()
    assert Attempt.objects.exists() and AttemptItem.objects.exists()
    assert Assignment.objects.exists()
    assert Inspection.objects.exists()
    # the real build scored every branch for each of the two quarters
    assert Scorecard.objects.values("branch").distinct().count() == 8
    assert Scorecard.objects.values("year", "quarter").distinct().count() == 2
