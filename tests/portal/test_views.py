"""The organisation, member and dashboard pages: who gets what, and in how many queries."""

import pytest
from django.urls import reverse

from portal.models import Organisation
from portal.paging import PAGE_SIZE
from tests.factories import branch, group, member_of


@pytest.fixture
def big_world(world):
    """Twelve more branches with a group and three members each under the committee."""
    for n in range(12):
        b = branch(world.committee, f"扩展第{n}党支部")
        g = group(b, f"扩展第{n}党小组")
        for k in range(3):
            member_of(b, group_org=g, username=f"x{n}-{k}")
    return world


# --- who gets what -----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_404_on_another_branch_page(as_user, world):
    response = as_user(world.outsider).get(reverse("portal:organisation", args=[world.branch.pk]))
    assert response.status_code == 404


def test_outsider_gets_404_on_another_branch_member(as_user, world):
    response = as_user(world.outsider).get(reverse("portal:member", args=[world.member.pk]))
    assert response.status_code == 404


def test_outsider_does_not_see_other_tree_in_lists(as_user, world):
    client = as_user(world.outsider)
    assert client.get(reverse("portal:members")).status_code == 302  # to their own profile
    home = client.get(reverse("portal:home")).content.decode()
    assert "第一党支部" not in home


def test_member_cannot_open_a_colleague_profile(as_user, world):
    response = as_user(world.member).get(reverse("portal:member", args=[world.secretary.pk]))
    assert response.status_code == 404


def test_member_sees_own_branch_officers_but_not_the_roster(as_user, world):
    response = as_user(world.member).get(reverse("portal:organisation", args=[world.branch.pk]))
    assert response.status_code == 200
    assert "王书记" in response.content.decode()
    assert response.context["sees_roster"] is False


def test_secretary_cannot_open_sibling_branch(as_user, world):
    response = as_user(world.secretary).get(
        reverse("portal:organisation", args=[world.sibling_branch.pk])
    )
    assert response.status_code == 404


def test_secretary_lists_only_own_branch_members(as_user, world):
    response = as_user(world.secretary).get(reverse("portal:members"))
    names = {m.user.username for m in response.context["page"]}
    assert names == {"committee", "secretary", "member"}


def test_committee_does_not_see_another_tree(as_user, world):
    client = as_user(world.committee_user)
    assert (
        client.get(reverse("portal:organisation", args=[world.other_branch.pk])).status_code == 404
    )
    assert client.get(reverse("portal:member", args=[world.outsider.pk])).status_code == 404
    listed = {m.user.username for m in client.get(reverse("portal:members")).context["page"]}
    assert "outsider" not in listed and "other_secretary" in listed


def test_member_export_is_scoped_and_in_roster_format(as_user, world):
    import io

    from openpyxl import load_workbook

    from portal.roster import COLUMNS

    response = as_user(world.secretary).get(reverse("portal:members") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert tuple(rows[0]) == COLUMNS
    assert {r[0] for r in rows[1:]} == {"张委员", "王书记", "刘党员"}
    secretary_row = next(r for r in rows[1:] if r[0] == "王书记")
    assert secretary_row[7] == "书记"


def test_member_filter_by_name(as_user, world):
    response = as_user(world.committee_user).get(reverse("portal:members") + "?q=刘")
    assert [m.user.name for m in response.context["page"]] == ["刘党员"]


def test_bad_filter_value_is_reported_not_a_server_error(as_user, world):
    response = as_user(world.committee_user).get(
        reverse("portal:members") + "?organisation=abc&page=zz"
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


# --- query counts: fixed whatever the number of rows ----------------------------------------


def test_tree_page_query_count(as_user, big_world, django_assert_num_queries):
    client = as_user(big_world.committee_user)
    # session, user, scope positions, scope membership, page count, organisations, member
    # counts (change stamps; not cached yet: the subtree's paths, counts by branch and group)
    with django_assert_num_queries(9):
        response = client.get(reverse("portal:organisations"))
    assert len(response.context["rows"]) >= 27


def test_branch_page_query_count(as_user, big_world, django_assert_num_queries):
    client = as_user(big_world.committee_user)
    target = Organisation.objects.get(name="扩展第3党支部")
    for k in range(10):
        member_of(target, username=f"extra{k}")
    # session, user, organisation, scope positions, scope membership, ancestors, officers,
    # children, children's member counts (stamps, paths, counts), the member total, filter's
    # organisation choices, page count, page rows, the branch's commendations
    with django_assert_num_queries(15):
        response = client.get(reverse("portal:organisation", args=[target.pk]))
    assert len(response.context["page"]) == 13


def test_member_list_query_count(as_user, big_world, django_assert_num_queries):
    client = as_user(big_world.committee_user)
    # session, user, change stamps, scope positions, scope membership, filter's
    # organisation choices, page count, page rows (member, branch, group joined)
    with django_assert_num_queries(8):
        response = client.get(reverse("portal:members"))
    assert len(response.context["page"]) == PAGE_SIZE
    # Then from the cache (portal/fragments.py): session, user, stamps.
    with django_assert_num_queries(3):
        again = client.get(reverse("portal:members"))
    assert again.content.count(b"<tr>") == response.content.count(b"<tr>") == PAGE_SIZE + 1


def test_committee_dashboard_query_count(as_user, big_world, django_assert_num_queries):
    client = as_user(big_world.committee_user)
    # session, user, scope positions, scope membership (the home page shows both), branch
    # officers, committee tree, the change stamps (read once a request), its member counts
    # (branch paths, counts by branch); then the
    # apps' cards: overdue tasks (1), reviews waiting (3 counts), own study plan and hours
    # (2), open contests (1), next meetings (1)
    with django_assert_num_queries(17):
        response = client.get(reverse("portal:home"))
    assert len(response.context["dashboard"].committee_rows) >= 14


def test_healthz_reports_an_unreachable_broker(client, db):
    """A broker that refuses connections makes the portal unhealthy (503), naming it."""
    from portal.celery import app

    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from django.test import override_settings

    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            response = client.get("/healthz")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_healthz_reports_a_live_broker(client, db, settings):
    if not settings.TEST_REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    from portal.celery import app

    app.conf.task_always_eager = False
    try:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        response = client.get("/healthz")
    finally:
        app.conf.task_always_eager = True
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_member_counts_are_cached_and_show_a_new_member_at_once(
    as_user, big_world, django_assert_num_queries
):
    from portal.selectors import member_counts

    top = big_world.committee
    shown = list(Organisation.objects.filter(path__startswith=top.path, depth__lte=2))
    before = member_counts(shown)[top.path]
    with django_assert_num_queries(1):  # cached: the change stamps only
        assert member_counts(shown)[top.path] == before
    b = Organisation.objects.get(name="扩展第3党支部")
    member_of(b, username="newcomer")
    assert member_counts(shown)[top.path] == (before[0], before[1] + 1)
    assert member_counts([b])[b.path][0] == 4
