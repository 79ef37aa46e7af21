"""A committee member opens the compliance of every branch: the chart of those that missed
most, the table of all (written in Python for 1,000 branches), sorting, and a branch's
own calendar from its row."""

import pytest

from portal.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_committee_member_ranks_the_branches_and_opens_one(page, live_server):
    seed_demo()
    log_in(page, live_server, "committee", DEMO_PASSWORD)
    page.click("[data-testid=nav-meetings]")
    page.locator("[data-testid=committee-link]").first.click()
    rows = page.locator("[data-testid=committee-row]")
    assert rows.count() >= 3
    # The chart is drawn by the vendored Chart.js from the data the page carries.
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('compliance-chart'))"
    )
    missed = [int(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(rows.count())]
    assert missed == sorted(missed, reverse=True) and missed[0] > 0
    assert "text-danger" in (rows.first.locator("td").nth(1).get_attribute("class") or "")

    page.click("thead >> text=党支部")  # the Branch heading sorts by name
    names = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert names == sorted(names)

    first = names[0]
    rows.first.locator("a").click()
    assert page.locator("[data-testid=calendar-title]").inner_text().startswith(first)
    assert page.locator("[data-testid=calendar-grid]").is_visible()


def test_on_a_phone_every_charted_branch_is_named(phone_page, live_server):
    """Chart.js skipped every other branch name when the legend took the bars' room."""
    seed_demo()
    log_in(phone_page, live_server, "committee", DEMO_PASSWORD)
    phone_page.goto(f"{live_server.url}/meetings/")
    phone_page.locator("[data-testid=committee-link]").first.click()
    named, charted = phone_page.wait_for_function(
        """() => { const c = window.Chart && Chart.getChart(document.getElementById('compliance-chart'));
                   return c && [c.scales.y.ticks.length, c.data.labels.length]; }"""
    ).json_value()
    assert charted >= 3 and named == charted
