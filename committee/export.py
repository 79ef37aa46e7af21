"""The 目标责任 state table as a spreadsheet a committee office would file."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill


def assignments_xlsx(rows: Any) -> bytes:
    """One row per task and assignee; overdue rows shaded. Streams the query once."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Target responsibility")
    headers = [
        _("Task"),
        _("Issued by"),
        _("Deadline"),
        _("Assignee"),
        _("State"),
        _("Overdue"),
        _("Last reported at"),
        _("Last reviewed at"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    overdue_fill = PatternFill("solid", fgColor="F8D7DA")
    for assignment in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                assignment.task.title,
                str(assignment.task.issuer),
                assignment.task.due_on,
                assignment.assignee_name,
                assignment.get_state_display(),
                _("Yes") if assignment.is_overdue else "",
                _local(assignment.reported_at),
                _local(assignment.decided_at),
            ]
        )
        if assignment.is_overdue:
            for cell in sheet[sheet.max_row]:
                cell.fill = overdue_fill
        sheet.cell(row=sheet.max_row, column=3).number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGH", (40, 24, 12, 24, 16, 8, 18, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _local(value: Any) -> Any:
    if value is None:
        return ""
    return timezone.localtime(value).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M")


def matrix_xlsx(tasks: list[Any], rows: list[Any]) -> bytes:
    """The matrix as a sheet: assignees down, tasks across, each cell the state."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("By branch")
    sheet.append([_("Assignee"), *(f"{t.title}（{t.due_on:%Y-%m-%d}）" for t in tasks)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    overdue_fill = PatternFill("solid", fgColor="F8D7DA")
    for row in rows:
        sheet.append(
            [row.name, *(c.get_state_display() if c is not None else "—" for c in row.cells)]
        )
        for n, assignment in enumerate(row.cells, start=2):
            if assignment is not None and assignment.is_overdue:
                sheet.cell(row=sheet.max_row, column=n).fill = overdue_fill
    sheet.column_dimensions["A"].width = 28
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
