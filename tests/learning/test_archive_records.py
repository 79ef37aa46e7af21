"""The 学习档案 brings in the meetings a member attended, the contests they took and their
述学 result, read from the meetings and assessment apps, on the page and in the .docx."""

import io

import docx
from django.urls import reverse

from assessment.models import Contest
from meetings.models import Meeting
from tests.assessment.conftest import finish, make_bank, make_contest
from tests.meetings.conftest import at, record


def test_archive_lists_meetings_contests_and_shuxue(as_user, world, django_assert_num_queries):
    for month in range(1, 11):
        record(
            world.branch,
            Meeting.Kind.BRANCH_ASSEMBLY,
            when=at(2026, month, 3),
            by=world.secretary,
            status=Meeting.Status.SUBMITTED,
            topic=f"第{month}次党员大会",
        )
    record(
        world.branch,
        Meeting.Kind.BRANCH_ASSEMBLY,
        when=at(2026, 11, 3),
        by=world.secretary,
        status=Meeting.Status.SUBMITTED,
        topic="缺席的会",
        present=False,
    )
    make_bank(world.committee)
    contest = make_contest(world.committee, title="党章知识竞赛")
    finish(contest, world.member, correct=4)
    Contest.objects.filter(pk=contest.pk).update(closes_at=at(2026, 11, 20))
    client = as_user(world.secretary)
    url = reverse("learning:archive", args=[world.member.pk]) + "?year=2026"
    # session, user, stamps, scope (2), the member's place for the check, contests, then the
    # archive: membership, plan, minutes by method and topic, reads, reflections, reports,
    # activities, meetings attended, 述学 results
    with django_assert_num_queries(16):
        response = client.get(url)
    page = response.content.decode()
    assert "第1次党员大会" in page and "第10次党员大会" in page
    assert "缺席的会" not in page
    assert "党章知识竞赛" in page
    document = docx.Document(
        io.BytesIO(
            client.get(
                reverse("learning:archive_docx", args=[world.member.pk]) + "?year=2026"
            ).content
        )
    )
    text = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "第10次党员大会" in text and "党章知识竞赛" in text
