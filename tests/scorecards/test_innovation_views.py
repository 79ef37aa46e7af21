"""学习创新: branches file innovations and the committee scores them."""

import pytest
from django.urls import reverse

from scorecards.models import Innovation
from tests.scorecards.conftest import in_q4  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_secretary_files_and_the_committee_scores(as_user, world, in_q4):  # noqa: F811
    secretary = as_user(world.secretary)
    listing = secretary.get(reverse("scorecards:innovations"))
    assert list(listing.context["filing_branches"]) == [world.branch]
    response = secretary.post(
        reverse("scorecards:innovation_create", args=[world.branch.pk]),
        {"kind": "method", "title": "“学习强国”积分赛", "description": "每月比一次积分"},
    )
    innovation = Innovation.objects.get()
    assert (innovation.year, innovation.quarter, innovation.status) == (2026, 4, "filed")
    url = reverse("scorecards:innovation", args=[innovation.pk])
    assert response["Location"] == url
    # The secretary cannot score their own innovation.
    assert secretary.get(url).context["form"] is None
    assert secretary.post(url, {"score": 100}).status_code == 404
    committee = as_user(world.committee_user)
    bad = committee.post(url, {"score": 150})
    assert "score" in bad.context["form"].errors
    committee.post(url, {"score": 85, "comment": "可推广"})
    innovation.refresh_from_db()
    assert innovation.status == "scored" and innovation.score == 85


def test_a_member_cannot_file_and_outsiders_see_nothing(as_user, world):
    innovation = Innovation.objects.create(
        branch=world.branch,
        kind="form",
        title="读书角",
        description="…",
        filed_by=world.secretary,
        year=2026,
        quarter=3,
    )
    url = reverse("scorecards:innovation", args=[innovation.pk])
    assert (
        as_user(world.member)
        .get(reverse("scorecards:innovation_create", args=[world.branch.pk]))
        .status_code
        == 404
    )
    assert as_user(world.member).get(url).status_code == 200  # their own branch's work
    assert as_user(world.outsider).get(url).status_code == 404
    assert as_user(world.other_secretary).get(url).status_code == 404
    assert (
        as_user(world.outsider)
        .get(reverse("scorecards:innovations"))
        .context["page"]
        .paginator.count
        == 0
    )


def test_list_query_count(as_user, world, django_assert_num_queries):
    for n in range(12):
        Innovation.objects.create(
            branch=world.branch,
            kind="form",
            title=f"创新{n}",
            description="…",
            filed_by=world.secretary,
            year=2026,
            quarter=3,
        )
    client = as_user(world.committee_user)
    # 1 session, 1 user, 1 change stamps (the scope's key), 2 scope, 1 count, 1 page with
    # branch and filer, 1 filing branches
    with django_assert_num_queries(8):
        response = client.get(reverse("scorecards:innovations"))
    assert len(response.context["page"]) == 12
