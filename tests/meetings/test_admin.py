"""The admin edits compliance rules; an archived meeting is read-only there too."""

import pytest
from django.urls import reverse

from meetings.models import ComplianceRule, Meeting
from portal.models import User
from tests.meetings.conftest import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-12345678", name="管理员")
    client.force_login(admin)
    return client


def test_archived_meeting_is_read_only_in_the_admin(admin_client, world, frozen):
    meeting = record(world.branch, by=world.secretary, status="archived")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="topic"' not in page.content.decode()
    response = admin_client.post(url, {"topic": "改过", "kind": meeting.kind})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.topic == "研究工作"
    delete = admin_client.post(
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_draft_meeting_is_editable_in_the_admin(admin_client, world, frozen):
    meeting = record(world.branch, by=world.secretary)
    page = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert 'name="topic"' in page.content.decode()


def test_compliance_rules_are_listed_and_editable(admin_client, world):
    rule = ComplianceRule.objects.create(
        kind="party_lecture", organisation_kind="branch", period="year", minimum=2
    )
    assert admin_client.get(reverse("admin:meetings_compliancerule_changelist")).status_code == 200
    assert (
        admin_client.get(
            reverse("admin:meetings_compliancerule_change", args=[rule.pk])
        ).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:meetings_complianceexemption_add")).status_code == 200
