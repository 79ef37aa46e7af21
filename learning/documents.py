"""The 学习档案 as a Word document for 评先选优 files, with an East-Asian font so Chinese prints."""

from __future__ import annotations

import io

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from learning.selectors import Archive

CHINESE_FONT = "宋体"  # SimSun: present on every office PC the branches use


def _set_font(document: object) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        try:
            style = document.styles[style_name]  # type: ignore[attr-defined]
        except KeyError:
            continue
        style.font.name = CHINESE_FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
            fonts.set(qn(attribute), CHINESE_FONT)
    document.styles["Normal"].font.size = Pt(11)  # type: ignore[attr-defined]


def _table(document: object, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def archive_document(archive: Archive) -> bytes:
    import docx

    document = docx.Document()
    _set_font(document)
    member = archive.member
    document.add_heading(
        _("Study archive of %(name)s, %(year)d") % {"name": member.name, "year": archive.year},
        level=0,
    )
    document.add_paragraph(
        _("Branch: %(branch)s    Total study time: %(hours)s hours")
        % {"branch": archive.membership.branch.name, "hours": archive.total_hours}
    )

    document.add_heading(pgettext("learning", "Personal study plan"), level=1)
    if archive.plan:
        plan = archive.plan
        document.add_paragraph(
            _("Target: %(hours)d hours. Status: %(status)s.")
            % {"hours": plan.target_hours, "status": plan.get_status_display()}
        )
        document.add_paragraph(_("Goals: %s") % plan.goals)
        document.add_paragraph(_("Topics: %s") % plan.topics)
    else:
        document.add_paragraph(pgettext("learning", "No plan filed."))

    document.add_heading(pgettext("learning", "Study time"), level=1)
    _table(
        document,
        [pgettext("learning", "Method"), pgettext("learning", "Hours")],
        [[name, f"{minutes / 60:.1f}"] for name, minutes in archive.minutes_by_method],
    )
    document.add_paragraph("")
    _table(
        document,
        [pgettext("learning", "Topic"), pgettext("learning", "Hours")],
        [[name, f"{minutes / 60:.1f}"] for name, minutes in archive.minutes_by_topic],
    )

    document.add_heading(pgettext("learning", "Materials read"), level=1)
    _table(
        document,
        [pgettext("learning", "Material"), pgettext("learning", "Read on")],
        [[r.material.title, formats.date_format(r.read_at.date())] for r in archive.materials_read],
    )

    document.add_heading(pgettext("learning", "Study reflections"), level=1)
    _table(
        document,
        [
            pgettext("learning", "Title"),
            pgettext("learning", "Status"),
            pgettext("learning", "Grade"),
            pgettext("learning", "Exemplar"),
        ],
        [
            [
                r.title,
                r.get_status_display(),
                r.get_grade_display(),
                pgettext("learning", "Yes") if r.is_exemplar else "",
            ]
            for r in archive.reflections
        ],
    )

    document.add_heading(pgettext("learning", "Activities"), level=1)
    _table(
        document,
        [pgettext("learning", "Activity"), pgettext("learning", "Kind")],
        [[a.title, a.get_kind_display()] for a in archive.activities],
    )

    document.add_heading(pgettext("learning", "Meetings attended"), level=1)
    _table(
        document,
        [pgettext("learning", "Date"), pgettext("learning", "Kind"), pgettext("learning", "Topic")],
        [[m.held_on.isoformat(), str(m.get_kind_display()), m.topic] for m in archive.meetings],
    )

    document.add_heading(pgettext("learning", "Contests"), level=1)
    _table(
        document,
        [pgettext("learning", "Contest"), pgettext("learning", "Score")],
        [[a.contest.title, f"{a.percent:.0f}%"] for a in archive.contests],
    )

    document.add_heading(pgettext("learning", "述学评学"), level=1)
    _table(
        document,
        [pgettext("learning", "Period"), pgettext("learning", "Grade")],
        [[r.period.title, r.grade_display or "—"] for r in archive.shuxue],
    )

    document.add_heading(pgettext("learning", "Research reports"), level=1)
    _table(
        document,
        [pgettext("learning", "Title"), pgettext("learning", "Status")],
        [[r.title, r.get_status_display()] for r in archive.reports],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
