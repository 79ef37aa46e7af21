"""Reading the .xlsx sheets branches pass around (rosters, question banks, past meetings).

One reader for every import: the file is capped in size and rows, must be a real .xlsx,
must carry the required columns, and comes back as (row number, {column: value}) with
empty rows skipped, so each importer only validates its own columns. Row numbers are the
ones a secretary sees in Excel (the header is row 1).
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class SheetImportError(Exception):
    """Every problem found in a sheet; raised before anything is written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def text(value: Any) -> str:
    """A cell as trimmed text (Excel's 13800000000.0 reads back as 13800000000)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any, column: str, problems: list[str]) -> datetime.date | None:
    """A date cell or a date written the common ways; a problem is appended if neither."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    written = text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(written, fmt).date()
        except ValueError:
            continue
    problems.append(
        _("“%(value)s” in %(column)s is not a date; write it like 2021-07-01.")
        % {"value": written, "column": column}
    )
    return None


def read_sheet(
    file: IO[bytes],
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    error: type[SheetImportError] = SheetImportError,
) -> list[tuple[int, dict[str, Any]]]:
    """The data rows of the first sheet; raises ``error`` for an unreadable, oversized or
    incomplete file."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise error(
            [
                RowError(
                    0,
                    _("The file is larger than %(mb)d MB.")
                    % {"mb": settings.IMPORT_MAX_BYTES // 2**20},
                )
            ]
        )
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        OSError,
        KeyError,
        ValueError,
        TypeError,
    ) as exc:
        raise error([RowError(0, _("The file could not be read as an .xlsx workbook."))]) from exc
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [text(v) for v in next(rows, ())]
    missing = [c for c in required if c not in header]
    if missing:
        raise error(
            [RowError(1, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})]
        )
    index = {name: header.index(name) for name in (*required, *optional) if name in header}
    result = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > settings.IMPORT_MAX_ROWS:
            raise error(
                [
                    RowError(
                        number,
                        _("The sheet has more than %(n)d rows.") % {"n": settings.IMPORT_MAX_ROWS},
                    )
                ]
            )
        cells = {c: (values[i] if i < len(values) else None) for c, i in index.items()}
        if all(text(v) == "" for v in cells.values()):
            continue
        result.append((number, cells))
    workbook.close()
    return result
