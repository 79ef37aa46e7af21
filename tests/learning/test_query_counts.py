"""Each list and the archive page run a fixed number of queries whatever the number of rows.

Every page first spends these on the request itself: 1 session, 2 user, 3 the change
stamps, 4-5 the scope (positions, membership) on a cold cache — "5 base" below; the scope
is then in the cache, and the same request again spends "3 base".
"""

import datetime

import pytest
from django.urls import reverse

from learning import services
from learning.models import Material, StudyLog
from tests.factories import member_of
from tests.learning.conftest import TODAY

N = 12


@pytest.fixture
def many(world, records):
    """Twelve members in the branch, each with a plan, logs, a reflection, a read and a report."""
    for n in range(N):
        person = member_of(world.branch, group_org=world.group, username=f"many{n}")
        services.study_plan_save(
            user=person, year=2026, goals="g", topics="t", methods="", target_hours=40
        )
        services.study_plan_submit(plan=person.study_plans.get())
        for d in range(5):
            services.study_log_create(
                user=person,
                studied_on=TODAY - datetime.timedelta(days=d),
                minutes=100,
                method="self",
                topic=records.topic,
            )
        reflection = services.reflection_save(
            author=person,
            title=f"体会{n}",
            body=f"<p>第{n}篇独立写作的体会，内容各不相同{n * 7919}</p>",
            material=records.material,
        )
        services.reflection_submit(reflection=reflection)
        services.reflection_review(
            reflection=reflection, by=world.secretary, accept=True, grade="good", comment=""
        )
        services.reflection_set_exemplar(reflection=reflection, exemplar=True)
        services.material_mark_read(material=records.material, user=person)
        m = services.material_create(
            by=world.secretary,
            organisation=world.branch,
            kind=Material.Kind.ARTICLE,
            title=f"文章{n}",
            topics=[records.topic],
        )
        services.material_assign(
            material=m,
            organisation=world.branch,
            requirement="elective",
            due_on=TODAY,
            by=world.secretary,
        )
        services.research_report_create(
            by=person,
            organisation=world.branch,
            title=f"报告{n}",
            topic="t",
            authors=[person, world.member],
            text="x",
        )
        services.activity_create(
            by=world.secretary,
            organisation=world.branch,
            kind="reading_club",
            title=f"读书会{n}",
            starts_on=TODAY,
            ends_on=TODAY,
        ).participants.add(person, world.member)
        services.centre_group_session_create(
            organisation=world.committee,
            held_on=TODAY,
            kind="keynote",
            topic=f"专题{n}",
            attendees=[world.committee_user],
        )
        services.reflection_save(author=world.member, title=f"我的体会{n}", body="<p>草稿</p>")
        services.material_mark_read(material=m, user=world.member)
        services.branch_plan_save(
            by=world.secretary, organisation=world.branch, year=2000 + n, title=f"计划{n}"
        )
    assert StudyLog.objects.filter(status=StudyLog.Status.FLAGGED).count() >= N
    return world


CASES = [
    # (user, url name, args, query string, queries on a cold cache, queries again, why);
    # a page whose body is cached (portal/fragments.py) spends nothing more on a hit.
    (
        "secretary",
        "learning:plans",
        [],
        "",
        5 + 2,
        3,
        "count + page of plans with user, branch and counted minutes",
    ),
    (
        "secretary",
        "learning:flagged_logs",
        [],
        "",
        5 + 2,
        3 + 2,
        "count + page of logs with user and material",
    ),
    (
        "secretary",
        "learning:reflections",
        [],
        "",
        5 + 2,
        3,
        "count + page with author, branch, material, topic",
    ),
    ("member", "learning:exemplars", [], "", 5 + 2, 3 + 2, "count + page"),
    (
        "member",
        "learning:materials",
        [],
        "",
        5 + 4,
        3,
        "count + topic chips + page + topics prefetch",
    ),
    (
        "secretary",
        "learning:material",
        ["material"],
        "",
        5 + 9,
        3 + 9,
        "material, has_read, assigned paths, read-status count, topics, assignments, orgs for the form, read-status page, comments",
    ),
    ("member", "learning:branch_plans", [], "", 5 + 2, 3 + 2, "count + page with item counts"),
    ("member", "learning:reports", [], "", 5 + 3, 3 + 3, "count + page + authors prefetch"),
    (
        "member",
        "learning:activities",
        [],
        "",
        5 + 2,
        3 + 2,
        "count + page with participant counts (a member gets no form: no query)",
    ),
    (
        "committee_user",
        "learning:centre_group",
        [],
        "",
        5 + 6,
        3 + 6,
        "committee exists?, count + tasks + page, form orgs + people",
    ),
    (
        "member",
        "learning:home",
        [],
        "",
        5 + 6,
        3,
        "plan, totals, reflections, assignments, materials + topics for the log form",
    ),
    (
        "member",
        "learning:logs",
        [],
        "",
        5 + 4,
        3 + 4,
        "count + page + materials + topics for the form",
    ),
    (
        "secretary",
        "learning:archive",
        ["member"],
        "?year=2026",
        5 + 11,
        3 + 1,
        "the member's place (for the check; cached), contests (each time), then the "
        "membership, plan, minutes by method and topic, reads, reflections, reports, "
        "activities, meetings attended, 述学 results",
    ),
]


@pytest.mark.parametrize(
    ("who", "name", "args", "query", "first", "again", "why"), CASES, ids=[c[1] for c in CASES]
)
def test_page_query_count_does_not_grow_with_rows(
    as_user, many, records, django_assert_num_queries, who, name, args, query, first, again, why
):
    resolved = [records.material.pk if a == "material" else many.member.pk for a in args]
    client = as_user(getattr(many, who))
    url = reverse(name, args=resolved) + query
    with django_assert_num_queries(first):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(again):
        again_response = client.get(url)
    assert again_response.status_code == 200
