"""调研报告: submitted, reviewed by the committee, adopted, outcomes recorded later."""

from django.urls import reverse

from learning.models import ResearchReport


def test_report_goes_from_submission_to_outcome(as_user, world, records):
    report = records.report
    as_user(world.member).post(reverse("learning:report_submit", args=[report.pk]))
    committee = as_user(world.committee_user)
    committee.post(
        reverse("learning:report_review", args=[report.pk]),
        {"decision": "approve", "comment": "有价值"},
    )
    committee.post(
        reverse("learning:report_adopt", args=[report.pk]),
        {
            "adopted_by": "分行党委",
            "decision": "2026年第5次党委会议纪要",
            "adopted_on": "2026-06-15",
        },
    )
    committee.post(
        reverse("learning:report_outcome", args=[report.pk]),
        {"recorded_on": "2026-06-15", "description": "出台普惠金融实施方案"},
    )
    report.refresh_from_db()
    assert report.status == ResearchReport.Status.ADOPTED
    assert (
        report.adopted_by == "分行党委"
        and report.outcomes.get().description == "出台普惠金融实施方案"
    )


def test_secretary_cannot_review_or_adopt(as_user, world, records):
    as_user(world.member).post(reverse("learning:report_submit", args=[records.report.pk]))
    response = as_user(world.secretary).post(
        reverse("learning:report_review", args=[records.report.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_adoption_before_review_is_refused_with_a_message(as_user, world, records):
    response = as_user(world.committee_user).post(
        reverse("learning:report_adopt", args=[records.report.pk]),
        {"adopted_by": "x", "decision": "y", "adopted_on": "2026-06-15"},
        follow=True,
    )
    records.report.refresh_from_db()
    assert records.report.status == ResearchReport.Status.DRAFT
    assert "审阅" in response.content.decode() or "reviewed" in response.content.decode()


def test_member_files_a_report(as_user, world):
    response = as_user(world.member).post(
        reverse("learning:report_create"),
        {"organisation": world.branch.pk, "title": "调研", "topic": "县域金融", "text": "正文"},
    )
    assert response.status_code == 302
    assert list(ResearchReport.objects.get().authors.all()) == [world.member]
