"""Celery tasks of the scorecards app. Tasks take ids, load what they need, call a service."""

from __future__ import annotations

from celery import shared_task

from portal.models import Organisation
from scorecards.quarters import Quarter


@shared_task(name="scorecards.build_quarter", acks_late=True)
def build_quarter(
    committee_id: int, year: int, quarter: int, build_id: int | None = None
) -> dict[str, int]:
    """Build (or resume) the scorecards of a committee's subtree for a quarter.

    Idempotent and resumable: an unfinished build of the quarter is continued from its
    first unfinished chunk; a finished one leaves a new run that rewrites only drafts whose
    results changed, so running it twice yields the same scorecards.
    """
    from scorecards.services import scorecard_build_request, scorecard_build_run

    if build_id is None:
        committee = Organisation.objects.get(pk=committee_id)
        build_id = scorecard_build_request(committee=committee, period=Quarter(year, quarter)).pk
    build = scorecard_build_run(build_id=build_id)
    return {"build": build.pk, "progress": build.progress}


@shared_task(name="scorecards.build_quarter_end", acks_late=True)
def build_quarter_end() -> list[int]:
    """Beat, just after each quarter ends: build the quarter that closed, for every top
    committee (each subtree is ranked within its own committee)."""
    from scorecards.services import scorecard_build_enqueue, scorecard_build_request

    period = Quarter.current().previous()
    builds = []
    for committee in Organisation.objects.filter(depth=1, kind=Organisation.Kind.COMMITTEE):
        build = scorecard_build_request(committee=committee, period=period)
        scorecard_build_enqueue(build)
        builds.append(build.pk)
    return builds


@shared_task(name="scorecards.build_report", acks_late=True)
def build_report(report_id: int) -> str:
    """Write a quarterly evaluation report's files, then mark it ready and notify."""
    from scorecards.services import report_build

    report = report_build(report_id=report_id)
    return report.status if report is not None else "skipped"


@shared_task(name="scorecards.resume_waiting", acks_late=True)
def resume_waiting() -> dict[str, int]:
    """Beat, every few minutes: hand builds and reports still waiting (their enqueue found
    the broker down, or a worker died) back to the workers. Both tasks are resumable and
    claim their work, so handing one over twice does no harm."""
    import datetime

    from django.utils import timezone

    from scorecards.models import EvaluationReport, ScorecardBuild

    stale = timezone.now() - datetime.timedelta(minutes=5)
    builds = list(
        ScorecardBuild.objects.filter(
            status__in=[ScorecardBuild.Status.PENDING, ScorecardBuild.Status.RUNNING]
        ).values_list("pk", "committee_id", "year", "quarter")
    )
    for pk, committee_id, year, quarter in builds:
        build_quarter.delay(committee_id, year, quarter, pk)
    reports = list(
        EvaluationReport.objects.filter(
            status__in=[EvaluationReport.Status.PENDING, EvaluationReport.Status.BUILDING],
            requested_at__lt=stale,
        ).values_list("pk", flat=True)
    )
    for pk in reports:
        build_report.delay(pk)
    return {"builds": len(builds), "reports": len(reports)}
