"""The committee's indicator pages: list, add, change (copy-on-edit), remove."""

import pytest
from django.urls import reverse

from scorecards.models import IndicatorSet
from scorecards.services import scorecard_build_request, scorecard_build_run
from tests.scorecards.conftest import Q3, small_set

pytestmark = pytest.mark.django_db

LIST = reverse("scorecards:indicators")
EDIT = reverse("scorecards:indicator_edit")


def form(**changes):
    data = {
        "code": "venue",
        "name": "学习阵地建设",
        "dimension": "conditions",
        "kind": "inspected",
        "metric": "",
        "weight": "0.5",
        "max_points": "10",
        "description": "",
        "position": "1",
        "quarter": "2026-Q3",
    }
    return {**data, **changes}


def test_list_shows_the_set_in_force(as_user, world):
    small_set(world.committee)
    response = as_user(world.committee_user).get(LIST, {"quarter": "2026-Q3"})
    assert response.status_code == 200
    assert [i.code for i in response.context["indicators"]] == ["venue", "innovation"]


def test_editing_a_used_set_saves_a_new_version(as_user, world):
    original = small_set(world.committee)
    scorecard_build_run(build_id=scorecard_build_request(committee=world.committee, period=Q3).pk)
    client = as_user(world.committee_user)
    assert (
        client.get(EDIT, {"quarter": "2026-Q3", "code": "venue"}).context["form"].initial["weight"]
        == 1
    )
    response = client.post(f"{EDIT}?quarter=2026-Q3", form())
    assert response.status_code == 302
    assert IndicatorSet.objects.filter(committee=world.committee).count() == 2
    assert original.indicators.get(code="venue").weight == 1
    newest = IndicatorSet.objects.in_force(world.committee, Q3)
    assert newest.version == 2 and str(newest.indicators.get(code="venue").weight) == "0.50"


def test_bad_input_is_explained_next_to_its_field_and_saves_nothing(as_user, world):
    small_set(world.committee)
    client = as_user(world.committee_user)
    response = client.post(EDIT, form(kind="computed", metric="", max_points="1000"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "metric" in errors and "max_points" in errors
    assert IndicatorSet.objects.get().indicators.get(code="venue").weight == 1


def test_remove(as_user, world):
    small_set(world.committee)
    as_user(world.committee_user).post(
        reverse("scorecards:indicator_remove"), {"code": "venue", "quarter": "2026-Q3"}
    )
    assert list(IndicatorSet.objects.get().indicators.values_list("code", flat=True)) == [
        "innovation"
    ]


def test_outsiders_and_branch_secretaries_get_404(as_user, world):
    small_set(world.committee)
    for user in (world.outsider, world.secretary, world.member):
        client = as_user(user)
        assert client.get(LIST).status_code == 404
        assert client.get(LIST, {"committee": world.committee.pk}).status_code == 404
        assert client.post(EDIT, {**form(), "committee": world.committee.pk}).status_code == 404
        assert (
            client.post(
                reverse("scorecards:indicator_remove"),
                {"committee": world.committee.pk, "code": "venue"},
            ).status_code
            == 404
        )
    assert IndicatorSet.objects.get().indicators.count() == 2
