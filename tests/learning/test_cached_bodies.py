"""The list pages, the study page and the archive keep their bodies in the cache under the
change stamps of the tables they read (portal/fragments.py): a change made through the
services or the ORM shows on the next view, and the permission checks still run first."""

import datetime

import pytest
from django.urls import reverse

from assessment import services as assessment_services
from learning import services
from learning.models import Material, Reflection, StudyForm, Topic
from meetings.models import Meeting
from portal.models import Membership, User
from tests.assessment.conftest import finish, make_bank, make_contest
from tests.learning.conftest import TODAY, submitted_reflection
from tests.meetings.conftest import at, record

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_plan_list_shows_a_changed_plan_and_name_at_once(as_user, world, records):
    url = reverse("learning:plans")
    for who in (world.secretary, world.committee_user):
        client = as_user(who)
        assert "刘党员" in page(client, url)
        assert "刘党员" in page(client, url)  # from the cache
    client = as_user(world.secretary)
    before = page(client, url)
    assert ">60<" in before
    services.study_plan_save(
        user=world.member,
        plan=records.plan,
        year=2026,
        goals="系统学习",
        topics="二十大精神",
        methods="自学",
        target_hours=72,
    )
    assert ">72<" in page(client, url)
    # A name is changed outside the services (the admin, an import).
    User.objects.filter(pk=world.member.pk).update(name="刘新名")
    assert "刘新名" in page(client, url)
    assert "刘新名" in page(as_user(world.committee_user), url)
    # Logged study time moves the hours column.
    services.study_log_create(
        user=world.member, studied_on=TODAY, minutes=120, method=StudyForm.SELF
    )
    assert ">3<" in page(client, url)  # 60 + 120 minutes


def test_the_plan_list_is_still_refused_to_a_member(as_user, world, records):
    url = reverse("learning:plans")
    assert as_user(world.secretary).get(url).status_code == 200
    assert as_user(world.member).get(url).status_code == 404
    assert as_user(world.member).get(url).status_code == 404


def test_the_plan_list_follows_a_member_moving_out(as_user, world, records):
    client = as_user(world.secretary)
    url = reverse("learning:plans")
    assert "刘党员" in page(client, url)
    Membership.objects.filter(user=world.member).update(branch=world.sibling_branch)
    assert "刘党员" not in page(client, url)


def test_the_reflection_list_shows_a_review_and_a_new_reflection(as_user, world, records):
    client = as_user(world.secretary)
    url = reverse("learning:reflections")
    before = page(client, url)
    assert records.reflection.title in before
    services.reflection_review(
        reflection=records.reflection, by=world.secretary, accept=True, grade="good", comment=""
    )
    after = page(client, url)
    assert after != before
    records.reflection.refresh_from_db()
    assert records.reflection.get_grade_display() in after
    submitted_reflection(world.member, title="第二篇体会", body="<p>另一篇完全不同的体会。</p>")
    assert "第二篇体会" in page(client, url)
    Reflection.objects.filter(title="第二篇体会").update(title="改过的标题")
    assert "改过的标题" in page(client, url)


def test_the_reflection_list_of_another_scope_is_its_own(as_user, world, records):
    url = reverse("learning:reflections")
    link = reverse("learning:reflection", args=[records.reflection.pk])
    assert link in page(as_user(world.secretary), url)
    assert link not in page(as_user(world.outsider), url)
    assert link not in page(as_user(world.other_secretary), url)


def test_the_material_list_shows_new_materials_and_topics(as_user, world, records):
    client = as_user(world.member)
    url = reverse("learning:materials")
    assert "党的二十大报告" in page(client, url)
    topic = Topic.objects.create(name="党史学习")
    assert "党史学习" in page(client, url)  # the topic chips
    services.material_create(
        by=world.secretary,
        organisation=world.branch,
        kind=Material.Kind.ARTICLE,
        title="新的学习文章",
        topics=[topic],
    )
    body = page(client, url)
    assert "新的学习文章" in body
    records.material.topics.add(topic)  # the many-to-many table alone
    row = page(client, url).split("党的二十大报告")[1].split("</tr>")[0]
    assert "党史学习" in row
    # The filter by topic: a query string of its own.
    assert "新的学习文章" in page(client, f"{url}?topic={topic.pk}")


def test_the_material_list_of_an_outsider_is_their_own(as_user, world, records):
    url = reverse("learning:materials")
    link = reverse("learning:material", args=[records.material.pk])
    assert link in page(as_user(world.member), url)
    assert link not in page(as_user(world.outsider), url)


def test_the_study_page_shows_new_time_reads_and_reflections(as_user, world, records):
    client = as_user(world.member)
    url = reverse("learning:home")
    before = page(client, url)
    assert "1.0" in before  # one hour of sixty
    assert "党的二十大报告" in before
    assert 'data-testid="log-save"' in before
    services.study_log_create(
        user=world.member, studied_on=TODAY, minutes=120, method=StudyForm.SELF
    )
    assert "3.0" in page(client, url)
    services.material_mark_read(material=records.material, user=world.member)
    assignments = page(client, url).split('data-testid="assignments"')[1].split("</ul>")[0]
    assert "已读" in assignments or "Read" in assignments
    services.reflection_save(author=world.member, title="新写的体会", body="<p>草稿正文</p>")
    assert "新写的体会" in page(client, url)
    # The log form's materials: a material filed above the member's branch.
    services.material_create(
        by=world.committee_user,
        organisation=world.committee,
        kind=Material.Kind.ARTICLE,
        title="党委下发的文章",
    )
    assert "党委下发的文章" in page(client, url)


def test_the_study_page_keeps_a_fresh_csrf_token_and_the_log_form_posts(as_user, world, records):
    client = as_user(world.member)
    client.handler.enforce_csrf_checks = True
    url = reverse("learning:home")
    page(client, url)
    body = page(client, url)  # from the cache
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        reverse("learning:logs"),
        {
            "csrfmiddlewaretoken": token,
            "studied_on": TODAY.isoformat(),
            "minutes": "45",
            "method": StudyForm.SELF,
        },
    )
    assert response.status_code == 302
    assert "1.8" in page(client, url)  # 105 minutes


def test_the_study_page_is_each_members_own(as_user, world, records):
    url = reverse("learning:home")

    def own_reflections(body: str) -> str:
        return body.split('data-testid="my-reflections"')[1].split("</ul>")[0]

    assert records.reflection.title in own_reflections(page(as_user(world.member), url))
    other = page(as_user(world.secretary), url)
    assert records.reflection.title not in own_reflections(other)
    assert f"archive/{world.member.pk}/" not in other
    assert f"archive/{world.secretary.pk}/" in other


def test_the_officers_study_page_counts_waiting_records_at_once(as_user, world, records):
    client = as_user(world.secretary)
    url = reverse("learning:home")
    before = page(client, url)
    assert 'data-testid="waiting"' in before  # the member's submitted reflection
    services.reflection_review(
        reflection=records.reflection, by=world.secretary, accept=True, grade="good", comment=""
    )
    assert 'data-testid="waiting"' not in page(client, url)
    services.study_plan_submit(plan=records.plan)
    assert 'data-testid="waiting"' in page(client, url)


def test_the_archive_shows_new_records_at_once(as_user, world, records):
    client = as_user(world.secretary)
    url = reverse("learning:archive", args=[world.member.pk]) + "?year=2026"
    before = page(client, url)
    assert records.reflection.title in before
    assert "第一次党员大会" not in before
    record(
        world.branch,
        Meeting.Kind.BRANCH_ASSEMBLY,
        when=at(2026, 5, 3),
        by=world.secretary,
        status=Meeting.Status.SUBMITTED,
        topic="第一次党员大会",
    )
    assert "第一次党员大会" in page(client, url)
    services.activity_join(activity=records.activity, user=world.member)
    assert records.activity.title in page(client, url)
    services.material_mark_read(material=records.material, user=world.member)
    assert "党的二十大报告" in page(client, url).split("archive-meetings")[0]
    # Contests are read on every view (attempts are not stamped).
    make_bank(world.committee)
    contest = make_contest(world.committee, title="党章知识竞赛")
    finish(contest, world.member, correct=4)
    contest.__class__.objects.filter(pk=contest.pk).update(closes_at=at(2026, 11, 20))
    assert "党章知识竞赛" in page(client, url)
    # 述学 results.
    period = assessment_services.period_create(
        organisation=world.committee,
        title="2026年度述学评学",
        year=2026,
        opens_on=TODAY - datetime.timedelta(days=1),
        closes_on=TODAY + datetime.timedelta(days=30),
        rubric=assessment_services.rubric_create(
            organisation=world.committee,
            name="述学评价标准",
            description="",
            criteria_text="学习态度 | 优:25, 良:20, 合格:15, 差:5",
        ),
        excellent_from=90,
        good_from=80,
        pass_from=60,
        anonymous_peers=True,
    )
    assessment_services.report_save(
        period=period,
        user=world.member,
        branch_id=world.branch.pk,
        title="述学报告",
        content="内容",
        submit=True,
    )
    assert "2026年度述学评学" in page(client, url)
    # The member's branch moves: the header shows the new one.
    Membership.objects.filter(user=world.member).update(branch=world.sibling_branch)
    assert "第二党支部" in page(as_user(world.committee_user), url)


def test_the_archive_is_still_refused_outside_the_scope(as_user, world, records):
    url = reverse("learning:archive", args=[world.member.pk]) + "?year=2026"
    assert as_user(world.secretary).get(url).status_code == 200
    assert as_user(world.member).get(url).status_code == 200
    for outsider in (world.other_secretary, world.outsider):
        assert as_user(outsider).get(url).status_code == 404
        assert as_user(outsider).get(url).status_code == 404
    missing = reverse("learning:archive", args=[999999])
    assert as_user(world.secretary).get(missing).status_code == 404


def test_the_archive_is_refused_once_the_member_moves_away(as_user, world, records):
    client = as_user(world.secretary)
    url = reverse("learning:archive", args=[world.member.pk]) + "?year=2026"
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=world.member).update(branch=world.other_branch, group=None)
    assert client.get(url).status_code == 404
