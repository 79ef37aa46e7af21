"""On a phone: a member files a plan, logs study, writes and submits a reflection; the
secretary returns it with a comment; the member rewrites it; it is accepted; the archive
shows it."""

import pytest

from portal.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _switch(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=dashboard-title]")


def _review(page, live_server, decision, grade, comment):
    page.goto(f"{live_server.url}/learning/reflections/?status=submitted")
    page.click("[data-testid=reflection-table] a >> text=我的学习体会")
    page.check(f"input[name=decision][value={decision}]")
    if grade:
        page.select_option("select[name=grade]", grade)
    page.fill("textarea[name=comment]", comment)
    page.click("[data-testid=reflection-review-save]")


def test_member_plan_log_reflection_review_rewrite_archive(phone_page, live_server):
    page = phone_page
    seed_demo()
    _switch(page, live_server, "member")
    page.click(".navbar-toggler")
    page.click("[data-testid=nav-learning]")

    # A personal plan, filed and submitted.
    page.click("[data-testid=new-plan]")
    page.fill("textarea[name=goals]", "系统学习党的二十大精神")
    page.fill("textarea[name=topics]", "中国式现代化；党章")
    page.fill("input[name=target_hours]", "50")
    page.click("[data-testid=save]")
    page.click("[data-testid=plan-submit]")
    assert page.locator("[data-testid=plan-status]").inner_text() == "已提交"

    # Study time.
    page.goto(f"{live_server.url}/learning/")
    page.fill("input[name=minutes]", "90")
    page.click("[data-testid=log-save]")
    page.wait_for_selector("text=已记录学习时长")
    page.goto(f"{live_server.url}/learning/")
    assert "1.5" in page.locator("[data-testid=progress]").inner_text()

    # A reflection, written in the rich-text box with a bold word, then submitted.
    page.click("[data-testid=new-reflection]")
    page.fill("input[name=title]", "我的学习体会")
    editor = page.locator("[data-testid=rich-editor]")
    editor.click()
    page.keyboard.type("学习二十大报告，我体会到要把理论学习和本职工作结合起来。")
    page.click("button[data-command=bold]")
    page.keyboard.type("学以致用")
    page.click("[data-testid=save]")
    assert (
        page.locator(
            "[data-testid=reflection-body] b, [data-testid=reflection-body] strong"
        ).inner_text()
        == "学以致用"
    )
    page.click("[data-testid=reflection-submit]")
    assert page.locator("[data-testid=reflection-status]").inner_text() == "已提交"

    # The secretary returns it with a comment.
    _switch(page, live_server, "secretary")
    _review(page, live_server, "return", "", "请结合岗位实际谈具体打算")
    assert page.locator("[data-testid=reflection-status]").inner_text() == "退回修改"

    # The member rewrites and resubmits; the earlier version is kept.
    _switch(page, live_server, "member")
    page.goto(f"{live_server.url}/learning/")
    page.click("[data-testid=my-reflections] a >> text=我的学习体会")
    assert "请结合岗位实际谈具体打算" in page.locator("[data-testid=review-comment]").inner_text()
    page.click("[data-testid=reflection-edit]")
    page.locator("[data-testid=rich-editor]").click()
    page.keyboard.press("End")
    page.keyboard.type("今后我将在信贷政策传导工作中落实学习成果。")
    page.click("[data-testid=save]")
    page.click("[data-testid=reflection-submit]")
    assert page.locator("[data-testid=earlier-version]").count() == 1

    # The secretary accepts it with a grade.
    _switch(page, live_server, "secretary")
    _review(page, live_server, "accept", "good", "")
    assert page.locator("[data-testid=reflection-grade]").inner_text() == "良好"

    # The member's archive shows it.
    _switch(page, live_server, "member")
    page.goto(f"{live_server.url}/learning/")
    page.click("[data-testid=my-archive]")
    archive = page.locator("[data-testid=archive-reflections]").inner_text()
    assert "我的学习体会" in archive and "良好" in archive


def test_a_script_in_a_reflection_runs_nowhere_it_is_shown(page, live_server):
    from learning import services
    from portal.models import User

    seed_demo()
    member = User.objects.get(username="member")
    secretary = User.objects.get(username="secretary")
    reflection = services.reflection_save(
        author=member,
        title="<script>alert('title')</script>",
        body='<p>正文<script>alert(1)</script><img src=x onerror="alert(2)"></p>',
    )
    services.reflection_submit(reflection=reflection)
    services.reflection_review(
        reflection=reflection,
        by=secretary,
        accept=True,
        grade="good",
        comment="<script>alert(3)</script>",
    )
    services.reflection_set_exemplar(reflection=reflection, exemplar=True)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for username in ("member", "secretary"):
        page.context.clear_cookies()
        log_in(page, live_server, username, DEMO_PASSWORD)
        page.wait_for_selector("[data-testid=dashboard-title]")
        for path in (
            f"/learning/reflections/{reflection.pk}/",
            "/learning/reflections/",
            "/learning/reflections/exemplars/",
            "/learning/",
            f"/learning/archive/{member.pk}/",
        ):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
    assert dialogs == []
    assert page.locator("text=<script>alert('title')</script>").count() >= 1  # shown as text
