"""A member sees the unread count, reads a message through its link, and clears the rest."""

import pytest

from portal.demo import DEMO_PASSWORD, seed_demo
from portal.models import User
from portal.notifications import Message, notify
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_reads_messages_on_a_phone(phone_page, live_server):
    seed_demo()
    member = User.objects.get(username="member")
    for n in range(3):
        notify(
            recipient_ids=[member.pk],
            kind="demo",
            subject=f"s{n}",
            period="p",
            message=Message("Messages"),
            url=f"/organisations/{member.membership.branch_id}/",
        )
    page = phone_page
    log_in(page, live_server, "member", DEMO_PASSWORD)
    page.click(".navbar-toggler")
    assert page.locator("[data-testid=unread-count]").inner_text() == "3"
    page.click("[data-testid=inbox-link]")
    page.locator("[data-testid=inbox] a").first.click()
    assert page.locator("[data-testid=organisation-name]").inner_text().startswith("机关第二党支部")
    page.goto(f"{live_server.url}/notifications/")
    page.click(".navbar-toggler")
    assert page.locator("[data-testid=unread-count]").inner_text() == "2"
    page.click("[data-testid=mark-all-read]")
    assert page.locator("[data-testid=unread-count]").count() == 0
    assert "2" in page.locator(".alert-success").inner_text()
