"""The audit trail: changes to audited records are recorded with who, when and what, and
the committee reads those of its own tree on /audit/."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from portal.audit import audited_models
from portal.models import Position
from tests.factories import PositionFactory, member_of

pytestmark = pytest.mark.django_db
URL = reverse("portal:audit_log")


def test_positions_memberships_and_reviews_are_audited():
    labels = {m._meta.label for m in audited_models()}
    assert {"portal.Position", "portal.Membership"} <= labels
    assert {"assessment.ShuxueRating", "committee.Assignment"} <= labels


def test_a_change_is_recorded_with_who_when_and_what(world):
    position = Position.objects.get(user=world.secretary)
    moment = datetime.datetime(2026, 11, 27, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False), set_actor(world.committee_user):
        position.ended_on = datetime.date(2026, 11, 27)
        position.save()
    entry = LogEntry.objects.get_for_object(position).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == world.committee_user
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.timestamp == datetime.datetime(2026, 11, 27, 9, 30, tzinfo=datetime.UTC)
    assert entry.changes_dict["ended_on"] == [None, "2026-11-27"]


def test_a_change_made_in_a_request_names_the_user(world, as_user, admin_user):
    """AuditlogMiddleware ties the request's user to the entry (here, through the admin)."""
    position = Position.objects.get(user=world.secretary)
    client = as_user(admin_user)
    url = reverse("admin:portal_position_change", args=[position.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        user=position.user_id,
        organisation=position.organisation_id,
        started_on="2020-01-01",
        ended_on="2026-11-27",
    )
    client.post(url, data)
    entry = LogEntry.objects.get_for_object(position).latest("timestamp")
    assert entry.actor == admin_user


def test_the_committee_reads_its_trees_entries(world, as_user):
    PositionFactory(
        user=world.member, organisation=world.branch, title=Position.Title.ORGANISATION_COMMITTEE
    )
    response = as_user(world.committee_user).get(URL)
    assert response.status_code == 200
    assert "刘党员" in response.text


def test_another_trees_committee_sees_none_of_them(world, as_user):
    PositionFactory(
        user=world.member, organisation=world.branch, title=Position.Title.ORGANISATION_COMMITTEE
    )
    foreign = member_of(world.other_branch, username="foreign", name="孙邻委")
    PositionFactory(
        user=foreign, organisation=world.other_committee, title=Position.Title.COMMITTEE_MEMBER
    )
    response = as_user(foreign).get(URL)
    assert response.status_code == 200
    assert "刘党员" not in response.text


@pytest.mark.parametrize("persona", ["member", "secretary", "outsider"])
def test_others_get_404(world, as_user, persona):
    assert as_user(getattr(world, persona)).get(URL).status_code == 404


def test_filter_by_model_and_date(world, as_user):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 2, tzinfo=datetime.UTC)):
        PositionFactory(
            user=world.member,
            organisation=world.branch,
            title=Position.Title.ORGANISATION_COMMITTEE,
        )
    client = as_user(world.committee_user)
    march = client.get(
        URL, {"model": "portal.position", "since": "2026-03-01", "until": "2026-03-01"}
    )
    assert [e.object_repr for e in march.context["page"]] and all(
        e.content_type.model == "position" for e in march.context["page"]
    )
    assert len(march.context["page"]) == 1
    later = client.get(URL, {"since": "2026-03-02", "until": "2026-03-03"})
    assert len(later.context["page"]) == 0
    bad = client.get(URL, {"since": "2026-03-02", "until": "2026-03-01"})
    assert bad.context["form"].errors


def test_query_count_does_not_grow_with_entries(world, as_user, django_assert_num_queries):
    for n in range(12):
        with set_actor(world.secretary):
            PositionFactory(
                user=member_of(world.branch, name=f"党员{n}"),
                organisation=world.branch,
                title=Position.Title.COMMITTEE_MEMBER,
            )
    ContentType.objects.get_for_models(*audited_models())  # content types are cached per process
    client = as_user(world.committee_user)
    # 1 session, 2 user, 3 change stamps, 4 positions and 5 membership (the scope), 6 the
    # page's count, 7 the entries with their actor and content type (one subquery per
    # audited model), 8-9 the names of the people and organisations the changes link to
    # (one query per kind of record linked, never per entry).
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert len(response.context["page"]) >= 10
    assert response.text.count("党员1") >= 3  # 党员1, 党员10, 党员11: by name, not by id


def test_changes_read_as_people_say_them(world, as_user):
    """Labels, not column names; names, not ids; local times; a new record shows what it
    was given, without a column of empty 'before' values."""
    moment = datetime.datetime(2026, 11, 27, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False), set_actor(world.committee_user):
        position = PositionFactory(
            user=world.member,
            organisation=world.branch,
            title=Position.Title.ORGANISATION_COMMITTEE,
        )
        position.ended_on = datetime.date(2026, 11, 27)
        position.save()
    entries = LogEntry.objects.get_for_object(position)
    entries.filter(action=LogEntry.Action.UPDATE).update(
        changes={"ended_on": [None, "2026-11-27"], "title": ["secretary", "committee_member"]}
    )
    response = as_user(world.committee_user).get(URL, {"model": "portal.position"})
    html = response.text
    rows = {
        e.action: e.change_rows for e in response.context["page"] if e.object_pk == str(position.pk)
    }
    created = dict((field, new) for field, _old, new in rows[LogEntry.Action.CREATE])
    assert world.member.name in created.values() and world.branch.name in created.values()
    assert str(position.get_title_display()) in created.values()
    assert "None" not in html and ">create<" not in html
    assert "新建" in html and "修改" in html
    changed = rows[LogEntry.Action.UPDATE]
    assert ("—", "2026-11-27") in [(old, new) for _f, old, new in changed]
    assert ("书记", "委员") in [(old, new) for _f, old, new in changed]
    labels = [str(Position._meta.get_field(f).verbose_name) for f in ("ended_on", "title")]
    assert sorted(f for f, _o, _n in changed) == sorted(labels)  # jsonb keeps no key order


def test_times_are_local_and_yes_no_is_said():
    from meetings.models import Meeting
    from portal.audit import _shown

    filed_at = Meeting._meta.get_field("filed_at")
    # auditlog writes a time as UTC without its zone; the portal shows Beijing time
    assert _shown(filed_at, "2026-11-28 11:35:48.770371", {}) == "2026-11-28 19:35"
    assert _shown(filed_at, "2026-11-28 11:35:48+00:00", {}) == "2026-11-28 19:35"
    assert _shown(filed_at, "None", {}) == "—"
    from assessment.models import Contest

    published = Contest._meta.get_field("is_published")
    assert (_shown(published, "True", {}), _shown(published, "False", {})) == ("是", "否")
