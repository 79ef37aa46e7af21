"""The 学习档案: one page and one .docx per member and year, for the member, their secretary
and the committee in scope."""

import io

import docx
from django.urls import reverse

from learning import services
from learning.selectors import Archive, archive_for


def _accepted(records, world):
    services.reflection_review(
        reflection=records.reflection,
        by=world.secretary,
        accept=True,
        grade="excellent",
        comment="",
    )
    services.material_mark_read(material=records.material, user=world.member)
    services.activity_join(activity=records.activity, user=world.member)


def test_archive_for_is_the_hook_the_lead_extends(world, records):
    _accepted(records, world)
    archive = archive_for(world.member, 2026)
    assert isinstance(archive, Archive)
    assert archive.meetings == []
    assert archive.total_minutes == 60
    assert archive.plan == records.plan
    assert [r.grade for r in archive.reflections] == ["excellent"]
    assert [m.material for m in archive.materials_read] == [records.material]
    assert archive.activities == [records.activity]
    assert archive.minutes_by_topic == [("—", 60)]


def test_member_secretary_and_committee_open_it_others_get_404(as_user, world, records):
    url = reverse("learning:archive", args=[world.member.pk]) + "?year=2026"
    for user in (world.member, world.secretary, world.committee_user):
        assert as_user(user).get(url).status_code == 200
    for user in (world.other_secretary, world.outsider):
        assert as_user(user).get(url).status_code == 404


def test_docx_download_has_the_chinese_font_and_the_grades(as_user, world, records):
    _accepted(records, world)
    response = as_user(world.secretary).get(
        reverse("learning:archive_docx", args=[world.member.pk]) + "?year=2026"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "刘党员" in text
    assert "学习体会" in cells or "excellent" in cells.lower() or "优秀" in cells
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "宋体"
    )


def test_bad_year_falls_back_to_this_year(as_user, world):
    response = as_user(world.member).get(
        reverse("learning:archive", args=[world.member.pk]) + "?year=abc"
    )
    assert response.context["archive"].year == 2026
