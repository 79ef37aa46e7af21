"""Reflections: submitted → reviewed with comment and grade → accepted or returned, rewrites kept."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import services
from learning.models import Reflection, ReflectionVersion
from tests.learning.conftest import submitted_reflection, write_reflection


def test_member_writes_and_submits_through_the_pages(as_user, world):
    client = as_user(world.member)
    response = client.post(
        reverse("learning:reflection_create"),
        {"title": "我的体会", "body": "<p>学习<strong>党章</strong>的体会</p>"},
    )
    reflection = Reflection.objects.get()
    assert response.status_code == 302
    assert reflection.body == "<p>学习<strong>党章</strong>的体会</p>"
    assert reflection.body_text == "学习党章的体会"
    client.post(reverse("learning:reflection_submit", args=[reflection.pk]))
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUBMITTED and reflection.submitted_at


def test_empty_reflection_is_refused_next_to_the_text(as_user, world):
    response = as_user(world.member).post(
        reverse("learning:reflection_create"), {"title": "空", "body": "<p> </p>"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Reflection.objects.exists()


def test_uploaded_docx_text_is_kept_for_checking(as_user, world):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("上传的学习体会正文内容")
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("体会.docx", buffer.getvalue())
    response = as_user(world.member).post(
        reverse("learning:reflection_create"), {"title": "上传", "file": upload}
    )
    assert response.status_code == 302
    assert "上传的学习体会正文内容" in Reflection.objects.get().body_text


def test_executable_upload_is_refused(as_user, world):
    upload = SimpleUploadedFile("x.exe", b"MZ")
    response = as_user(world.member).post(
        reverse("learning:reflection_create"), {"title": "x", "file": upload}
    )
    assert response.context["form"].errors["file"]


def test_return_needs_a_comment_and_accept_needs_a_grade(world):
    reflection = submitted_reflection(world.member)
    with pytest.raises(ValidationError):
        services.reflection_review(
            reflection=reflection, by=world.secretary, accept=False, grade="", comment=" "
        )
    with pytest.raises(ValidationError):
        services.reflection_review(
            reflection=reflection, by=world.secretary, accept=True, grade="", comment=""
        )


def test_rewrite_after_return_keeps_the_earlier_version(as_user, world):
    reflection = submitted_reflection(world.member, body="<p>第一稿</p>")
    secretary = as_user(world.secretary)
    secretary.post(
        reverse("learning:reflection_review", args=[reflection.pk]),
        {"decision": "return", "grade": "pass", "comment": "联系工作实际"},
    )
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.RETURNED
    member = as_user(world.member)
    assert (
        "联系工作实际"
        in member.get(reverse("learning:reflection", args=[reflection.pk])).content.decode()
    )
    member.post(
        reverse("learning:reflection_edit", args=[reflection.pk]),
        {"title": "第二稿", "body": "<p>第二稿，联系了工作</p>"},
    )
    member.post(reverse("learning:reflection_submit", args=[reflection.pk]))
    secretary.post(
        reverse("learning:reflection_review", args=[reflection.pk]),
        {"decision": "accept", "grade": "good", "comment": ""},
    )
    reflection.refresh_from_db()
    assert (reflection.status, reflection.grade, reflection.version) == ("accepted", "good", 2)
    earlier = ReflectionVersion.objects.get(reflection=reflection)
    assert (
        earlier.number == 1
        and earlier.body == "<p>第一稿</p>"
        and earlier.review_comment == "联系工作实际"
    )


def test_accepted_reflection_cannot_be_edited(as_user, world):
    reflection = submitted_reflection(world.member)
    services.reflection_review(
        reflection=reflection, by=world.secretary, accept=True, grade="excellent", comment=""
    )
    with pytest.raises(ValidationError):
        services.reflection_save(
            author=world.member, reflection=reflection, title="改", body="<p>改</p>"
        )


def test_exemplar_is_shown_to_the_branch_but_not_to_the_sibling_branch(as_user, world):
    reflection = submitted_reflection(world.member)
    with pytest.raises(ValidationError):
        services.reflection_set_exemplar(reflection=reflection, exemplar=True)
    services.reflection_review(
        reflection=reflection, by=world.secretary, accept=True, grade="excellent", comment=""
    )
    as_user(world.secretary).post(
        reverse("learning:reflection_exemplar", args=[reflection.pk]), {"exemplar": "1"}
    )
    colleague = world.secretary  # a branch member without review rights is the member's colleague:
    from tests.factories import member_of

    colleague = member_of(world.branch, username="colleague")
    page = as_user(colleague).get(reverse("learning:exemplars"))
    assert reflection in page.context["page"].object_list
    assert (
        as_user(colleague).get(reverse("learning:reflection", args=[reflection.pk])).status_code
        == 200
    )
    assert (
        as_user(world.other_secretary)
        .get(reverse("learning:reflection", args=[reflection.pk]))
        .status_code
        == 404
    )


def test_colleague_cannot_open_a_non_exemplar_reflection(as_user, world):
    from tests.factories import member_of

    reflection = write_reflection(world.member)
    colleague = member_of(world.branch, username="colleague")
    assert (
        as_user(colleague).get(reverse("learning:reflection", args=[reflection.pk])).status_code
        == 404
    )


def test_comments_on_reflection_and_material(as_user, world, records):
    as_user(world.secretary).post(
        reverse("learning:reflection_comment", args=[records.reflection.pk]), {"text": "写得好"}
    )
    as_user(world.member).post(
        reverse("learning:material_comment", args=[records.material.pk]), {"text": "受益匪浅"}
    )
    assert records.reflection.comments.get().text == "写得好"
    assert records.material.comments.get().author == world.member


def test_accepting_without_a_grade_shows_the_error_next_to_the_grade(as_user, world):
    reflection = submitted_reflection(world.member)
    response = as_user(world.secretary).post(
        reverse("learning:reflection_review", args=[reflection.pk]),
        {"decision": "accept", "grade": "", "comment": ""},
    )
    assert response.status_code == 400
    assert response.context["review_form"].errors["grade"] == ["通过学习体会须评定等次。"]
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUBMITTED
