"""No input a user can send produces a server error, and refused writes change nothing.

(Action URLs that need no input, such as submit, may legitimately act.)"""

import pytest
from django.urls import reverse

from learning.models import Reflection, StudyPlan
from tests.learning.test_access import _object_urls

GARBAGE = {
    "decision": "maybe",
    "grade": "superb",
    "comment": "x" * 5000,
    "minutes": "-5",
    "studied_on": "2026-02-30",
    "year": "abc",
    "period": "99",
    "period_kind": "week",
    "hours": "NaN",
    "organisation": "999999",
    "material": "abc",
    "due_on": "tomorrow",
    "adopted_on": "x",
    "recorded_on": "",
    "speaker": "0",
    "text": "",
    "exemplar": "1",
}


@pytest.mark.parametrize("who", ["member", "secretary", "committee_user"])
def test_garbage_never_gives_a_server_error(as_user, world, records, who):
    client = as_user(getattr(world, who))
    plans_before = list(StudyPlan.objects.values_list("pk", "goals", "target_hours"))
    for name, pk in _object_urls(world, records):
        url = reverse(name, args=[pk])
        assert client.post(url, GARBAGE).status_code < 500, name
        assert client.get(url + "?page=zz&year=-1&export=nope").status_code < 500, name
    for name in (
        "learning:plans",
        "learning:reflections",
        "learning:materials",
        "learning:reports",
        "learning:plan_create",
        "learning:reflection_create",
        "learning:material_create",
        "learning:branch_plan_create",
        "learning:report_create",
        "learning:activities",
        "learning:centre_group",
        "learning:logs",
    ):
        url = reverse(name)
        assert (
            client.get(url + "?status=nonsense&year=x&page=-3&topic=9x&material=abc").status_code
            < 500
        ), name
        assert client.post(url, GARBAGE).status_code < 500, name
    assert list(StudyPlan.objects.values_list("pk", "goals", "target_hours")) == plans_before
    assert Reflection.objects.count() == 1
