"""The 台账: .docx with Chinese fonts set and photos, .xlsx with a row per meeting and the
yearly compliance grid."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from meetings import services
from meetings.models import Attendance, Meeting
from tests.meetings.conftest import PNG, at, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger_meeting(world, frozen):
    meeting = record(
        world.branch,
        Meeting.Kind.COMMITTEE_MEETING,
        when=at(2026, 5, 6),
        by=world.secretary,
        present=False,
        topic="研究五月工作",
    )
    services.meeting_update(
        meeting=meeting,
        by=world.secretary,
        host=world.secretary,
        minutes="会议传达了文件精神。",
        resolutions="同意发展一名党员。",
    )
    Attendance.objects.filter(meeting=meeting, user=world.secretary).update(status="present")
    services.attachment_add(
        meeting=meeting,
        by=world.secretary,
        category="photo",
        upload=SimpleUploadedFile("会场.png", PNG, content_type="image/png"),
    )
    services.meeting_submit(meeting=meeting, by=world.secretary)
    record(
        world.branch,
        Meeting.Kind.THEMED_PARTY_DAY,
        when=at(2026, 5, 20),
        by=world.secretary,
        topic="草稿不入台账",
    )
    return meeting


def test_docx_ledger_has_the_fields_photos_and_an_east_asian_font(as_user, world, ledger_meeting):
    response = as_user(world.secretary).get(
        reverse("meetings:ledger", args=[world.branch.pk])
        + "?start=2026-01-01&end=2026-06-30&format=docx"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "研究五月工作" in text and "草稿不入台账" not in text
    for label in [
        "名称",
        "时间",
        "地点",
        "主持人",
        "记录人",
        "主题",
        "应到/实到人数",
        "缺席人员及原因",
        "主要内容",
        "决议",
    ]:
        assert label in cells, label
    assert "应到 1 人，实到 1 人" in cells
    assert "会议传达了文件精神。" in cells and "同意发展一名党员。" in cells
    assert len(document.inline_shapes) == 1
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert 'w:eastAsia="宋体"' in xml


def test_xlsx_ledger_has_meetings_and_the_compliance_grid(as_user, world, ledger_meeting):
    response = as_user(world.secretary).get(
        reverse("meetings:ledger", args=[world.branch.pk])
        + "?start=2026-01-01&end=2026-06-30&format=xlsx"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["会议台账"].iter_rows(values_only=True))
    assert rows[0][0] == "名称" and len(rows) == 2 and rows[1][6] == "研究五月工作"
    grid = list(workbook["2026年度合规"].iter_rows(values_only=True))
    labels = [r[0] for r in grid[2:]]
    assert labels[:3] == ["支部党员大会", "支委会", "党小组会"]
    committee_row = grid[3]
    assert committee_row[2 + 4].startswith("已完成")  # May
    assert committee_row[2 + 3] == "未完成"  # April


def test_ledger_form_reports_a_bad_period(as_user, world, frozen):
    response = as_user(world.secretary).get(
        reverse("meetings:ledger", args=[world.branch.pk])
        + "?start=2026-06-30&end=2026-01-01&format=docx"
    )
    assert response.status_code == 200 and "end" in response.context["form"].errors


def test_member_cannot_download_the_ledger(as_user, world, frozen):
    response = as_user(world.member).get(
        reverse("meetings:ledger", args=[world.branch.pk])
        + "?start=2026-01-01&end=2026-06-30&format=docx"
    )
    assert response.status_code == 404


def test_ledger_query_count_is_fixed(as_user, world, ledger_meeting, django_assert_num_queries):
    for n in range(10):
        record(
            world.branch,
            Meeting.Kind.THEMED_PARTY_DAY,
            when=at(2026, 1 + n % 5, 1 + n),
            by=world.secretary,
            status="submitted",
        )
    client = as_user(world.secretary)
    url = (
        reverse("meetings:ledger", args=[world.branch.pk])
        + "?start=2026-01-01&end=2026-06-30&format=docx"
    )
    # session, user, change stamps (the scope's cache key), scope positions, scope
    # membership, organisation, meetings, attendance, attachments, agenda
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(Document(io.BytesIO(response.content)).tables) == 11
