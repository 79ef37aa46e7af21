"""目标责任 and the 宣传 board in a real browser, as the demo personas use them."""

import datetime

import pytest
from django.utils import timezone

from portal.demo import DEMO_PASSWORD, seed_demo
from tests.committee.conftest import png_bytes
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=user-menu]")


def test_a_task_is_assigned_reported_and_accepted(page, live_server):
    seed_demo()
    due = timezone.localdate() + datetime.timedelta(days=14)

    # The committee assigns a 读书会 task to 机关第二党支部.
    _as(page, live_server, "committee")
    page.click("[data-testid=nav-committee-tasks]")
    page.click("[data-testid=task-create]")
    page.fill("input[name=title]", "开展“学纲要”读书会")
    page.fill("input[name=evidence_expected]", "读书会记录和照片")
    page.fill("input[name=due_on]", due.isoformat())
    page.get_by_label("机关第二党支部", exact=True).check()
    page.click("[data-testid=task-submit]")
    assert page.locator("[data-testid=task-title]").inner_text() == "开展“学纲要”读书会"
    assert "已下达" in page.locator("[data-testid=task-assignments]").inner_text()

    # The branch secretary reports with a text and a file.
    _as(page, live_server, "secretary")
    page.click("[data-testid=nav-committee-tasks]")
    page.locator("[data-testid=my-assignments]").get_by_text("开展“学纲要”读书会").click()
    page.fill("textarea[name=text]", "11月20日开展读书会，实到12人。")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "签到表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.click("[data-testid=report-submit]")
    assert page.locator("[data-testid=assignment-state]").inner_text() == "已报送待审核"
    assignment_url = page.url

    # The committee reads the report and accepts it.
    _as(page, live_server, "committee")
    page.goto(assignment_url)
    history = page.locator("[data-testid=assignment-history]").inner_text()
    assert "实到12人" in history and "签到表.pdf" in history
    page.fill("textarea[name=comment]", "材料齐全。")
    page.click("[data-testid=review-accept]")
    assert page.locator("[data-testid=assignment-state]").inner_text() == "已通过"
    page.goto(f"{live_server.url}/committee/assignments/?state=accepted")
    assert "机关第二党支部" in page.locator("[data-testid=assignment-table]").inner_text()


def test_a_post_is_submitted_featured_and_seen_by_a_member(page, phone_page, live_server):
    seed_demo()

    # The branch secretary submits an experience report with a photo.
    _as(page, live_server, "secretary")
    page.click("[data-testid=nav-committee-board]")
    page.click("[data-testid=post-create]")
    page.fill("input[name=title]", "支部读书会的三点经验")
    page.fill("textarea[name=body]", "一是领学带学；二是分组研讨；三是学用结合。")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    page.click("[data-testid=post-submit]")
    assert page.locator("[data-testid=post-state]").inner_text() == "待审核"

    # The committee publishes and features it.
    _as(page, live_server, "committee")
    page.click("[data-testid=nav-committee-board]")
    page.click("[data-testid=board-manage]")
    page.locator("[data-testid=review-queue]").get_by_text("支部读书会的三点经验").click()
    page.click("[data-testid=post-publish]")
    page.click("[data-testid=post-feature]")
    assert page.locator("[data-testid=featured-badge]").is_visible()

    # A member on a phone finds it at the top of the feed, photo and all.
    log_in(phone_page, live_server, "member", DEMO_PASSWORD)
    phone_page.wait_for_selector("[data-testid=user-menu]", state="attached")
    phone_page.click(".navbar-toggler")
    phone_page.click("[data-testid=nav-committee-board]")
    first = phone_page.locator("[data-testid=post-card]").first
    assert "支部读书会的三点经验" in first.inner_text()
    assert first.locator("[data-testid=featured-badge]").is_visible()
    first.get_by_text("支部读书会的三点经验").click()
    photo = phone_page.locator("[data-testid=post-photo]").first
    photo.wait_for()
    assert phone_page.evaluate("(img) => img.naturalWidth", photo.element_handle()) == 40
