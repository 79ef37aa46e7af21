"""The build with real Celery workers on Redis (PostgreSQL): idempotent and resumable."""

import pytest

from scorecards import services
from scorecards.models import BuildChunk, Scorecard, ScorecardBuild, ScorecardLine
from scorecards.tasks import build_quarter
from tests.scorecards.conftest import Q3, inspect, small_set
from tests.support.workers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def rows():
    return sorted(
        Scorecard.objects.values_list("branch_id", "year", "quarter", "version", "state", "total")
    ), ScorecardLine.objects.count()


def test_run_twice_on_a_worker_gives_the_same_rows(celery_workers, world, many_branches):
    celery_workers.start(SCORECARD_CHUNK_SIZE="4")
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 7)
    build_quarter.delay(world.committee.pk, 2026, 3)
    wait_until(
        lambda: ScorecardBuild.objects.filter(status="done").count() == 1,
        what="the first build",
        workers=celery_workers,
    )
    first = rows()
    assert len(first[0]) == 12
    build_quarter.delay(world.committee.pk, 2026, 3)
    wait_until(
        lambda: ScorecardBuild.objects.filter(status="done").count() == 2,
        what="the second build",
        workers=celery_workers,
    )
    assert rows() == first


def test_a_worker_killed_between_chunks_is_resumed_and_nothing_is_made_twice(
    celery_workers, world, many_branches, monkeypatch
):
    monkeypatch.setenv("SCORECARD_CHUNK_SIZE", "3")  # the build's chunks are cut here
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 7)
    slow = celery_workers.start(SCORECARD_CHUNK_SIZE="3", SCORECARD_CHUNK_PAUSE="30")
    build = services.scorecard_build_request(committee=world.committee, period=Q3)
    build_quarter.delay(world.committee.pk, 2026, 3, build.pk)
    wait_until(
        lambda: BuildChunk.objects.filter(build=build, done_at__isnull=False).count() == 1,
        what="the first chunk",
        workers=celery_workers,
    )
    celery_workers.kill(slow)  # between chunks: the second has not started
    build.refresh_from_db()
    assert build.status == "running" and 0 < build.progress < 100
    assert Scorecard.objects.count() == 3

    celery_workers.start(SCORECARD_CHUNK_SIZE="3")
    build_quarter.delay(world.committee.pk, 2026, 3)  # the rerun: beat or the button
    wait_until(
        lambda: ScorecardBuild.objects.get(pk=build.pk).status == "done",
        what="the resumed build",
        workers=celery_workers,
    )
    assert ScorecardBuild.objects.count() == 1
    assert Scorecard.objects.count() == 12
    assert Scorecard.objects.filter(version__gt=1).count() == 0
    assert ScorecardLine.objects.count() == 12 * 2
    assert Scorecard.objects.get(branch=world.branch).total == 7


def test_a_worker_writes_the_report_files_then_marks_it_ready(
    celery_workers, world, many_branches, tmp_path
):
    from pathlib import Path

    from portal.models import Notification
    from scorecards.models import EvaluationReport
    from scorecards.tasks import build_report

    media = tmp_path / "media"
    celery_workers.start(MEDIA_ROOT=str(media))
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 7)
    services.scorecard_build_run(
        build_id=services.scorecard_build_request(committee=world.committee, period=Q3).pk
    )
    report = EvaluationReport.objects.create(committee=world.committee, year=2026, quarter=3)
    build_report.delay(report.pk)
    wait_until(
        lambda: EvaluationReport.objects.get(pk=report.pk).status == "ready",
        what="the report",
        workers=celery_workers,
    )
    report.refresh_from_db()
    for name in (report.xlsx.name, report.docx.name):
        assert (Path(media) / name).stat().st_size > 1000
    assert Notification.objects.filter(
        recipient=world.committee_user, kind="scorecards.report_ready"
    ).exists()
