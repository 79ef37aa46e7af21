"""The 宣传 board: posting with photos, reviewing, featuring, the feed; who sees what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee import services
from committee.models import Post, PostPhoto
from portal.services import organisation_create
from tests.committee.conftest import make_post, png_bytes, png_upload
from tests.factories import branch, member_of


def _submit(client, world, **extra):
    data = {
        "organisation": world.branch.pk,
        "kind": "experience",
        "title": "读书会经验",
        "body": "支部每月开展读书会。",
        **extra,
    }
    return client.post(reverse("committee:post_create"), data)


def test_secretary_submits_a_post_with_photos(as_user, world):
    response = _submit(
        as_user(world.secretary), world, photos=[png_upload("a.png"), png_upload("b.png")]
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.state == Post.State.SUBMITTED
    assert list(post.photos.values_list("content_type", flat=True)) == ["image/png", "image/png"]


def test_a_file_named_like_a_photo_but_not_one_is_refused(as_user, world):
    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = _submit(as_user(world.secretary), world, photos=[fake])
    assert response.status_code == 200
    assert "photo.jpg" in response.context["form"].errors["photos"][0]
    assert not Post.objects.exists()


def test_an_empty_body_is_refused(as_user, world):
    response = _submit(as_user(world.secretary), world, body="<script>x</script>")
    assert response.context["form"].errors["body"]
    assert not Post.objects.exists()


def test_member_may_not_post(as_user, world):
    assert as_user(world.member).get(reverse("committee:post_create")).status_code == 404
    assert _submit(as_user(world.member), world).status_code == 404
    assert not Post.objects.exists()


def test_secretary_may_not_post_for_a_sibling_branch(as_user, world):
    response = _submit(as_user(world.secretary), world, organisation=world.sibling_branch.pk)
    assert response.context["form"].errors["organisation"]
    assert not Post.objects.exists()


def test_committee_publishes_and_features_and_the_member_sees_it_first(as_user, world):
    older = make_post(world, title="较早的帖子", publish=True)
    post = make_post(
        world, organisation=world.sibling_branch, author=world.other_secretary, title="先进典型"
    )
    committee_client = as_user(world.committee_user)
    assert post.title in committee_client.get(reverse("committee:board_manage")).content.decode()
    committee_client.post(reverse("committee:post_review", args=[post.pk]), {"decision": "publish"})
    committee_client.post(reverse("committee:post_feature", args=[post.pk]), {"featured": "1"})
    feed = list(as_user(world.member).get(reverse("committee:board")).context["page"])
    assert feed == [post, older]
    assert feed[0].featured


def test_returning_needs_a_comment(as_user, world):
    post = make_post(world)
    response = as_user(world.committee_user).post(
        reverse("committee:post_review", args=[post.pk]), {"decision": "return"}
    )
    assert response.status_code == 400
    assert response.context["review_form"].errors["comment"]
    assert Post.objects.get(pk=post.pk).state == Post.State.SUBMITTED


def test_author_edits_a_returned_post_and_removes_a_photo(as_user, world):
    post = make_post(world, photos=[(png_upload(), "image/png")])
    services.post_review(post=post, actor=world.committee_user, publish=False, comment="改")
    photo = post.photos.get()
    response = as_user(world.secretary).post(
        reverse("committee:post_edit", args=[post.pk]),
        {
            "organisation": world.branch.pk,
            "kind": "exemplar",
            "title": "改后",
            "body": "正文",
            "remove_photos": [photo.pk],
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.state, post.kind, post.title) == ("submitted", "exemplar", "改后")
    assert not PostPhoto.objects.exists()


def test_the_secretary_may_not_publish_their_own_post(as_user, world):
    post = make_post(world)
    response = as_user(world.secretary).post(
        reverse("committee:post_review", args=[post.pk]), {"decision": "publish"}
    )
    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).state == Post.State.SUBMITTED


def test_a_member_does_not_see_an_unpublished_post(as_user, world):
    post = make_post(world)
    assert as_user(world.member).get(reverse("committee:post", args=[post.pk])).status_code == 404


def test_the_feed_holds_the_committees_whole_tree_only(as_user, world):
    make_post(
        world,
        organisation=world.sibling_branch,
        author=world.other_secretary,
        title="兄弟支部",
        publish=True,
    )
    make_post(
        world, organisation=world.other_branch, author=world.outsider, title="外树", publish=True
    )
    titles = {
        p.title for p in as_user(world.member).get(reverse("committee:board")).context["page"]
    }
    assert titles == {"兄弟支部"}
    outsider_titles = {
        p.title for p in as_user(world.outsider).get(reverse("committee:board")).context["page"]
    }
    assert outsider_titles == {"外树"}


def test_a_member_under_a_sub_committee_reads_that_committees_tree(as_user, world):
    county = organisation_create(name="县支行党委", kind="committee", parent=world.committee)
    county_branch = branch(county, "县支行党支部")
    reader = member_of(county_branch, username="county_member")
    make_post(world, title="总行的", publish=True)
    county_post = make_post(
        world,
        organisation=county_branch,
        author=world.committee_user,
        title="县支行的",
        publish=True,
    )
    assert list(as_user(reader).get(reverse("committee:board")).context["page"]) == [county_post]


@pytest.mark.parametrize("persona", ["outsider", "member"])
def test_outside_the_post_is_404_everywhere(as_user, world, persona):
    post = make_post(world, photos=[(png_upload(), "image/png")])
    client = as_user(getattr(world, persona))
    photo = post.photos.get()
    assert client.get(reverse("committee:post", args=[post.pk])).status_code == 404
    assert client.get(reverse("committee:post_edit", args=[post.pk])).status_code == 404
    assert (
        client.post(
            reverse("committee:post_review", args=[post.pk]), {"decision": "publish"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("committee:post_feature", args=[post.pk]), {"featured": "1"}
        ).status_code
        == 404
    )
    assert client.get(reverse("committee:photo", args=[photo.pk])).status_code == 404


def test_outsider_gets_404_on_a_published_post_and_its_photo(as_user, world):
    post = make_post(world, photos=[(png_upload(), "image/png")], publish=True)
    client = as_user(world.outsider)
    assert client.get(reverse("committee:post", args=[post.pk])).status_code == 404
    assert client.get(reverse("committee:photo", args=[post.photos.get().pk])).status_code == 404


def test_a_member_sees_the_photo_of_a_published_post(as_user, world):
    post = make_post(world, photos=[(png_upload(), "image/png")], publish=True)
    response = as_user(world.member).get(reverse("committee:photo", args=[post.photos.get().pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()


def test_board_manage_is_404_for_a_member(as_user, world):
    assert as_user(world.member).get(reverse("committee:board_manage")).status_code == 404


@pytest.fixture
def many_posts(world):
    for n in range(12):
        make_post(
            world,
            title=f"帖子{n}",
            publish=n < 10,
            photos=[(png_upload(f"{n}.png"), "image/png")],
        )
    return world


def test_feed_query_count(as_user, many_posts, django_assert_num_queries):
    client = as_user(many_posts.member)
    # session, user, change stamps (the scope's key), scope positions, scope membership,
    # the member's committee, page count, page of posts with organisation and author,
    # their photos
    with django_assert_num_queries(9):
        response = client.get(reverse("committee:board"))
    assert len(response.context["page"]) == 10


def test_review_queue_query_count(as_user, many_posts, django_assert_num_queries):
    for n in range(10):
        make_post(many_posts, title=f"待审{n}")
    client = as_user(many_posts.committee_user)
    # session, user, change stamps (the scope's key), scope positions, scope membership,
    # my posts count (none: no page query follows), queue with organisation and author,
    # the queue's photos
    with django_assert_num_queries(8):
        response = client.get(reverse("committee:board_manage"))
    assert len(response.context["queue"]) == 12


def test_post_page_query_count(as_user, many_posts, django_assert_num_queries):
    post = Post.objects.filter(state="published").first()
    for n in range(10):
        PostPhoto.objects.create(post=post, image=f"x{n}.png", content_type="image/png")
        services.post_feature(post=post, actor=many_posts.committee_user, featured=n % 2 == 0)
    client = as_user(many_posts.committee_user)
    # session, user, post with organisation and author, change stamps (the scope's key),
    # scope positions, scope membership, photos, history with each step's author
    with django_assert_num_queries(8):
        response = client.get(reverse("committee:post", args=[post.pk]))
    assert len(response.context["post"].photo_list) == 11


def test_the_feed_filters_by_kind_and_ignores_an_unknown_kind(as_user, world):
    make_post(world, title="经验", publish=True)
    exemplar = make_post(world, title="典型", kind=Post.Kind.EXEMPLAR, publish=True)
    client = as_user(world.member)
    assert list(client.get(reverse("committee:board"), {"kind": "exemplar"}).context["page"]) == [
        exemplar
    ]
    assert (
        client.get(reverse("committee:board"), {"kind": "nonsense"}).context["page"].paginator.count
        == 2
    )


def test_own_posts_query_count(as_user, many_posts, django_assert_num_queries):
    client = as_user(many_posts.secretary)
    # session, user, change stamps (the scope's key), scope positions, scope membership,
    # my posts count, my posts page (organisation and author joined)
    with django_assert_num_queries(7):
        response = client.get(reverse("committee:board_manage"))
    assert len(response.context["mine"]) == 12
    assert "queue" not in response.context
