"""A script in a reflection runs nowhere it is shown: the server keeps only formatting."""

import pytest
from django.urls import reverse

from learning import services
from tests.learning.conftest import submitted_reflection

HOSTILE = (
    '<p>体会<script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">链接</a><b onclick="alert(4)">粗体</b></p>'
    "<svg><script>alert(5)</script></svg><iframe src=//evil></iframe>"
)


def _assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in ("<script>alert", "onerror", "onclick", "javascript:", "<iframe", "<svg"):
        assert needle not in lowered, needle


def test_stored_body_keeps_formatting_only(world):
    reflection = submitted_reflection(world.member, body=HOSTILE)
    _assert_harmless(reflection.body)
    assert "<b>粗体</b>" in reflection.body


@pytest.mark.parametrize("viewer", ["member", "secretary", "committee_user"])
def test_every_page_that_shows_it_is_harmless(as_user, world, viewer):
    reflection = submitted_reflection(world.member, body=HOSTILE, title="<script>alert(6)</script>")
    services.reflection_review(
        reflection=reflection,
        by=world.secretary,
        accept=True,
        grade="good",
        comment="<script>alert(7)</script>",
    )
    services.reflection_set_exemplar(reflection=reflection, exemplar=True)
    client = as_user(getattr(world, viewer))
    for url in (
        reverse("learning:reflection", args=[reflection.pk]),
        reverse("learning:reflections"),
        reverse("learning:exemplars"),
        reverse("learning:home"),
        reverse("learning:archive", args=[world.member.pk]) + "?year=2026",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_harmless(response.content.decode().split("<main", 1)[1])
