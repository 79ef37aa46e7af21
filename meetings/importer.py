"""Import of past meetings from an .xlsx sheet, all or nothing, in the roster import's style:
every bad row is reported with its number and reason, and if any row is bad nothing is
written. Imported records are submitted at once, so a meeting held long ago is 补记."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from meetings import services
from meetings.models import Attendance, Meeting
from portal.models import Organisation, User
from portal.scoping import scope_for
from portal.spreadsheets import RowError, SheetImportError, read_sheet
from portal.spreadsheets import parse_date as _parse_date
from portal.spreadsheets import text as _text

COLUMNS = (
    "组织",
    "会议类型",
    "日期",
    "开始时间",
    "地点",
    "主持人",
    "记录人",
    "主题",
    "主要内容",
    "决议",
)
# Optional: names of those present, separated by 、 or commas. Without it the attendance
# stays unmarked (it is on the paper sheet) and the quorum is not checked.
PRESENT_COLUMN = "出席人员"
NAME_SEPARATORS = re.compile(r"[、,，;；\s]+")
KINDS = {
    "支部党员大会": Meeting.Kind.BRANCH_ASSEMBLY,
    "党员大会": Meeting.Kind.BRANCH_ASSEMBLY,
    "支委会": Meeting.Kind.COMMITTEE_MEETING,
    "支部委员会": Meeting.Kind.COMMITTEE_MEETING,
    "支部委员会会议": Meeting.Kind.COMMITTEE_MEETING,
    "党小组会": Meeting.Kind.GROUP_MEETING,
    "党课": Meeting.Kind.PARTY_LECTURE,
    "主题党日": Meeting.Kind.THEMED_PARTY_DAY,
    "组织生活会": Meeting.Kind.ORGANISATIONAL_LIFE,
    "民主评议党员": Meeting.Kind.DEMOCRATIC_REVIEW,
}


class MeetingImportError(SheetImportError):
    pass


@dataclass
class ImportRow:
    row: int
    organisation: Organisation
    kind: str
    starts_at: datetime.datetime
    place: str
    host: User | None
    recorder: User | None
    topic: str
    minutes: str
    resolutions: str
    present: list[User]


def _parse_time(value: Any, problems: list[str]) -> datetime.time | None:
    if value is None or value == "":
        return datetime.time(9, 0)
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, datetime.datetime):
        return value.time()
    text = _text(value).replace("：", ":")
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    problems.append(_("开始时间 “%(value)s” is not a time; write it like 14:30.") % {"value": text})
    return None


def _read(file: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    return read_sheet(file, required=COLUMNS, optional=(PRESENT_COLUMN,), error=MeetingImportError)


def _validate(
    rows: list[tuple[int, dict[str, Any]]], user: Any
) -> tuple[list[ImportRow], list[RowError]]:
    """A fixed number of queries: the managed organisations and their members."""
    scope = scope_for(user)
    organisations: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(scope.organisations_q(manage=True)):
        organisations.setdefault(org.name, []).append(org)
        if org.code:
            organisations.setdefault(org.code, []).append(org)
    people: dict[tuple[str, str], list[User]] = {}
    for person in User.objects.filter(
        scope.members_q(manage=True, prefix="membership__")
    ).select_related("membership__branch"):
        people.setdefault((person.membership.branch.path, person.name), []).append(person)
    today = timezone.localdate()
    valid: list[ImportRow] = []
    errors: list[RowError] = []
    for number, cells in rows:
        problems: list[str] = []
        org_name = _text(cells["组织"])
        candidates = organisations.get(org_name, [])
        organisation = candidates[0] if len(candidates) == 1 else None
        if not org_name:
            problems.append(_("组织 is empty."))
        elif not candidates:
            problems.append(
                _("You do not manage an organisation named “%(name)s”.") % {"name": org_name}
            )
        elif len(candidates) > 1:
            problems.append(
                _("More than one organisation is named “%(name)s”; use its code.")
                % {"name": org_name}
            )
        kind_text = _text(cells["会议类型"])
        kind = KINDS.get(kind_text)
        if kind is None:
            problems.append(
                _("会议类型 must be one of %(kinds)s, not “%(value)s”.")
                % {"kinds": "、".join(KINDS), "value": kind_text}
            )
        elif organisation is not None and (
            (kind == Meeting.Kind.GROUP_MEETING) != organisation.is_group
        ):
            problems.append(
                _("党小组会 is held by a Party group, and a Party group holds only 党小组会.")
            )
        day = _parse_date(cells["日期"], "日期", problems)
        if day is None and not any("日期" in p for p in problems):
            problems.append(_("日期 is empty."))
        if day is not None and day > today:
            problems.append(_("日期 is in the future: import meetings that were held."))
        time = _parse_time(cells["开始时间"], problems)
        topic = _text(cells["主题"])
        if not topic:
            problems.append(_("主题 is empty."))
        elif len(topic) > 200:
            problems.append(_("主题 is longer than 200 characters."))
        found: dict[str, User | None] = {}
        present: list[User] = []
        named = [("主持人", _text(cells["主持人"])), ("记录人", _text(cells["记录人"]))]
        named += [
            (PRESENT_COLUMN, n)
            for n in NAME_SEPARATORS.split(_text(cells.get(PRESENT_COLUMN)))
            if n
        ]
        for column, name in named:
            found.setdefault(column, None)
            if name and organisation is not None:
                branch_path = (
                    organisation.path[: -organisation.steplen]
                    if organisation.is_group
                    else organisation.path
                )
                matches = [
                    u
                    for (path, n), us in people.items()
                    if n == name and path.startswith(branch_path)
                    for u in us
                ]
                if len(matches) != 1:
                    problems.append(
                        _("%(column)s “%(name)s” is not a member of the branch.")
                        % {"column": column, "name": name}
                    )
                elif column == PRESENT_COLUMN:
                    present.append(matches[0])
                else:
                    found[column] = matches[0]
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        assert (
            organisation is not None and kind is not None and day is not None and time is not None
        )
        valid.append(
            ImportRow(
                row=number,
                organisation=organisation,
                kind=kind,
                starts_at=timezone.make_aware(datetime.datetime.combine(day, time)),
                place=_text(cells["地点"])[:200],
                host=found["主持人"],
                recorder=found["记录人"],
                topic=topic,
                minutes=_text(cells["主要内容"]),
                resolutions=_text(cells["决议"]),
                present=present,
            )
        )
    return valid, errors


@transaction.atomic
def meetings_import(*, file: IO[bytes], by: User) -> list[Meeting]:
    """Import the sheet, all or nothing. Raises :class:`MeetingImportError`."""
    rows, errors = _validate(_read(file), by)
    if errors:
        raise MeetingImportError(errors)
    created = []
    for r in rows:
        try:
            meeting = services.meeting_create(
                organisation=r.organisation,
                kind=r.kind,
                topic=r.topic,
                starts_at=r.starts_at,
                place=r.place,
                host=r.host,
                recorder=r.recorder,
                minutes=r.minutes,
                resolutions=r.resolutions,
                by=by,
            )
            expected = {a.user_id for a in meeting.attendances.all()}
            services.meeting_mark_attendance(
                meeting=meeting,
                by=by,
                marks={
                    u.pk: (Attendance.Status.PRESENT, "") for u in r.present if u.pk in expected
                },
                guests=[u for u in r.present if u.pk not in expected],
            )
            created.append(services.meeting_submit(meeting=meeting, by=by, check_quorum=False))
        except ValidationError as exc:
            raise MeetingImportError([RowError(r.row, " ".join(exc.messages))]) from exc
    return created


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "会议记录"
    sheet.append([*COLUMNS, PRESENT_COLUMN])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "机关第二党支部",
            "支委会",
            "2026-01-08",
            "14:30",
            "三楼会议室",
            "",
            "",
            "研究一月份工作",
            "",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
