"""Materials: filed by officers, assigned as 必学/选学 to a subtree, each member's read status."""

import datetime

from django.urls import reverse

from learning.models import Assignment, Material
from tests.factories import member_of
from tests.learning.conftest import TODAY


def test_secretary_files_a_link_material_with_a_new_topic(as_user, world):
    response = as_user(world.secretary).post(
        reverse("learning:material_create"),
        {
            "organisation": world.branch.pk,
            "kind": "link",
            "title": "学习强国文章",
            "url": "https://www.xuexi.cn/a",
            "new_topic": "理论武装",
        },
    )
    material = Material.objects.get()
    assert response.status_code == 302
    assert [t.name for t in material.topics.all()] == ["理论武装"]


def test_link_without_address_is_refused(as_user, world):
    response = as_user(world.secretary).post(
        reverse("learning:material_create"),
        {"organisation": world.branch.pk, "kind": "link", "title": "x"},
    )
    assert response.context["form"].errors["url"]


def test_member_cannot_file_materials(as_user, world):
    assert as_user(world.member).get(reverse("learning:material_create")).status_code == 404


def test_committee_assigns_to_the_subtree_and_members_see_it_as_required(as_user, world, records):
    as_user(world.committee_user).post(
        reverse("learning:material_assign", args=[records.material.pk]),
        {"organisation": world.committee.pk, "requirement": "elective", "due_on": "2026-07-01"},
    )
    assert Assignment.objects.filter(organisation=world.committee).exists()
    sibling_member = member_of(world.sibling_branch, username="sib")
    home = as_user(sibling_member).get(reverse("learning:home"))
    assert records.material.title in home.content.decode()


def test_past_deadline_is_refused(as_user, world, records):
    as_user(world.secretary).post(
        reverse("learning:material_assign", args=[records.material.pk]),
        {"organisation": world.group.pk, "requirement": "required", "due_on": "2026-01-01"},
    )
    assert not Assignment.objects.filter(organisation=world.group).exists()


def test_secretary_cannot_assign_to_the_sibling_branch(as_user, world, records):
    response = as_user(world.secretary).post(
        reverse("learning:material_assign", args=[records.material.pk]),
        {
            "organisation": world.sibling_branch.pk,
            "requirement": "required",
            "due_on": "2026-07-01",
        },
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(organisation=world.sibling_branch).exists()


def test_member_marks_read_and_the_secretary_sees_read_status(as_user, world, records):
    as_user(world.member).post(reverse("learning:material_read", args=[records.material.pk]))
    page = as_user(world.secretary).get(reverse("learning:material", args=[records.material.pk]))
    status = {m.user.username: m.has_read for m in page.context["read_page"]}
    assert status["member"] is True and status["secretary"] is False
    export = as_user(world.secretary).get(
        reverse("learning:material", args=[records.material.pk]) + "?export=xlsx"
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_due_date_in_the_assignment_list_shows_in_chinese(as_user, world, records):
    body = as_user(world.member).get(reverse("learning:home")).content.decode()
    due = TODAY + datetime.timedelta(days=30)
    assert f"{due.year}年{due.month}月{due.day}日" in body
