"""The Content Security Policy in a real browser: the main pages of every app, loaded in
Chromium with the policy on, report no violation in the console.

Main pages are the URL patterns without parameters of each app (from the resolver), so a
new app's pages are loaded without editing this file.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from portal.demo import DEMO_PASSWORD
from tests.security.conftest import all_routes, route_params
from tests.security.test_backup_restore import seed_everything
from tests.security.test_url_access import PUBLIC
from tests.support.browser import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

MAIN_PAGES = sorted(
    "/" + r.route
    for r in all_routes()
    if not r.is_admin
    and r.name not in PUBLIC
    and not route_params(r)
    and not r.route.startswith("accounts/")
    and r.app != "django"
)


def violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


@pytest.mark.parametrize("username", ["committee", "secretary"])
def test_main_pages_report_no_csp_violation(page, live_server, username):
    seed_everything()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_load_state("load")
    found = []
    for path in MAIN_PAGES:
        messages.clear()
        try:
            response = page.goto(f"{live_server.url}{path}", wait_until="load")
        except PlaywrightError:
            continue  # not a page: an action answering 405 to GET, or a download
        if response is None:
            continue
        if response.status == 200:
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_timeout(50)
        found += [f"{path}: {v}" for v in violations(messages)]
    assert not found, "\n".join(found)


def test_an_inline_script_would_be_reported(page, live_server):
    """The listener above sees a violation when there is one."""
    seed_everything()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert violations(messages)
    assert page.evaluate("() => window.pwned") is None
