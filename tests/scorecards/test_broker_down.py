"""With the broker unreachable the committee's build request still answers (no 500); the
build waits and beat's resume hands it over once the broker is back."""

from django.urls import reverse

from portal.celery import app
from scorecards.models import Scorecard, ScorecardBuild
from scorecards.tasks import resume_waiting
from tests.scorecards.conftest import small_set


def test_build_request_survives_a_dead_broker_and_resumes(
    as_user, world, django_capture_on_commit_callbacks
):
    small_set(world.committee)
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(world.committee_user).post(
                reverse("scorecards:build_start"),
                {"committee": world.committee.pk, "quarter": "2026-Q3"},
            )
    finally:
        app.conf.task_always_eager, app.conf.broker_url = previous
    assert response.status_code == 302
    build = ScorecardBuild.objects.get()
    assert build.status == ScorecardBuild.Status.PENDING
    assert not Scorecard.objects.exists()
    assert resume_waiting() == {"builds": 1, "reports": 0}
    build.refresh_from_db()
    assert build.status == ScorecardBuild.Status.DONE
    assert Scorecard.objects.filter(year=2026, quarter=3).count() == 2
