"""What every list shares: pages counted only so far, an organisation filter that drills
down, choice labels, and the any_of lookup."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from meetings.models import Meeting
from portal.models import Membership, Organisation, Position
from portal.paging import PAGE_SIZE, paginate
from portal.selectors import filter_organisations
from tests.factories import branch, group, member_of


def _request(page: str = ""):
    return RequestFactory().get("/", {"page": page} if page else {})


@pytest.mark.django_db
def test_a_short_list_is_counted_exactly(world, monkeypatch):
    monkeypatch.setattr("portal.paging.COUNT_AT_LEAST", 3)
    # 5 members in the world; with a limit of max(3, (1 + 10) × 2) = 22 they are all counted
    page = paginate(_request(), Membership.objects.order_by("pk"), per_page=2)
    assert (page.paginator.count, page.paginator.more, page.paginator.num_pages) == (5, False, 3)


@pytest.mark.django_db
def test_a_long_list_is_counted_only_so_far_and_next_still_leads_on(world, monkeypatch):
    monkeypatch.setattr("portal.paging.COUNT_AT_LEAST", 1)
    for k in range(20):
        member_of(world.branch, username=f"many{k}")
    everyone = Membership.objects.order_by("pk")
    total = everyone.count()
    page = paginate(_request(), everyone, per_page=1)
    # counted up to (page 1 + 10) × 1 = 11 rows, not all of them
    assert page.paginator.more and page.paginator.count == 11 < total
    assert page.has_next()
    # further on, the count reaches further: page 15 exists and shows the 15th member
    page = paginate(_request("15"), everyone, per_page=1)
    assert page.number == 15 and list(page) == [everyone[14]]
    # the last page is counted exactly again
    page = paginate(_request(str(total)), everyone, per_page=1)
    assert not page.paginator.more and page.number == total and not page.has_next()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "-1", "0", "99999999999999999999", "1e9", "２"])
def test_any_page_number_gives_a_page(as_user, world, raw):
    response = as_user(world.committee_user).get(reverse("portal:members"), {"page": raw})
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_page_says_more_than_when_not_all_were_counted(as_user, world, monkeypatch):
    monkeypatch.setattr("portal.paging.COUNT_AT_LEAST", 1)
    monkeypatch.setattr("portal.paging.paginate.__defaults__", (1,))
    for k in range(15):
        member_of(world.branch, username=f"more{k}")
    html = as_user(world.committee_user).get(reverse("portal:members")).content.decode()
    assert "共 11 条以上" in html and "共11页以上" in html
    assert "?page=2" in html


def test_page_size_suits_a_phone():
    assert PAGE_SIZE == 25


# --- the organisation filter -----------------------------------------------------------


@pytest.fixture
def wide(world):
    """Under the committee: a 党总支 with three branches, each with a group."""
    general = branch(world.committee, "机关党总支")
    general.kind = Organisation.Kind.GENERAL_BRANCH
    general.save()
    below = [branch(general, f"总支第{n}党支部") for n in range(3)]
    for b in below:
        group(b, f"{b.name}党小组")
    return general, below


def _names(user, selected=None):
    return [o.name for o in filter_organisations(user, selected)]


@pytest.mark.django_db
def test_the_filter_offers_the_top_levels_then_drills_down(world, wide):
    general, below = wide
    top = _names(world.committee_user)
    # the committee and the level below it, not the branches of the 党总支
    assert top[0] == world.committee.name
    assert general.name in top and world.branch.name in top
    assert not any(b.name in top for b in below)
    # choosing the 党总支 offers its ancestors, itself and its branches
    chosen = _names(world.committee_user, str(general.pk))
    assert chosen[:2] == [world.committee.name, general.name] or general.name in chosen
    assert all(b.name in chosen for b in below)
    assert not any(n.endswith("党小组") and "总支" in n for n in chosen)


@pytest.mark.django_db
def test_the_filter_never_offers_what_is_not_visible(world, wide):
    # an outsider's organisation chosen by id offers nothing of it
    offered = _names(world.committee_user, str(world.other_committee.pk))
    assert world.other_committee.name not in offered
    assert world.other_branch.name not in offered
    # and a secretary is offered their branch and its group only
    assert set(_names(world.secretary)) == {world.branch.name, world.group.name}


@pytest.mark.django_db
def test_a_branch_below_the_top_levels_can_be_chosen_and_filters(as_user, world, wide):
    _general, below = wide
    member_of(below[1], username="deep", name="深层党员")
    response = as_user(world.committee_user).get(
        reverse("portal:members"), {"organisation": below[1].pk}
    )
    assert response.status_code == 200
    names = [m.user.name for m in response.context["page"]]
    assert names == ["深层党员"]
    html = response.content.decode()
    assert f'<option value="{below[1].pk}" selected>' in html


@pytest.mark.django_db
def test_an_outsiders_organisation_is_refused_in_the_filter(as_user, world):
    response = as_user(world.committee_user).get(
        reverse("meetings:list"), {"organisation": world.other_branch.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]


# --- choice labels and any_of ----------------------------------------------------------


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="en")
def test_choice_labels_follow_the_active_language(world):
    from django.utils import translation

    post = Position.objects.filter(user=world.secretary).get()
    with translation.override("zh-hans"):
        assert post.get_title_display() == "书记"
    with translation.override("en"):
        assert post.get_title_display() == "Secretary"
    post.title = "not-a-title"
    assert post.get_title_display() == "not-a-title"


@pytest.mark.django_db
def test_any_of_finds_the_same_rows_as_in(world):
    mine = Membership.objects.filter(branch=world.branch).values("user_id")
    assert set(Membership.objects.filter(user_id__any_of=mine)) == set(
        Membership.objects.filter(user_id__in=mine)
    )
    assert set(Meeting.objects.filter(organisation_id__any_of=mine)) == set()
    branches = Organisation.objects.filter(kind=Organisation.Kind.BRANCH).values("pk")
    assert set(Membership.objects.filter(branch__any_of=branches)) == set(
        Membership.objects.filter(branch__in=branches)
    )


@pytest.mark.django_db
def test_any_of_drops_the_subquerys_ordering(world):
    # Attendance is ordered by default (by meeting, guest, name): inside the subquery that
    # ordering joined two tables and sorted for nothing.
    from meetings.models import Attendance

    mine = Attendance.objects.filter(user=world.member).values("meeting_id")
    sql = str(Meeting.objects.filter(pk__any_of=mine).order_by().query)
    assert "ORDER BY" not in sql
