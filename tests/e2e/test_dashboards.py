"""Each demo persona logs in through the real login page and sees their own dashboard."""

import pytest

from portal.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("username", "sees", "does_not_see"),
    [
        ("committee", ["committee-dashboard", "member-dashboard"], ["secretary-dashboard"]),
        ("secretary", ["secretary-dashboard", "member-dashboard"], ["committee-dashboard"]),
        ("member", ["member-dashboard"], ["committee-dashboard", "secretary-dashboard"]),
        ("outsider", ["member-dashboard"], ["committee-dashboard", "secretary-dashboard"]),
        ("admin", ["committee-dashboard"], ["member-dashboard"]),
    ],
)
def test_persona_logs_in_and_sees_own_dashboard(page, live_server, username, sees, does_not_see):
    seed_demo()
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=dashboard-title]")
    for section in sees:
        assert page.locator(f"[data-testid={section}]").is_visible(), section
    for section in does_not_see:
        assert page.locator(f"[data-testid={section}]").count() == 0, section
    text = page.locator("main").inner_text()
    if username == "committee":
        assert "机关第一党支部" in text and "县支行党总支" in text
        assert "邻市分行机关党支部" not in text
    if username == "outsider":
        assert "邻市分行机关党支部" in text
        assert "机关第二党支部" not in text


def test_member_on_a_phone_reaches_their_branch_from_the_menu(phone_page, live_server):
    seed_demo()
    log_in(phone_page, live_server, "member", DEMO_PASSWORD)
    phone_page.click(".navbar-toggler")
    phone_page.click("text=我的支部")
    assert (
        phone_page.locator("[data-testid=organisation-name]")
        .inner_text()
        .startswith("机关第二党支部")
    )
    assert "王红梅" in phone_page.locator("[data-testid=officers]").inner_text()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_longest_menu_fits_a_laptop_screen(browser, live_server, locale):
    """The administrator's menu (a dozen entries, longer in English) wraps on a wide screen
    instead of running off its edge and making the page scroll sideways."""
    seed_demo()
    context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 700})
    page = context.new_page()
    try:
        log_in(page, live_server, "admin", DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=dashboard-title]")
        for width in (992, 1100, 1280, 1440):
            page.set_viewport_size({"width": width, "height": 700})
            scroll, client = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, (locale, width, scroll)
            box = page.locator("[data-testid=user-menu]").bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, (locale, width)
    finally:
        context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone_page, live_server):
    """A phone's narrower page margin and Bootstrap's row margins once made detail pages
    4 px wider than the screen: the whole page wobbled sideways under a thumb."""
    from committee.demo import seed_demo as seed_committee
    from committee.models import Task
    from meetings.demo import seed_demo as seed_meetings
    from meetings.models import Meeting

    seed_demo()
    seed_meetings()
    seed_committee()
    log_in(phone_page, live_server, "committee", DEMO_PASSWORD)
    phone_page.wait_for_selector("[data-testid=dashboard-title]")
    pages = [
        "/",
        "/notifications/settings/",
        f"/committee/tasks/{Task.objects.order_by('pk').first().pk}/",
        f"/meetings/{Meeting.objects.order_by('pk').first().pk}/",
        "/meetings/",
        "/learning/",
        "/scorecards/",
        "/audit/",
    ]
    for path in pages:
        phone_page.goto(live_server.url + path)
        wider = phone_page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wider <= 0, (path, wider)
