"""考学评学 in a real browser: the committee opens the table, drills into a branch's
evidence, confirms the scorecard and downloads the quarterly report."""

import pytest

from portal.demo import DEMO_PASSWORD, seed_demo
from scorecards.demo import seed_demo as seed_scorecards
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_committee_drills_into_evidence_confirms_and_downloads_the_report(page, live_server):
    seed_demo()
    seed_scorecards()
    log_in(page, live_server, "committee", DEMO_PASSWORD)
    page.click("[data-testid=nav-scorecards]")

    table = page.locator("[data-testid=scorecard-table]")
    table.wait_for()
    assert table.locator("[data-testid=scorecard-row]").count() == 4
    assert "机关第二党支部" in table.inner_text()
    assert "邻市分行机关党支部" not in table.inner_text()

    # Build again on demand: the page shows the run's status and percentage.
    page.click("[data-testid=build-button]")
    assert page.locator("[data-testid=build-status]").inner_text() == "已完成"
    assert page.locator("#build-percent").inner_text() == "100"
    table = page.locator("[data-testid=scorecard-table]")

    # Drill into 机关第二党支部 and open the evidence behind an inspected indicator.
    table.get_by_role("link", name="机关第二党支部").click()
    assert page.locator("[data-testid=scorecard-title]").inner_text().startswith("机关第二党支部")
    assert page.locator("#radar-chart").is_visible()
    line = page.locator("[data-testid=line-venue-and-rules]")
    line.locator("summary").click()
    evidence = line.locator("[data-testid=evidence] a").first
    assert "查：" in evidence.inner_text()
    evidence.click()
    assert "查阅学习制度" in page.locator("main").inner_text()
    page.go_back()

    # Confirm it.
    assert page.locator("[data-testid=state]").first.inner_text() == "草稿"
    page.click("[data-testid=confirm-button]")
    assert page.locator("[data-testid=state]").first.inner_text() == "已确认"
    assert "评分表已确认" in page.locator("main").inner_text()

    # Write the quarter's report and download it.
    page.click("[data-testid=nav-scorecards]")
    page.click("[data-testid=tab-reports]")
    page.click("[data-testid=request-report]")
    page.wait_for_selector("[data-testid=download-docx]")
    assert page.locator("[data-testid=report-status]").inner_text() == "已生成"
    with page.expect_download() as download_info:
        page.click("[data-testid=download-docx]")
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as handle:
        assert handle.read(2) == b"PK"
    with page.expect_download() as xlsx_info:
        page.click("[data-testid=download-xlsx]")
    assert xlsx_info.value.suggested_filename.endswith(".xlsx")


def test_a_member_on_a_phone_sees_their_contribution(phone_page, live_server):
    seed_demo()
    seed_scorecards()
    log_in(phone_page, live_server, "member", DEMO_PASSWORD)
    phone_page.click(".navbar-toggler")
    phone_page.click("[data-testid=nav-scorecards]")
    assert phone_page.locator("[data-testid=mine-title]").inner_text() == "我的贡献"
