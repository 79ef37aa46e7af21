"""The record pages: create, attendance, submit, archive, amend; archived is read-only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Amendment, Attachment, Attendance, Meeting
from portal.paging import PAGE_SIZE
from tests.meetings.conftest import PNG, at, record

pytestmark = pytest.mark.django_db


def test_secretary_creates_a_draft_with_expected_attendees(as_user, world, officers, frozen):
    client = as_user(world.secretary)
    response = client.post(
        reverse("meetings:create"),
        {
            "organisation": world.branch.pk,
            "kind": "committee_meeting",
            "topic": "研究六月工作",
            "starts_at": "2026-06-12T14:30",
            "place": "三楼会议室",
            "host": world.secretary.pk,
            "agenda": "传达文件\n研究发展党员",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:attendance", args=[meeting.pk])
    assert meeting.status == Meeting.Status.DRAFT and meeting.created_by == world.secretary
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "传达文件",
        "研究发展党员",
    ]
    assert meeting.attendances.count() == 3


def test_create_form_reports_bad_input_next_to_the_field(as_user, world, frozen):
    client = as_user(world.secretary)
    response = client.post(
        reverse("meetings:create"),
        {
            "organisation": world.branch.pk,
            "kind": "party_lecture",
            "topic": "",
            "starts_at": "2026-06-12T14:30",
            "ends_at": "2026-06-12T10:00",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"topic", "ends_at", "lecturer", "lecture_title"} <= set(form.errors)
    assert not Meeting.objects.exists()


def test_secretary_cannot_create_for_a_branch_they_do_not_manage(as_user, world, frozen):
    response = as_user(world.secretary).post(
        reverse("meetings:create"),
        {
            "organisation": world.sibling_branch.pk,
            "kind": "committee_meeting",
            "topic": "x",
            "starts_at": "2026-06-12T14:30",
        },
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_member_has_no_create_page(as_user, world):
    assert as_user(world.member).get(reverse("meetings:create")).status_code == 404


def test_attendance_page_marks_and_requires_a_reason_for_leave(as_user, world, frozen):
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, present=False)
    client = as_user(world.secretary)
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {
        f"status_{world.secretary.pk}": "present",
        f"status_{world.member.pk}": "leave",
        f"reason_{world.member.pk}": "",
        f"status_{world.committee_user.pk}": "absent",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"reason_{world.member.pk}" in response.context["form"].errors
    assert meeting.attendances.get(user=world.secretary).status == Attendance.Status.ABSENT
    data[f"reason_{world.member.pk}"] = "出差"
    assert client.post(url, data).status_code == 302
    assert meeting.attendances.get(user=world.member).reason == "出差"


def test_detail_shows_counts_and_quorum(as_user, world, frozen):
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, present=False)
    Attendance.objects.filter(meeting=meeting, user=world.secretary).update(status="present")
    response = as_user(world.secretary).get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.context["present_count"] == 1
    assert response.context["quorum"].met is False
    assert 'data-testid="quorum"' in response.content.decode()


def test_submit_then_archive_through_the_pages(as_user, world, frozen):
    meeting = record(world.branch, by=world.secretary)
    client = as_user(world.secretary)
    client.post(reverse("meetings:submit", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED
    client.post(reverse("meetings:archive", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ARCHIVED


def test_get_does_not_submit(as_user, world, frozen):
    meeting = record(world.branch, by=world.secretary)
    assert (
        as_user(world.secretary).get(reverse("meetings:submit", args=[meeting.pk])).status_code
        == 405
    )


def test_archived_record_cannot_be_changed_through_any_page(as_user, world, frozen):
    meeting = record(world.branch, by=world.secretary, status="archived")
    client = as_user(world.secretary)
    edit = client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {"topic": "改", "starts_at": "2026-06-05T14:00"},
    )
    assert edit.status_code == 302 and edit["Location"] == reverse(
        "meetings:amend", args=[meeting.pk]
    )
    client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"status_{world.secretary.pk}": "absent"},
    )
    client.post(reverse("meetings:return", args=[meeting.pk]))
    client.post(
        reverse("meetings:attachment_upload", args=[meeting.pk]),
        {"category": "photo", "file": SimpleUploadedFile("a.png", PNG, content_type="image/png")},
    )
    assert client.get(reverse("meetings:checkin_display", args=[meeting.pk])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.topic == "研究工作" and meeting.status == Meeting.Status.ARCHIVED
    assert meeting.attendances.get(user=world.secretary).status == Attendance.Status.PRESENT
    assert not Attachment.objects.exists()
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="read-only"' in detail and 'data-testid="attachment-form"' not in detail


def test_amend_page_records_the_change_with_its_reason(as_user, world, frozen):
    meeting = record(world.branch, by=world.secretary, status="archived")
    client = as_user(world.secretary)
    url = reverse("meetings:amend", args=[meeting.pk])
    data = {
        "topic": "研究六月份工作",
        "starts_at": "2026-06-05T14:00",
        "place": "会议室",
        "reason": "",
        f"att-status_{world.secretary.pk}": "present",
        f"att-status_{world.committee_user.pk}": "present",
        f"att-status_{world.member.pk}": "present",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    data["reason"] = "主题记录有误"
    assert client.post(url, data).status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.changes["topic"]["to"] == "研究六月份工作"
    assert amendment.previous["topic"] == "研究工作"
    assert (
        "主题记录有误" in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )


def test_attachment_upload_checks_type_and_size(as_user, world, frozen):
    meeting = record(world.branch, by=world.secretary)
    client = as_user(world.secretary)
    url = reverse("meetings:attachment_upload", args=[meeting.pk])
    client.post(
        url,
        {
            "category": "photo",
            "file": SimpleUploadedFile("x.exe", b"MZ...", content_type="application/octet-stream"),
        },
    )
    client.post(
        url,
        {
            "category": "photo",
            "file": SimpleUploadedFile("fake.png", b"not a png", content_type="image/png"),
        },
    )
    assert not Attachment.objects.exists()
    with override_settings(MEETINGS_ATTACHMENT_MAX_BYTES=10):
        client.post(
            url,
            {
                "category": "photo",
                "file": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
            },
        )
    assert not Attachment.objects.exists()
    client.post(
        url,
        {
            "category": "photo",
            "file": SimpleUploadedFile("会场.png", PNG, content_type="image/png"),
        },
    )
    attachment = Attachment.objects.get()
    assert attachment.original_name == "会场.png" and attachment.content_type == "image/png"
    download = client.get(reverse("meetings:attachment", args=[meeting.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PNG


def test_list_marks_late_records_and_filters(as_user, world, frozen):
    record(
        world.branch,
        by=world.secretary,
        when=at(2026, 4, 1),
        status="submitted",
        filed=at(2026, 6, 1),
        topic="迟交的会",
    )
    record(
        world.branch, by=world.secretary, when=at(2026, 6, 1), status="submitted", topic="按时的会"
    )
    client = as_user(world.secretary)
    page = client.get(reverse("meetings:list")).content.decode()
    assert page.count('data-testid="late-badge"') == 1
    late = client.get(reverse("meetings:list") + "?late=on")
    assert [m.topic for m in late.context["page"]] == ["迟交的会"]
    bad = client.get(reverse("meetings:list") + "?year=abc&month=13&page=zz")
    assert bad.status_code == 200 and bad.context["form"].errors


def test_list_export_is_a_row_per_meeting(as_user, world, frozen):
    record(
        world.branch,
        by=world.secretary,
        status="submitted",
        filed=at(2026, 6, 14),
        when=at(2026, 5, 1),
        topic="五月支委会",
    )
    response = as_user(world.secretary).get(reverse("meetings:list") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "日期" and rows[1][4] == "五月支委会" and rows[1][10] == "补记"


def test_list_query_count(as_user, world, many_branches, django_assert_num_queries, frozen):
    client = as_user(world.committee_user)
    # session, user, change stamps, scope positions, scope membership, filter's
    # organisation choices, page count, page rows (organisation, host, 应到/实到 annotated)
    with django_assert_num_queries(8):
        response = client.get(reverse("meetings:list"))
    assert len(response.context["page"]) == PAGE_SIZE
    # The body is then cached under the stamps (portal/fragments.py): session, user, stamps.
    with django_assert_num_queries(3):
        again = client.get(reverse("meetings:list"))
    assert again.content.count(b'data-testid="meeting-row"') == PAGE_SIZE


def test_detail_query_count(as_user, world, officers, django_assert_num_queries, frozen):
    meeting = record(
        world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, status="archived"
    )
    for n in range(10):
        from tests.factories import member_of

        Attendance.objects.create(
            meeting=meeting, user=member_of(world.branch, username=f"a{n}"), status="present"
        )
    client = as_user(world.secretary)
    # session, user, meeting with organisation/host/recorder/lecturer/creator, agenda,
    # attendance with people, attachments, amendments with authors, change stamps, scope
    # positions, scope membership
    with django_assert_num_queries(10):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert len(response.context["expected"]) == 15


def test_the_record_form_of_an_archived_meeting_is_read_only(world, frozen):
    from meetings.forms import AmendForm, AttendanceForm, MeetingForm

    meeting = record(world.branch, by=world.secretary, status="archived")
    form = MeetingForm(
        {"topic": "改", "starts_at": "2026-06-05T14:00"}, instance=meeting, creating=False
    )
    assert all(f.disabled for f in form.fields.values())
    assert not form.is_valid() and form.non_field_errors()
    attendance = AttendanceForm(
        {f"status_{world.secretary.pk}": "absent"},
        attendances=list(meeting.attendances.select_related("user")),
        read_only=True,
    )
    assert not attendance.is_valid()
    amend = AmendForm(instance=meeting, creating=False)
    assert not any(f.disabled for f in amend.fields.values())


def test_checking_in_someone_not_expected_adds_them_as_a_guest(world, frozen):
    from meetings import services

    meeting = record(
        world.group,
        Meeting.Kind.GROUP_MEETING,
        when=at(2026, 6, 15, 9),
        by=world.secretary,
        present=False,
    )
    row = services.meeting_check_in(
        meeting=meeting, user=world.committee_user, token=services.checkin_token(meeting)
    )
    assert row.is_guest and not row.has_vote


def test_mark_everyone_present_in_one_tap(as_user, world, frozen):
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, present=False)
    response = as_user(world.secretary).post(
        reverse("meetings:attendance", args=[meeting.pk]), {"all_present": "1"}
    )
    assert response.status_code == 302
    assert set(meeting.attendances.values_list("status", flat=True)) == {"present"}


def test_create_form_preselects_the_only_branch(as_user, world, frozen):
    response = as_user(world.secretary).get(reverse("meetings:create") + "?kind=party_lecture")
    form = response.context["form"]
    assert form.initial["organisation"] == world.branch.pk
    assert form.initial["kind"] == "party_lecture"


def test_list_rows_count_expected_and_present(as_user, world, frozen):
    meeting = record(world.branch, Meeting.Kind.BRANCH_ASSEMBLY, by=world.secretary, present=False)
    Attendance.objects.filter(meeting=meeting, user=world.member).update(status="present")
    Attendance.objects.create(
        meeting=meeting, user=world.other_secretary, is_guest=True, status="present"
    )
    (row,) = as_user(world.secretary).get(reverse("meetings:list")).context["page"]
    assert (row.expected_count, row.present_count) == (3, 1)
