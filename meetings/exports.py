"""Documents out of the records: the meeting list as .xlsx and the branch 台账 as .docx and
.xlsx (a row per meeting plus the yearly compliance grid)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from meetings import selectors, services
from meetings.models import Attachment, Attendance, Meeting
from portal.models import Organisation

CHINESE_FONT = "宋体"
LATIN_FONT = "SimSun"

STATUS_TEXT = {
    selectors.MET: "已完成",
    selectors.DUE: "待召开",
    selectors.MISSED: "未完成",
    selectors.UPCOMING: "",
    selectors.EXEMPT: "免于",
}
STATUS_FILL = {
    selectors.MET: "C6EFCE",
    selectors.DUE: "FFEB9C",
    selectors.MISSED: "FFC7CE",
    selectors.EXEMPT: "DDDDDD",
}


def _local(value: datetime.datetime | None, fmt: str = "%Y年%m月%d日 %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def _name(user: Any) -> str:
    return (user.name or user.username) if user else ""


def meetings_xlsx(meetings: QuerySet[Meeting]) -> bytes:
    """The meeting list as it is filtered: a row per meeting (meetings from ``for_list``)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "会议记录"
    sheet.append(
        ["日期", "时间", "组织", "类型", "主题", "地点", "主持人", "应到", "实到", "状态", "补记"]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for m in meetings:
        sheet.append(
            [
                m.held_on,
                _local(m.starts_at, "%H:%M"),
                m.organisation.name,
                str(m.get_kind_display()),
                m.topic,
                m.place,
                _name(m.host),
                getattr(m, "expected_count", None),
                getattr(m, "present_count", None),
                str(m.get_status_display()),
                "补记" if m.is_late else "",
            ]
        )
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    _widths(sheet, [12, 8, 24, 14, 36, 20, 10, 6, 6, 8, 6])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _widths(sheet: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def ledger_meetings(
    branch: Organisation, start: datetime.date, end: datetime.date
) -> list[Meeting]:
    """The branch's and its groups' records (not drafts) in the period, with attendance and
    attachments: three queries."""
    return list(
        Meeting.objects.filter(organisation__path__startswith=branch.path)
        .held_between(start, end)
        .select_related("organisation", "host", "recorder", "lecturer")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("user").order_by(
                    "is_guest", "user__name"
                ),
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("category", "pk")),
            "agenda_items",
        )
        .order_by("starts_at", "pk")
    )


def _facts(meeting: Meeting) -> dict[str, Any]:
    rows = list(meeting.attendances.all())
    expected = [a for a in rows if not a.is_guest]
    present = [a for a in expected if a.status == Attendance.Status.PRESENT]
    away = [
        f"{a.user.name}（{a.get_status_display()}{'：' + a.reason if a.reason else ''}）"
        for a in expected
        if a.status != Attendance.Status.PRESENT
    ]
    quorum = services.quorum_of(rows) if meeting.needs_quorum else None
    return {
        "expected": len(expected),
        "present": len(present),
        "away": "；".join(away) or "无",
        "guests": "、".join(a.user.name for a in rows if a.is_guest),
        "quorum": quorum,
    }


# --- .docx --------------------------------------------------------------------------------------


def _font(run: Any, size: float | None = None, bold: bool = False) -> None:
    """Chinese needs its East-Asian font named on the run, or Word falls back to a Latin one."""
    run.font.name = LATIN_FONT
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), CHINESE_FONT)
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold


def _paragraph(container: Any, text: str, *, size: float = 12, bold: bool = False) -> Any:
    paragraph = container.add_paragraph()
    _font(paragraph.add_run(text), size, bold)
    return paragraph


def ledger_docx(
    branch: Organisation, start: datetime.date, end: datetime.date, meetings: Iterable[Meeting]
) -> bytes:
    """The 台账 a branch prints and files: one section per meeting with its facts, minutes,
    resolutions and photos. Always in Chinese: it is filed with the paper records."""
    with translation.override("zh-hans"):
        return _ledger_docx(branch, start, end, meetings)


def _ledger_docx(
    branch: Organisation, start: datetime.date, end: datetime.date, meetings: Iterable[Meeting]
) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = LATIN_FONT  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CHINESE_FONT)  # type: ignore[attr-defined]
    title = _paragraph(document, f"{branch.name}“三会一课”及组织生活台账", size=18, bold=True)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = _paragraph(document, f"{start:%Y年%m月%d日} 至 {end:%Y年%m月%d日}", size=12)
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meetings = list(meetings)
    if not meetings:
        _paragraph(document, "本期间无会议记录。")
    for number, meeting in enumerate(meetings, start=1):
        facts = _facts(meeting)
        heading = f"{number}. {meeting.get_kind_display()}：{meeting.topic}"
        if meeting.is_late:
            heading += "（补记）"
        _paragraph(document, heading, size=14, bold=True)
        rows = [
            ("名称", f"{meeting.organisation.name}{meeting.get_kind_display()}"),
            ("时间", _local(meeting.starts_at)),
            ("地点", meeting.place),
            ("主持人", _name(meeting.host)),
            ("记录人", _name(meeting.recorder)),
            ("主题", meeting.topic),
        ]
        if meeting.kind == Meeting.Kind.PARTY_LECTURE:
            rows.append(("授课人及题目", f"{_name(meeting.lecturer)}《{meeting.lecture_title}》"))
        rows += [
            ("应到/实到人数", f"应到 {facts['expected']} 人，实到 {facts['present']} 人"),
            ("缺席人员及原因", facts["away"]),
        ]
        if facts["guests"]:
            rows.append(("列席人员", facts["guests"]))
        if facts["quorum"] is not None:
            q = facts["quorum"]
            rows.append(
                (
                    "表决人数",
                    f"有表决权 {q.voting} 人，到会 {q.present} 人，"
                    + ("超过半数，可以表决" if q.met else "未超过半数，不能表决"),
                )
            )
        agenda = [a.title for a in meeting.agenda_items.all()]
        if agenda:
            rows.append(("议程", "\n".join(f"{i}. {t}" for i, t in enumerate(agenda, 1))))
        rows += [("主要内容", meeting.minutes or "—"), ("决议", meeting.resolutions or "—")]
        rows.append(("记录填报时间", _local(meeting.filed_at)))
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(3.5), Cm(12.5)
            _font(cells[0].paragraphs[0].add_run(label), 11, True)
            _font(cells[1].paragraphs[0].add_run(str(value)), 11)
        photos = [a for a in meeting.attachments.all() if a.category == Attachment.Category.PHOTO]
        for photo in photos:
            try:
                with photo.file.open("rb") as handle:
                    document.add_picture(io.BytesIO(handle.read()), width=Cm(12))
            except Exception:  # noqa: BLE001 - a broken photo must not lose the ledger
                _paragraph(document, f"（照片无法读取：{photo.original_name}）", size=10)
                continue
            _paragraph(document, photo.original_name, size=9).alignment = WD_ALIGN_PARAGRAPH.CENTER
        if number < len(meetings):
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- .xlsx ---------------------------------------------------------------------------------------


def ledger_xlsx(
    branch: Organisation, start: datetime.date, end: datetime.date, meetings: Iterable[Meeting]
) -> bytes:
    with translation.override("zh-hans"):
        return _ledger_xlsx(branch, start, end, meetings)


def _ledger_xlsx(
    branch: Organisation, start: datetime.date, end: datetime.date, meetings: Iterable[Meeting]
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "会议台账"
    header = [
        "名称",
        "类型",
        "时间",
        "地点",
        "主持人",
        "记录人",
        "主题",
        "应到人数",
        "实到人数",
        "缺席人员及原因",
        "主要内容",
        "决议",
        "填报时间",
        "补记",
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for meeting in meetings:
        facts = _facts(meeting)
        sheet.append(
            [
                meeting.organisation.name,
                str(meeting.get_kind_display()),
                _local(meeting.starts_at, "%Y-%m-%d %H:%M"),
                meeting.place,
                _name(meeting.host),
                _name(meeting.recorder),
                meeting.topic,
                facts["expected"],
                facts["present"],
                facts["away"],
                meeting.minutes,
                meeting.resolutions,
                _local(meeting.filed_at, "%Y-%m-%d %H:%M"),
                "补记" if meeting.is_late else "",
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, [22, 14, 17, 16, 10, 10, 30, 8, 8, 30, 50, 30, 17, 6])

    for year in range(start.year, end.year + 1):
        grid = workbook.create_sheet(f"{year}年度合规")
        grid.append([f"{branch.name} {year}年“三会一课”落实情况"])
        grid["A1"].font = Font(bold=True)
        grid.append(["会议类型", "要求", *[f"{m}月" for m in range(1, 13)]])
        for row in selectors.branch_calendar(branch, year):
            period = {"month": "每月", "quarter": "每季度", "year": "每年"}.get(row.period, "")
            grid.append(
                [
                    row.label,
                    f"{period}{'每个党小组' if row.per_group else ''}≥{row.minimum}",
                    *[
                        f"{STATUS_TEXT.get(c.status, '')}{'（' + str(c.held) + '次）' if c.held else ''}"
                        for c in row.cells
                    ],
                ]
            )
            for cell, grid_cell in zip(row.cells, grid[grid.max_row][2:], strict=False):
                fill = STATUS_FILL.get(cell.status)
                if fill:
                    grid_cell.fill = PatternFill("solid", fgColor=fill)
        _widths(grid, [16, 10, *[10] * 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
