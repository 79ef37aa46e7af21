"""A study file is stored under a generated name, checked by content, and downloaded only
through a view that checks the user (never straight from /media/)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import services
from learning.models import Material

PDF = b"%PDF-1.4\n% test\n"


def make_material(world, upload):
    return services.material_create(
        by=world.secretary,
        organisation=world.branch,
        kind=Material.Kind.DOCUMENT,
        title="党章",
        file=upload,
    )


def test_file_is_stored_under_a_generated_name_and_served_by_title(as_user, world):
    material = make_material(world, SimpleUploadedFile("我的 <b>文件</b>.pdf", PDF))
    assert "文件" not in material.file.name and material.file.name.endswith(".pdf")
    response = as_user(world.member).get(reverse("learning:material_file", args=[material.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_outsider_cannot_download(as_user, world):
    material = make_material(world, SimpleUploadedFile("a.pdf", PDF))
    response = as_user(world.outsider).get(reverse("learning:material_file", args=[material.pk]))
    assert response.status_code == 404


def test_a_file_whose_content_does_not_match_its_name_is_refused(as_user, world):
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf")
    response = as_user(world.secretary).post(
        reverse("learning:material_create"),
        {"kind": Material.Kind.DOCUMENT, "title": "伪装文件", "file": fake},
    )
    assert response.status_code == 200
    assert not Material.objects.filter(title="伪装文件").exists()
