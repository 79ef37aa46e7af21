"""Import of past meetings: all or nothing, every bad row reported by number."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from meetings import importer
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def sheet(rows):
    workbook = Workbook()
    ws = workbook.active
    ws.append(list(importer.COLUMNS))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("meetings.xlsx", buffer.getvalue())


GOOD = [
    "第一党支部",
    "支委会",
    "2026-03-05",
    "14:30",
    "会议室",
    "王书记",
    "刘党员",
    "研究三月工作",
    "内容",
    "决议",
]


def test_good_rows_are_imported_as_submitted_late_records(world, frozen):
    created = importer.meetings_import(
        file=sheet(
            [GOOD, ["第一党小组", "党小组会", "2026-03-06", "", "", "", "", "小组学习", "", ""]]
        ),
        by=world.secretary,
    )
    assert len(created) == 2
    meeting = Meeting.objects.get(topic="研究三月工作")
    assert meeting.status == Meeting.Status.SUBMITTED and meeting.is_late
    assert meeting.host == world.secretary and meeting.recorder == world.member
    assert meeting.attendances.count() == 1  # a 支委会 expects the branch officers


def test_bad_rows_are_listed_by_number_and_nothing_is_written(world, frozen):
    rows = [
        GOOD,
        ["第二党支部", "支委会", "2026-03-05", "14:30", "", "", "", "别人的支部", "", ""],
        ["第一党支部", "座谈会", "2026-13-05", "25:00", "", "无此人", "", "", "", ""],
        ["第一党支部", "党小组会", "2026-03-05", "", "", "", "", "x", "", ""],
        ["第一党支部", "党课", "2026-09-05", "", "", "", "", "未来", "", ""],
    ]
    with pytest.raises(importer.MeetingImportError) as caught:
        importer.meetings_import(file=sheet(rows), by=world.secretary)
    numbers = {e.row for e in caught.value.errors}
    assert numbers == {3, 4, 5, 6}
    assert not Meeting.objects.exists()


def test_missing_columns_and_unreadable_files_are_reported(world):
    with pytest.raises(importer.MeetingImportError):
        importer.meetings_import(
            file=SimpleUploadedFile("x.xlsx", b"not a workbook"), by=world.secretary
        )
    workbook = Workbook()
    workbook.active.append(["组织", "日期"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(importer.MeetingImportError) as caught:
        importer.meetings_import(
            file=SimpleUploadedFile("x.xlsx", buffer.getvalue()), by=world.secretary
        )
    assert caught.value.errors[0].row == 1


def test_import_page_lists_errors(as_user, world, frozen):
    response = as_user(world.secretary).post(
        reverse("meetings:import"),
        {"file": sheet([["第一党支部", "座谈会", "", "", "", "", "", "", "", ""]])},
    )
    assert (
        response.status_code == 200 and 'data-testid="import-errors"' in response.content.decode()
    )
    ok = as_user(world.secretary).post(reverse("meetings:import"), {"file": sheet([GOOD])})
    assert ok.status_code == 302 and Meeting.objects.count() == 1


def test_member_cannot_import_and_template_downloads(as_user, world):
    assert as_user(world.member).get(reverse("meetings:import")).status_code == 404
    response = as_user(world.secretary).get(reverse("meetings:import") + "?template=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_optional_present_column_marks_attendance(world, frozen):
    workbook = Workbook()
    ws = workbook.active
    ws.append([*importer.COLUMNS, importer.PRESENT_COLUMN])
    ws.append([*GOOD, "王书记、刘党员"])
    ws.append(
        [
            "第一党支部",
            "主题党日",
            "2026-03-15",
            "",
            "",
            "",
            "",
            "重温誓词",
            "",
            "",
            "王书记，无此人",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(importer.MeetingImportError) as caught:
        importer.meetings_import(
            file=SimpleUploadedFile("m.xlsx", buffer.getvalue()), by=world.secretary
        )
    assert [e.row for e in caught.value.errors] == [3]
    ws.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    (meeting,) = importer.meetings_import(
        file=SimpleUploadedFile("m.xlsx", buffer.getvalue()), by=world.secretary
    )
    statuses = {
        a.user.name: (a.status, a.is_guest) for a in meeting.attendances.select_related("user")
    }
    assert statuses == {"王书记": ("present", False), "刘党员": ("present", True)}
