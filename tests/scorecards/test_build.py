"""The build in-process: chunks, progress, resuming an unfinished build."""

import pytest

from scorecards import services
from scorecards.models import BuildChunk, Scorecard, ScorecardBuild
from scorecards.tasks import build_quarter
from tests.scorecards.conftest import Q3, inspect, small_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setenv("SCORECARD_CHUNK_SIZE", "5")


def test_a_build_splits_the_branches_into_chunks_and_finishes_at_100(
    world, many_branches, small_chunks
):
    small_set(world.committee)
    build = services.scorecard_build_request(committee=world.committee, period=Q3)
    assert build.branch_total == 12
    assert BuildChunk.objects.filter(build=build).count() == 3  # 5 + 5 + 2
    result = build_quarter(world.committee.pk, 2026, 3, build.pk)
    build.refresh_from_db()
    assert result["progress"] == 100 and build.status == "done" and build.branches_done == 12
    assert Scorecard.objects.count() == 12


def test_an_interrupted_build_resumes_where_it_stopped(world, many_branches, small_chunks):
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 5)
    build = services.scorecard_build_request(committee=world.committee, period=Q3)
    # A worker scores the first chunk, then dies before the next one.
    ScorecardBuild.objects.filter(pk=build.pk).update(status="running")
    assert services._claim_chunk(build)
    build.refresh_from_db()
    assert build.progress == 41 and Scorecard.objects.count() == 5

    # The rerun (beat, or the button) finds the unfinished build and continues it.
    result = build_quarter(world.committee.pk, 2026, 3)
    assert result["build"] == build.pk
    assert ScorecardBuild.objects.count() == 1
    assert Scorecard.objects.count() == 12
    assert Scorecard.objects.filter(version__gt=1).count() == 0


def test_a_finished_build_is_not_rerun_by_a_late_duplicate_message(world, small_chunks):
    small_set(world.committee)
    build = services.scorecard_build_request(committee=world.committee, period=Q3)
    build_quarter(world.committee.pk, 2026, 3, build.pk)
    finished_at = ScorecardBuild.objects.get(pk=build.pk).finished_at
    build_quarter(world.committee.pk, 2026, 3, build.pk)
    assert ScorecardBuild.objects.get(pk=build.pk).finished_at == finished_at


def test_a_committee_without_indicators_starts_from_the_default_set(world):
    build = services.scorecard_build_request(committee=world.committee, period=Q3)
    services.scorecard_build_run(build_id=build.pk)
    card = Scorecard.objects.get(branch=world.branch)
    assert card.lines.count() >= 10


def test_the_quarter_end_task_builds_the_quarter_that_closed(
    world, in_q4, django_capture_on_commit_callbacks
):
    from scorecards.tasks import build_quarter_end

    with django_capture_on_commit_callbacks(execute=True):
        ids = build_quarter_end()
    builds = ScorecardBuild.objects.filter(pk__in=ids)
    assert {(b.committee_id, b.year, b.quarter) for b in builds} == {
        (world.committee.pk, 2026, 3),
        (world.other_committee.pk, 2026, 3),
    }
    assert (
        Scorecard.objects.filter(quarter=3).count() == 3
    )  # the enqueued builds ran (eager in tests)


def test_the_beat_schedule_has_the_quarterly_build():
    from portal.schedule import BEAT_SCHEDULE

    assert any(task == "scorecards.build_quarter_end" for task, _fields in BEAT_SCHEDULE.values())
