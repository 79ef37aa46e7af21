"""A member on a phone takes a timed contest, reloads half-way, carries on, submits and sees
the score; their branch then appears in the league table."""

import re

import pytest
from playwright.sync_api import expect

from assessment.demo import seed_demo as seed_assessment
from portal.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def answer(page, position: int) -> None:
    fieldset = page.locator(f"[data-testid=question-{position}]")
    text = fieldset.locator("input[type=text]")
    if text.count():
        text.fill("发展")
        text.press("Tab")
    else:
        fieldset.locator(".form-check-input").first.check()
    expect(page.locator(f"[data-testid=saved-{position}]")).to_have_text("已保存")


def stems(page) -> list[str]:
    return page.locator("[data-testid=question-stem]").all_inner_texts()


def test_member_takes_a_timed_contest_on_a_phone_and_reloads_half_way(phone_page, live_server):
    seed_demo()
    seed_assessment()
    page = phone_page
    log_in(page, live_server, "member", DEMO_PASSWORD)
    page.click(".navbar-toggler")
    page.click("[data-testid=nav-assessment]")
    page.click("text=学党章、学党史、学习二十大精神知识竞赛")
    page.click("[data-testid=start-attempt]")
    expect(page.locator("[data-testid=timer]")).to_have_text(re.compile(r"^(19|20):\d\d$"))
    before = stems(page)
    assert len(before) == 10
    for position in range(1, 6):
        answer(page, position)

    page.reload()
    assert stems(page) == before
    for position in range(1, 6):
        fieldset = page.locator(f"[data-testid=question-{position}]")
        checked = fieldset.locator("input:checked").count()
        typed = fieldset.locator("input[type=text]")
        assert checked == 1 or (typed.count() and typed.input_value() == "发展")
    for position in range(6, 11):
        answer(page, position)

    page.click("[data-testid=submit-attempt]")
    score = page.locator("[data-testid=attempt-score]")
    expect(score).to_contain_text("/ 100")
    page.click("[data-testid=league-link]")
    expect(page.locator("[data-testid=branch-league]")).to_contain_text("机关第二党支部")
    expect(page.locator("[data-testid=member-league]")).to_contain_text("刘志强")
