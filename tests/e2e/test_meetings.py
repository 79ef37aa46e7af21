"""On a phone: a secretary logs a 支委会 with attendance, submits and archives it and
downloads the 台账; a member checks in through the QR link."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from meetings import services
from meetings.models import Attendance, Meeting
from portal.models import Position
from tests.e2e.conftest import PHONE, log_in
from tests.factories import PositionFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pass-word-123"


def test_secretary_logs_a_committee_meeting_on_a_phone(phone_page, live_server, world):
    page = phone_page
    for n, title in enumerate(
        [Position.Title.ORGANISATION_COMMITTEE, Position.Title.PROPAGANDA_COMMITTEE]
    ):
        officer = member_of(world.branch, username=f"officer{n}", name=f"委员{n}")
        PositionFactory(user=officer, organisation=world.branch, title=title)
    log_in(page, live_server, "secretary", PASSWORD)
    page.click(".navbar-toggler")
    page.click("[data-testid=nav-meetings]")
    page.wait_for_selector("[data-testid=meetings-title]")
    page.click("[data-testid=new-meeting]")

    started = timezone.localtime() - datetime.timedelta(hours=2)
    page.select_option("select[name=organisation]", label="第一党支部")
    page.select_option("select[name=kind]", label="支委会")
    page.fill("input[name=topic]", "研究发展党员工作")
    page.fill("input[name=starts_at]", started.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "三楼党员活动室")
    page.select_option("select[name=host]", label="王书记")
    page.fill("textarea[name=agenda]", "传达上级文件\n讨论发展对象")
    page.click("[data-testid=save-meeting]")

    page.wait_for_selector("[data-testid=attendance-form]")
    assert page.locator("[data-testid=attendance-row]").count() == 3
    page.check("[data-testid=mark-secretary-present]")
    page.check("[data-testid=mark-officer0-present]")
    page.check("[data-testid=mark-officer1-leave]")
    page.click("[data-testid=save-attendance]")
    # Leave without a reason is refused next to the field, and nothing is lost.
    assert "请填写请假事由" in page.locator("main").inner_text()
    page.fill("[data-testid=reason-officer1]", "出差")
    page.click("[data-testid=save-attendance]")

    page.wait_for_selector("[data-testid=meeting-title]")
    assert page.locator("[data-testid=attendance-counts]").inner_text().startswith("3 / 2")
    assert "超过半数" in page.locator("[data-testid=quorum]").inner_text()
    page.click("[data-testid=submit-meeting]")
    assert page.locator("[data-testid=meeting-status]").inner_text() == "已提交"
    page.click("[data-testid=archive-meeting]")
    assert page.locator("[data-testid=meeting-status]").inner_text() == "已归档"
    assert page.locator("[data-testid=read-only]").is_visible()
    assert page.locator("[data-testid=amend-meeting]").is_visible()

    page.click("[data-testid=ledger-link]")
    with page.expect_download() as download_info:
        page.click("[data-testid=ledger-docx]")
    with open(download_info.value.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "研究发展党员工作" in cells and "委员1（请假：出差）" in cells
    assert Meeting.objects.get().status == Meeting.Status.ARCHIVED


def test_member_checks_in_through_the_qr_link(browser, phone_page, live_server, world):
    meeting = services.meeting_create(
        organisation=world.branch,
        kind=Meeting.Kind.BRANCH_ASSEMBLY,
        topic="传达学习全会精神",
        starts_at=timezone.now() - datetime.timedelta(minutes=10),
        by=world.secretary,
    )
    log_in(phone_page, live_server, "secretary", PASSWORD)
    phone_page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    phone_page.click("[data-testid=show-qr]")
    assert phone_page.locator("[data-testid=checkin-qr] svg").count() == 1
    url = phone_page.locator("[data-testid=checkin-url]").get_attribute("href")
    assert url and f"/meetings/{meeting.pk}/checkin/" in url

    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    member_page = context.new_page()
    member_page.set_default_timeout(15000)
    member_page.goto(url)  # not logged in yet: the login page brings them back
    member_page.fill("input[name=username]", "member")
    member_page.fill("input[name=password]", PASSWORD)
    member_page.click("button[type=submit]")
    member_page.click("[data-testid=checkin-confirm]")
    assert "签到" in member_page.locator("[data-testid=checkin-done]").inner_text()
    context.close()
    assert meeting.attendances.get(user=world.member).status == Attendance.Status.PRESENT
    phone_page.reload()
    assert "1" in phone_page.locator("[data-testid=checkin-count]").inner_text()
