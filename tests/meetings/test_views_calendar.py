"""The branch year grid, the committee view and the dashboard, in fixed query counts."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from portal.models import Membership, Organisation
from tests.meetings.conftest import at, record

pytestmark = pytest.mark.django_db


def test_branch_calendar_shows_cells_linked_to_records(as_user, world, frozen):
    record(
        world.branch,
        Meeting.Kind.COMMITTEE_MEETING,
        when=at(2026, 5, 6),
        by=world.secretary,
        status="submitted",
    )
    response = as_user(world.secretary).get(
        reverse("meetings:calendar", args=[world.branch.pk]) + "?year=2026"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "kind=committee_meeting&year=2026&month=5" in body
    rows = {r.kind: r for r in response.context["rows"]}
    assert rows[Meeting.Kind.COMMITTEE_MEETING].cells[4].status == "met"
    assert rows[Meeting.Kind.COMMITTEE_MEETING].cells[3].status == "missed"


def test_bad_year_falls_back_to_this_year(as_user, world, frozen):
    response = as_user(world.secretary).get(
        reverse("meetings:calendar", args=[world.branch.pk]) + "?year=abc"
    )
    assert response.status_code == 200 and response.context["year"] == 2026


def test_committee_member_sees_each_branch_calendar_in_the_subtree(as_user, world, frozen):
    client = as_user(world.committee_user)
    assert (
        client.get(reverse("meetings:calendar", args=[world.sibling_branch.pk])).status_code == 200
    )
    assert client.get(reverse("meetings:calendar", args=[world.other_branch.pk])).status_code == 404


def test_secretary_cannot_open_the_committee_view(as_user, world, frozen):
    assert (
        as_user(world.secretary)
        .get(reverse("meetings:committee", args=[world.committee.pk]))
        .status_code
        == 404
    )


def test_branch_calendar_query_count(
    as_user, world, many_branches, django_assert_num_queries, frozen
):
    for month in range(1, 6):
        record(
            world.branch,
            Meeting.Kind.COMMITTEE_MEETING,
            when=at(2026, month, 6),
            by=world.secretary,
            status="submitted",
        )
        record(
            world.branch,
            Meeting.Kind.THEMED_PARTY_DAY,
            when=at(2026, month, 8),
            by=world.secretary,
            status="submitted",
        )
    Membership.objects.filter(user=world.member).update(is_leading_cadre=True)
    client = as_user(world.secretary)
    # session, user, change stamps, scope positions, scope membership, organisation,
    # groups, meeting counts, exemptions, rules, leading cadres, their life-meeting
    # attendance, officers, members, talks
    with django_assert_num_queries(15):
        response = client.get(reverse("meetings:calendar", args=[world.branch.pk]))
    assert len(response.context["rows"]) == 7


def test_committee_view_query_count_and_sorting(
    as_user, world, many_branches, django_assert_num_queries, frozen
):
    client = as_user(world.committee_user)
    url = reverse("meetings:committee", args=[world.committee.pk])
    # session, user, organisation, scope positions, scope membership, cache fingerprint,
    # branches, groups, meeting counts, exemptions, rules (the fingerprint is the one added
    # query: it lets the next request skip the other five and the rendering of the table)
    with django_assert_num_queries(11):
        response = client.get(url)
    summaries = response.context["summaries"]
    # Again, from the cache: session, user, change stamps (the scope's key and the
    # overview's fingerprint), organisation.
    with django_assert_num_queries(4):
        again = client.get(url)
    assert [s.branch.pk for s in again.context["summaries"]] == [s.branch.pk for s in summaries]
    assert b'data-testid="committee-row"' in again.content
    assert len(summaries) == 12
    assert [s.missed_total for s in summaries] == sorted(
        (s.missed_total for s in summaries), reverse=True
    )
    by_name = client.get(url + "?sort=name").context["summaries"]
    assert [s.branch.name for s in by_name] == sorted(s.branch.name for s in by_name)


def test_dashboard_shows_what_is_due(as_user, world, frozen):
    record(
        world.branch,
        Meeting.Kind.THEMED_PARTY_DAY,
        when=at(2026, 6, 2),
        by=world.secretary,
        status="submitted",
    )
    response = as_user(world.secretary).get(reverse("meetings:dashboard"))
    ((branch, items),) = response.context["due"]
    assert branch == world.branch
    kinds = {i.kind for i in items}
    assert Meeting.Kind.COMMITTEE_MEETING in kinds and Meeting.Kind.THEMED_PARTY_DAY not in kinds
    assert "支委会" in response.content.decode()


def test_home_due_card_is_cached_and_shows_a_new_record_at_once(as_user, world, frozen):
    client = as_user(world.secretary)
    home = reverse("portal:home")

    def due_kinds():
        ((_branch, items),) = client.get(home).context["cards"][0].context["due"]
        return {i.kind for i in items}

    assert Meeting.Kind.THEMED_PARTY_DAY in due_kinds()  # computed, then cached
    record(
        world.branch,
        Meeting.Kind.THEMED_PARTY_DAY,
        when=at(2026, 6, 2),
        by=world.secretary,
        status="submitted",
    )
    assert Meeting.Kind.THEMED_PARTY_DAY not in due_kinds()  # the stamp moved


def test_member_dashboard_lists_upcoming_meetings(as_user, world, frozen):
    record(
        world.branch,
        Meeting.Kind.PARTY_LECTURE,
        when=at(2026, 6, 20),
        by=world.secretary,
        topic="七一党课",
    )
    response = as_user(world.member).get(reverse("meetings:dashboard"))
    assert response.context["due"] == []
    assert [m.topic for m in response.context["upcoming"]] == ["七一党课"]


def test_dashboard_query_count(as_user, world, many_branches, django_assert_num_queries, frozen):
    for n in range(10):
        record(
            world.branch,
            Meeting.Kind.THEMED_PARTY_DAY,
            when=at(2026, 6, 16 + n % 10),
            by=world.secretary,
        )
    client = as_user(world.secretary)
    # session, user, change stamps, scope positions, scope membership, managed branches,
    # groups, meeting counts, exemptions, rules, upcoming meetings (no query for overseen
    # organisations: a secretary oversees none)
    with django_assert_num_queries(11):
        response = client.get(reverse("meetings:dashboard"))
    assert len(response.context["upcoming"]) == 10
    # Again within the minute: the body comes from the cache (session, user, stamps).
    with django_assert_num_queries(3):
        again = client.get(reverse("meetings:dashboard"))
    assert again.content.count(b'href="/meetings/') == response.content.count(b'href="/meetings/')
    assert Organisation.objects.count() > 20


def test_committee_view_charts_the_branches_that_missed_most(as_user, world, many_branches, frozen):
    response = as_user(world.committee_user).get(
        reverse("meetings:committee", args=[world.committee.pk])
    )
    chart = response.context["chart"]
    summaries = {s.branch.name: s for s in response.context["summaries"]}
    assert chart["labels"], "some branch has missed a meeting by mid-June"
    for position, name in enumerate(chart["labels"]):
        total = sum(series["values"][position] for series in chart["series"])
        assert total == summaries[name].missed_total
    totals = [summaries[name].missed_total for name in chart["labels"]]
    assert totals == sorted(totals, reverse=True)
    assert 'id="compliance-data"' in response.content.decode()


def test_committee_view_shows_a_new_record_at_once_despite_the_cache(
    as_user, world, many_branches, frozen
):
    client = as_user(world.committee_user)
    url = reverse("meetings:committee", args=[world.committee.pk])

    def missed_of_branch() -> int:
        summaries = client.get(url).context["summaries"]
        return next(s for s in summaries if s.branch.pk == world.branch.pk).missed_total

    before = missed_of_branch()
    assert before > 0
    record(
        world.branch,
        Meeting.Kind.THEMED_PARTY_DAY,
        when=at(2026, 1, 12),
        by=world.secretary,
        status="submitted",
    )
    assert missed_of_branch() < before


OLD_ROWS = """{% load meetings_tags %}{% for s in summaries %}
    <tr data-testid="committee-row">
      <td><a href="{% url 'meetings:calendar' s.branch.pk %}?year={{ year }}">{{ s.branch.name }}</a></td>
      <td class="{% if s.missed_total %}text-danger fw-bold{% endif %}">{{ s.missed_total }}</td>
      {% for kind, label in kinds %}<td>{{ s.missed|get:kind|default:"·" }}</td>{% endfor %}
      <td>{{ s.due_total }}</td>
    </tr>
  {% empty %}<tr><td colspan="10" class="text-muted">{% translate "No branches." %}</td></tr>{% endfor %}"""


def test_committee_rows_read_as_the_template_wrote_them(as_user, world, many_branches, frozen):
    """The 1,000-row table is written in Python (meetings_tags.committee_rows)."""
    from django.template import Context, Template

    from meetings.templatetags.meetings_tags import committee_rows
    from tests.support.html import same_html

    many_branches[0].name = '第"一"<支部> & 其他'
    many_branches[0].save()
    response = as_user(world.committee_user).get(
        reverse("meetings:committee", args=[world.committee.pk]) + "?year=2026"
    )
    context = {k: response.context[k] for k in ("summaries", "kinds", "year")}
    old = Template("{% load i18n %}" + OLD_ROWS).render(Context(context))
    new = committee_rows(context["summaries"], context["kinds"], context["year"])
    assert same_html(old, new)
    assert "&lt;支部&gt; &amp;" in new and "text-danger fw-bold" in new and "·" in new
    assert new in response.content.decode()
    empty = Template("{% load i18n %}" + OLD_ROWS).render(Context({**context, "summaries": []}))
    assert same_html(empty, committee_rows([], context["kinds"], 2026))
