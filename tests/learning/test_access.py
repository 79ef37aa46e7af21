"""The outsider (another tree) gets 404 on every learning URL of another branch's records,
for GET and POST alike, and sees none of them in lists."""

import pytest
from django.urls import reverse

from learning.models import StudyLog
from tests.learning.conftest import TODAY


def _object_urls(world, records):
    for offset in range(1, 5):
        from learning import services

        services.study_log_create(
            user=world.member, studied_on=TODAY.replace(day=15 - offset), minutes=110, method="self"
        )
    flagged = StudyLog.objects.filter(status=StudyLog.Status.FLAGGED).first()
    assert flagged is not None
    r = records
    return [
        ("learning:plan", r.plan.pk),
        ("learning:plan_edit", r.plan.pk),
        ("learning:plan_submit", r.plan.pk),
        ("learning:plan_review", r.plan.pk),
        ("learning:log_decide", flagged.pk),
        ("learning:reflection", r.reflection.pk),
        ("learning:reflection_edit", r.reflection.pk),
        ("learning:reflection_submit", r.reflection.pk),
        ("learning:reflection_review", r.reflection.pk),
        ("learning:reflection_exemplar", r.reflection.pk),
        ("learning:reflection_comment", r.reflection.pk),
        ("learning:material", r.material.pk),
        ("learning:material_assign", r.material.pk),
        ("learning:material_read", r.material.pk),
        ("learning:material_comment", r.material.pk),
        ("learning:branch_plan", r.branch_plan.pk),
        ("learning:branch_plan_submit", r.branch_plan.pk),
        ("learning:branch_plan_review", r.branch_plan.pk),
        ("learning:report", r.report.pk),
        ("learning:report_submit", r.report.pk),
        ("learning:report_review", r.report.pk),
        ("learning:report_adopt", r.report.pk),
        ("learning:report_outcome", r.report.pk),
        ("learning:activity", r.activity.pk),
        ("learning:activity_join", r.activity.pk),
        ("learning:centre_session", r.session.pk),
        ("learning:archive", world.member.pk),
        ("learning:archive_docx", world.member.pk),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404_on_every_object_url(as_user, world, records, method):
    client = as_user(world.outsider)
    for name, pk in _object_urls(world, records):
        response = getattr(client, method)(reverse(name, args=[pk]))
        # Action URLs answer GET with 405 before looking anything up; that leaks nothing.
        expected = {404, 405} if method == "get" else {404}
        assert response.status_code in expected, (name, method, response.status_code)


def test_outsider_sees_none_of_the_branch_records_in_lists(as_user, world, records):
    client = as_user(world.outsider)
    for name in (
        "learning:reflections",
        "learning:exemplars",
        "learning:materials",
        "learning:branch_plans",
        "learning:reports",
        "learning:activities",
        "learning:home",
        "learning:logs",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        body = response.content.decode()
        for text in (
            "党的二十大报告",
            "2026年度学习计划",
            "关于普惠金融的调研",
            "读书会</a>",
            "刘党员",
        ):
            assert text not in body, (name, text)
    for name in ("learning:plans", "learning:flagged_logs", "learning:centre_group"):
        assert client.get(reverse(name)).status_code == 404, name


def test_sibling_secretary_gets_404_on_the_branch_member_records(as_user, world, records):
    client = as_user(world.other_secretary)
    for name, pk in [
        ("learning:plan", records.plan.pk),
        ("learning:reflection", records.reflection.pk),
        ("learning:material", records.material.pk),
        ("learning:archive", world.member.pk),
        ("learning:report", records.report.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name


def test_anonymous_is_sent_to_log_in(client, world, records):
    response = client.get(reverse("learning:reflection", args=[records.reflection.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
