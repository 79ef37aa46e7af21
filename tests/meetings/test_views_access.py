"""Every meetings URL of another branch answers 404 to an outsider (never 403), GET and POST."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import ical, services
from meetings.models import Meeting, Talk
from tests.meetings.conftest import PNG, at, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(world, frozen):
    meeting = record(
        world.branch, Meeting.Kind.ORGANISATIONAL_LIFE, when=at(2026, 6, 10), by=world.secretary
    )
    attachment = services.attachment_add(
        meeting=meeting,
        by=world.secretary,
        category="photo",
        upload=SimpleUploadedFile("p.png", PNG, content_type="image/png"),
    )
    talk = services.talk_create(
        organisation=world.branch,
        initiator=world.secretary,
        partner=world.member,
        held_on=at(2026, 6, 1).date(),
        topic="谈工作",
        by=world.secretary,
    )
    token = services.checkin_token(meeting)
    return meeting, attachment, talk, token


def urls(world, meeting, attachment, talk, token):
    m, b = meeting.pk, world.branch.pk
    return [
        reverse("meetings:detail", args=[m]),
        reverse("meetings:edit", args=[m]),
        reverse("meetings:attendance", args=[m]),
        reverse("meetings:submit", args=[m]),
        reverse("meetings:archive", args=[m]),
        reverse("meetings:return", args=[m]),
        reverse("meetings:amend", args=[m]),
        reverse("meetings:attachment_upload", args=[m]),
        reverse("meetings:attachment", args=[m, attachment.pk]),
        reverse("meetings:attachment_delete", args=[m, attachment.pk]),
        reverse("meetings:checkin_display", args=[m]),
        reverse("meetings:checkin", args=[m, token]),
        reverse("meetings:life", args=[m]),
        reverse("meetings:calendar", args=[b]),
        reverse("meetings:ledger", args=[b]) + "?start=2026-01-01&end=2026-12-31&format=docx",
        reverse("meetings:review", args=[b]),
        reverse("meetings:committee", args=[world.committee.pk]),
        reverse("meetings:talk", args=[talk.pk]),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404_on_every_meetings_url(as_user, world, targets, method):
    client = as_user(world.outsider)
    for url in urls(world, *targets):
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), url
        if (
            method == "get"
            and "/submit/" not in url
            and "/archive/" not in url
            and "/return/" not in url
            and "/delete/" not in url
            and not url.endswith("/attachments/")
        ):
            assert response.status_code == 404, url
    assert Meeting.objects.get(pk=targets[0].pk).status == Meeting.Status.DRAFT


def test_outsider_posts_change_nothing(as_user, world, targets):
    meeting = targets[0]
    client = as_user(world.outsider)
    assert client.post(reverse("meetings:submit", args=[meeting.pk])).status_code == 404
    assert (
        client.post(reverse("meetings:edit", args=[meeting.pk]), {"topic": "x"}).status_code == 404
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.topic == "研究工作"


def test_sibling_secretary_gets_404_on_another_branch(as_user, world, targets):
    client = as_user(world.other_secretary)
    for url in urls(world, *targets)[:3]:
        assert client.get(url).status_code == 404, url


def test_member_sees_but_cannot_manage_own_branch_record(as_user, world, targets):
    meeting = targets[0]
    client = as_user(world.member)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:submit", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:calendar", args=[world.branch.pk])).status_code == 404


def test_talk_is_visible_only_to_the_two_and_the_branch_secretary(as_user, world, targets):
    talk = targets[2]
    url = reverse("meetings:talk", args=[talk.pk])
    assert as_user(world.member).get(url).status_code == 200
    assert as_user(world.secretary).get(url).status_code == 200
    assert as_user(world.committee_user).get(url).status_code == 404
    assert Talk.objects.visible_to(world.committee_user).count() == 0


def test_outsider_lists_show_nothing_of_another_tree(as_user, world, targets):
    client = as_user(world.outsider)
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 200 and len(response.context["page"]) == 0
    response = client.get(reverse("meetings:list") + "?export=xlsx")
    assert "研究工作".encode() not in response.content


def test_ical_feed_with_a_bad_token_is_404(client, world):
    assert client.get(reverse("meetings:ical_feed", args=["nope:nope"])).status_code == 404
    token = ical.feed_token(world.member)
    assert client.get(reverse("meetings:ical_feed", args=[token + "x"])).status_code == 404


def test_outsider_pages_of_their_own_show_nothing_of_another_tree(as_user, world, targets):
    client = as_user(world.outsider)
    dashboard = client.get(reverse("meetings:dashboard"))
    assert dashboard.context["due"] == [] and dashboard.context["upcoming"] == []
    assert "研究工作" not in dashboard.content.decode()
    assert len(client.get(reverse("meetings:talks")).context["page"]) == 0
    assert client.get(reverse("meetings:import")).status_code == 404
    assert client.get(reverse("meetings:create")).status_code == 404
    assert client.get(reverse("meetings:self_assessment")).context["form"] is None
    talk_form = client.get(reverse("meetings:talk_create")).context["form"]
    partners = talk_form.fields["partner"].queryset
    assert world.member not in partners and world.secretary not in partners
