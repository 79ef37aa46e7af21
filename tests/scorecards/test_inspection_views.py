"""Recording inspections (听、看、查、访) with scores and a photo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from scorecards.models import Inspection
from tests.scorecards.conftest import inspect, small_set

pytestmark = pytest.mark.django_db

NEW = reverse("scorecards:inspection_create")


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("visit.jpg", buffer.getvalue(), content_type="image/jpeg")


def data(world, **changes):
    return {
        "branch": world.branch.pk,
        "method": "listen",
        "visited_on": "2026-08-12",
        "findings": "旁听了支部党课，讨论热烈",
        "problems": "个别党员笔记不全",
        "score_venue": "8.5",
        "quarter": "2026-Q3",
        **changes,
    }


def test_an_inspector_records_a_visit_with_scores_and_a_photo(as_user, world):
    small_set(world.committee)
    client = as_user(world.committee_user)
    form_page = client.get(NEW, {"quarter": "2026-Q3"})
    assert "score_venue" in form_page.context["form"].fields
    response = client.post(NEW, {**data(world), "photo": photo()})
    inspection = Inspection.objects.get()
    assert response["Location"] == reverse("scorecards:inspection", args=[inspection.pk])
    assert inspection.scores.get().points == 8.5 and inspection.inspector == world.committee_user
    picture = inspection.photos.get()
    detail = client.get(response["Location"])
    assert "个别党员笔记不全" in detail.content.decode()
    image_url = reverse("scorecards:inspection_photo", args=[inspection.pk, picture.pk])
    assert client.get(image_url).status_code == 200
    assert as_user(world.outsider).get(image_url).status_code == 404
    assert as_user(world.other_secretary).get(image_url).status_code == 404


def test_a_score_above_the_maximum_is_refused_next_to_its_field(as_user, world):
    small_set(world.committee)
    response = as_user(world.committee_user).post(NEW, data(world, score_venue="11"))
    assert response.status_code == 200
    assert "score_venue" in response.context["form"].errors
    assert not Inspection.objects.exists()


def test_a_branch_outside_the_committee_cannot_be_chosen(as_user, world):
    small_set(world.committee)
    response = as_user(world.committee_user).post(NEW, data(world, branch=world.other_branch.pk))
    assert "branch" in response.context["form"].errors
    future = as_user(world.committee_user).post(NEW, data(world, visited_on="2099-01-01"))
    assert "visited_on" in future.context["form"].errors


def test_list_query_count(as_user, world, many_branches, django_assert_num_queries):
    small_set(world.committee)
    for b in many_branches:
        inspect(world.committee, b, world.committee_user, 5)
    client = as_user(world.committee_user)
    # 1 session, 1 user, 1 change stamps (the scope's key), 2 scope, 1 committees of the
    # user (read once a request), 1 count, 1 page of inspections with branch and inspector,
    # 1 their scores (prefetch)
    with django_assert_num_queries(9):
        response = client.get(reverse("scorecards:inspections"), {"quarter": "2026-Q3"})
    assert len(response.context["page"]) == 10


def test_the_branch_secretary_sees_the_inspection_of_their_branch_but_the_outsider_does_not(
    as_user, world
):
    small_set(world.committee)
    inspection = inspect(world.committee, world.branch, world.committee_user, 5)
    url = reverse("scorecards:inspection", args=[inspection.pk])
    assert as_user(world.secretary).get(url).status_code == 200
    assert as_user(world.other_secretary).get(url).status_code == 404
    assert as_user(world.outsider).get(url).status_code == 404
    assert as_user(world.outsider).get(NEW, {"committee": world.committee.pk}).status_code == 404
    assert as_user(world.outsider).get(reverse("scorecards:inspections")).status_code == 404
