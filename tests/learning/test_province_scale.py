"""Province scale (issue 8): who sees which plans and what waits for review, read from few
rows; a committee's counts kept under the database's change stamp and never stale."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from learning import counting, selectors, services
from learning.models import Reflection, StudyForm, StudyPlan, Topic
from portal import stamps
from portal.models import Membership, Organisation, Position, User
from portal.scoping import scope_for
from tests.factories import PositionFactory, UserFactory, member_of
from tests.learning.conftest import TODAY, submitted_reflection

POSTGRES = connection.vendor == "postgresql"


def _has_stamp_trigger(table: str) -> bool:
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = 'portal_changestamp' "
                "AND tgrelid = %s::regclass",
                [table],
            )
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [f"portal_changestamp_{table}_insert"],
            )
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_the_stamp_triggers_are_installed_even_without_migrations():
    # The suite builds its tables without migrations; post_migrate installs the triggers.
    assert all(_has_stamp_trigger(table) for table in counting.PLANS)


def file_plan(user: User, *, year: int = 2026, submit: bool = True) -> StudyPlan:
    plan = services.study_plan_save(
        user=user, year=year, goals="目标", topics="专题", methods="", target_hours=40
    )
    return services.study_plan_submit(plan=plan) if submit else plan


def fresh(user: User) -> User:
    """The user read again: a new request's scope."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def plans(world):
    """Plans of everyone in both trees, one of them filed in one branch by a member who has
    moved to another since, one of a user whose membership ended, and a group leader."""
    for person in (
        world.committee_user,
        world.secretary,
        world.member,
        world.other_secretary,
        world.outsider,
    ):
        file_plan(person)
    file_plan(world.member, year=2025, submit=False)
    moved = member_of(world.branch, username="moved", name="调动者")
    file_plan(moved)
    Membership.objects.filter(user=moved).update(branch=world.sibling_branch)
    gone = member_of(world.branch, username="gone", name="离开者")
    file_plan(gone)
    Membership.objects.filter(user=gone).delete()
    leader = member_of(world.branch, group_org=world.group, username="leader", name="组长")
    PositionFactory(user=leader, organisation=world.group, title=Position.Title.GROUP_LEADER)
    file_plan(leader)
    world.moved, world.gone, world.leader = moved, gone, leader
    return world


def personas(world) -> list[User]:
    superuser = UserFactory(username="root", is_superuser=True)
    return [
        world.committee_user,
        world.secretary,
        world.member,
        world.other_secretary,
        world.outsider,
        world.moved,
        world.gone,
        world.leader,
        superuser,
    ]


def test_visible_plans_are_those_of_members_in_scope(plans):
    for person in personas(plans):
        user = fresh(person)
        expected = set(
            StudyPlan.objects.filter(scope_for(user).members_q(prefix="user__membership__"))
        )
        assert set(StudyPlan.objects.visible_to(fresh(person))) == expected, person.username


def test_visible_plans_follow_the_membership_not_the_branch_filed_in(plans):
    secretary = set(StudyPlan.objects.visible_to(fresh(plans.secretary)).filter(year=2026))
    sibling = set(StudyPlan.objects.visible_to(fresh(plans.other_secretary)).filter(year=2026))
    moved_plan = StudyPlan.objects.get(user=plans.moved)
    assert moved_plan.organisation == plans.branch
    assert moved_plan not in secretary
    assert moved_plan in sibling
    assert not StudyPlan.objects.visible_to(fresh(plans.gone)).exists()
    leader = set(StudyPlan.objects.visible_to(fresh(plans.leader)))
    assert {p.user for p in leader} == {plans.secretary, plans.member, plans.leader}


def test_waiting_reflections_are_those_the_list_shows(world, records):
    submitted_reflection(world.member)
    submitted_reflection(world.secretary)
    submitted_reflection(world.other_secretary)
    submitted_reflection(world.outsider)
    for person in (world.committee_user, world.secretary, world.other_secretary, world.member):
        user = fresh(person)
        listed = selectors.reflection_list(user).filter(status=Reflection.Status.SUBMITTED)
        assert selectors.waiting_reflection_count(user, own=True) == listed.count()
        others = listed.filter(~Q(author=user)).count()
        assert selectors.waiting_reflection_count(fresh(person), own=False) == others


def plan_list_count(client) -> int:
    response = client.get(reverse("learning:plans"))
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_a_committee_plan_count_shows_every_change_at_once(as_user, plans):
    client = as_user(plans.committee_user)
    in_tree = {plans.committee_user, plans.secretary, plans.member, plans.other_secretary}
    in_tree |= {plans.moved, plans.leader}
    assert plan_list_count(client) == len(in_tree)
    assert plan_list_count(client) == len(in_tree)  # from the cache on PostgreSQL
    newcomer = member_of(plans.sibling_branch, username="newcomer")
    file_plan(newcomer)
    assert plan_list_count(client) == len(in_tree) + 1
    # A bulk update (a roster import) moving a member out of the tree.
    Membership.objects.filter(user=newcomer).update(branch=plans.other_branch)
    assert plan_list_count(client) == len(in_tree)
    StudyPlan.objects.filter(user=plans.member, year=2026).delete()
    assert plan_list_count(client) == len(in_tree) - 1
    # The tree itself: the sibling branch moves under the other committee.
    Membership.objects.filter(user=newcomer).update(branch=plans.sibling_branch)
    assert plan_list_count(client) == len(in_tree)
    Organisation.objects.move(plans.sibling_branch, plans.other_committee, "last-child")
    assert plan_list_count(client) == len(in_tree) - 3  # other_secretary, moved, newcomer


def test_a_committee_plan_list_reads_the_count_from_the_cache(
    as_user, plans, django_assert_num_queries
):
    client = as_user(plans.committee_user)
    url = reverse("learning:plans")
    # Session, user, the stamps, the scope (2), the count, the page.
    with django_assert_num_queries(5 + 2):
        assert client.get(url).status_code == 200
    # The scope and the page's body are cached: session, user, the stamps.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    # Another page of the same list: the count from the cache, the page.
    with django_assert_num_queries(3 + 1):
        assert client.get(url + "?page=2").status_code == 200


def test_the_stamps_change_with_plans_memberships_and_the_tree(plans):
    seen = {stamps.read(counting.PLANS)}
    file_plan(member_of(plans.branch, username="another"))
    seen.add(stamps.read(counting.PLANS))
    Membership.objects.filter(user=plans.member).update(department="宣传部")
    seen.add(stamps.read(counting.PLANS))
    plans.group.name = "新名"
    plans.group.save()
    seen.add(stamps.read(counting.PLANS))
    assert None not in seen
    assert len(seen) == 4


def review_card(client) -> dict:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    (card,) = [c for c in response.context["cards"] if c.template == "learning/_card_reviews.html"]
    return card.context


def test_the_committee_review_card_counts_new_submissions_at_once(as_user, world, records):
    client = as_user(world.committee_user)
    before = review_card(client)
    assert review_card(client) == before
    services.study_plan_submit(plan=records.plan)
    submitted_reflection(world.member)
    after = review_card(client)
    assert after["plans"] == before["plans"] + 1
    assert after["reflections"] == before["reflections"] + 1
    services.study_plan_review(
        plan=StudyPlan.objects.get(pk=records.plan.pk), by=world.secretary, approve=True, comment=""
    )
    assert review_card(client)["plans"] == before["plans"]


def test_the_reflection_list_names_author_and_branch(as_user, world, records):
    submitted_reflection(world.member, title="名字测试")
    response = as_user(world.secretary).get(reverse("learning:reflections"))
    content = response.content.decode()
    assert "名字测试" in content
    assert world.member.name in content
    assert world.branch.name in content


def test_the_archive_sums_minutes_by_method_and_by_topic(world, records):
    other = Topic.objects.create(name="党史")
    for minutes, method, topic in (
        (30, StudyForm.SELF, records.topic),
        (45, StudyForm.LECTURE, other),
        (15, StudyForm.LECTURE, None),
        (50, StudyForm.SELF, other),
    ):
        services.study_log_create(
            user=world.member, studied_on=TODAY, minutes=minutes, method=method, topic=topic
        )
    archive = selectors.archive_for(world.member, 2026)
    # records: 60 minutes of self-study on a material, no topic
    assert archive.minutes_by_method == [
        (str(StudyForm.LECTURE.label), 60),
        (str(StudyForm.SELF.label), 140),
    ]
    assert archive.minutes_by_topic == [("党史", 95), ("—", 75), (records.topic.name, 30)]
    assert archive.total_minutes == 200


def test_visible_reflections_are_own_in_scope_and_branch_exemplars(world, records):
    leader = member_of(world.branch, group_org=world.group, username="leader2", name="组长二")
    PositionFactory(user=leader, organisation=world.group, title=Position.Title.GROUP_LEADER)
    for author in (world.secretary, world.other_secretary, world.outsider, leader):
        submitted_reflection(author)
    exemplar = Reflection.objects.get(pk=records.reflection.pk)
    services.reflection_review(
        reflection=exemplar, by=world.secretary, accept=True, grade="good", comment=""
    )
    services.reflection_set_exemplar(reflection=exemplar, exemplar=True)
    superuser = UserFactory(username="root2", is_superuser=True)
    for person in (
        world.committee_user,
        world.secretary,
        world.member,
        world.other_secretary,
        world.outsider,
        leader,
        superuser,
    ):
        scope = scope_for(fresh(person))
        if scope.is_superuser:
            expected = set(Reflection.objects.all())
        else:
            condition = Q(author_id=person.pk)
            for path in scope.oversee_paths | scope.manage_paths:
                condition |= Q(organisation__path__startswith=path)
            if scope.own_branch_id:
                condition |= Q(organisation_id=scope.own_branch_id, is_exemplar=True)
            expected = set(Reflection.objects.filter(condition))
        assert set(Reflection.objects.visible_to(fresh(person))) == expected, person.username


def test_the_plan_and_reflection_exports_keep_their_columns(as_user, world, records):
    services.study_plan_submit(plan=records.plan)
    client = as_user(world.secretary)
    plans = load_workbook(
        io.BytesIO(client.get(reverse("learning:plans") + "?export=xlsx").content)
    ).active
    rows = [[cell.value for cell in row] for row in plans.iter_rows(min_row=2)]
    assert [world.member.name, world.branch.name, 2026, 60, 1, "已提交"] in rows
    reflections = load_workbook(
        io.BytesIO(client.get(reverse("learning:reflections") + "?export=xlsx").content)
    ).active
    titles = [row[0].value for row in reflections.iter_rows(min_row=2)]
    assert records.reflection.title in titles
