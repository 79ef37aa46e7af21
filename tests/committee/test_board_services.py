"""Posts: sanitising, submit → return → resubmit → publish → feature, and the publish hook."""

import pytest

from committee import services
from committee.models import Post, PostEvent
from tests.committee.conftest import make_post, png_upload


def test_plain_text_becomes_escaped_paragraphs():
    assert services.body_sanitise("第一段\n第二行\n\n<第二段>".replace("<", "&lt;")) == (
        "<p>第一段<br>第二行</p><p>&amp;lt;第二段&gt;</p>"
    )


def test_rich_text_keeps_formatting_and_drops_scripts():
    dirty = '<p onclick="x()">好<strong>经验</strong><script>alert(1)</script></p><a href="javascript:x">链接</a><img src=x onerror=y>'
    clean = services.body_sanitise(dirty)
    assert "<strong>经验</strong>" in clean
    for bad in ("script", "onclick", "javascript", "onerror", "<img"):
        assert bad not in clean


def test_submit_return_resubmit_publish_feature(world):
    post = make_post(world, photos=[(png_upload(), "image/png")])
    assert post.state == Post.State.SUBMITTED and post.photos.count() == 1
    services.post_review(
        post=post, actor=world.committee_user, publish=False, comment="补充照片说明"
    )
    services.post_update(
        post=post, actor=world.secretary, kind=post.kind, title="新标题", body="新正文"
    )
    post.refresh_from_db()
    assert (post.state, post.title) == (Post.State.SUBMITTED, "新标题")
    services.post_review(post=post, actor=world.committee_user, publish=True)
    services.post_feature(post=post, actor=world.committee_user, featured=True)
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED and post.featured and post.published_at
    assert list(post.events.values_list("kind", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "published",
        "featured",
    ]


def test_a_published_post_cannot_be_edited(world):
    post = make_post(world, publish=True)
    with pytest.raises(services.CommitteeError):
        services.post_update(post=post, actor=world.secretary, kind=post.kind, title="x", body="y")


def test_only_a_published_post_can_be_featured(world):
    post = make_post(world)
    with pytest.raises(services.CommitteeError):
        services.post_feature(post=post, actor=world.committee_user, featured=True)
    assert not Post.objects.get(pk=post.pk).featured


def test_featuring_twice_records_it_once(world):
    post = make_post(world, publish=True)
    services.post_feature(post=post, actor=world.committee_user, featured=True)
    services.post_feature(post=post, actor=world.committee_user, featured=True)
    assert PostEvent.objects.filter(kind="featured").count() == 1


def test_publish_from_another_app_is_published_once(world):
    kwargs = dict(
        source="learning.reflection",
        source_ref="42",
        organisation=world.branch,
        author=world.member,
        title="优秀学习体会",
        body="<p>学而时习之<script>x</script></p>",
        kind=Post.Kind.REFLECTION,
    )
    first = services.post_publish_from(**kwargs)
    again = services.post_publish_from(**kwargs)
    assert first.pk == again.pk
    assert first.state == Post.State.PUBLISHED
    assert "script" not in first.body
    assert Post.objects.count() == 1
