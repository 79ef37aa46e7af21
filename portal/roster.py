"""The member roster (党员花名册) as the .xlsx sheet secretaries already keep.

Columns: 姓名, 性别, 出生日期, 入党日期, 党员类别, 所在支部, 党小组, 职务, 部门, 手机.
Import is all or nothing: every bad row is reported with its row number and reason, and
if any row is bad nothing is written. A row whose phone number belongs to an existing
account of the same name updates that member, so importing the same sheet twice is safe.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.models import Gender, Membership, Organisation, Position, User, today
from portal.spreadsheets import RowError, SheetImportError
from portal.spreadsheets import parse_date as _parse_date
from portal.spreadsheets import read_sheet as read_spreadsheet
from portal.spreadsheets import text as _text

COLUMNS = (
    "姓名",
    "性别",
    "出生日期",
    "入党日期",
    "党员类别",
    "所在支部",
    "党小组",
    "职务",
    "部门",
    "手机",
)

GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}
STATUSES = {"正式党员": Membership.Status.FULL, "预备党员": Membership.Status.PROBATIONARY}
BRANCH_TITLES = {
    "书记": Position.Title.SECRETARY,
    "支部书记": Position.Title.SECRETARY,
    "副书记": Position.Title.DEPUTY_SECRETARY,
    "组织委员": Position.Title.ORGANISATION_COMMITTEE,
    "宣传委员": Position.Title.PROPAGANDA_COMMITTEE,
    "纪检委员": Position.Title.DISCIPLINE_COMMITTEE,
    "委员": Position.Title.COMMITTEE_MEMBER,
}
GROUP_TITLES = {"党小组长": Position.Title.GROUP_LEADER, "组长": Position.Title.GROUP_LEADER}
LEADING_CADRE = "领导干部"
PLAIN_MEMBER = {"党员", "无", "-"}
TITLE_SEPARATORS = re.compile(r"[、,，/;；\s]+")
PHONE = re.compile(r"^1\d{10}$")


class RosterImportError(SheetImportError):
    pass


@dataclass
class RosterRow:
    row: int
    name: str
    gender: str
    birth_date: datetime.date | None
    joined_party_on: datetime.date | None
    status: str
    branch: Organisation
    group: Organisation | None
    branch_titles: list[str]
    group_titles: list[str]
    is_leading_cadre: bool
    department: str
    phone: str


@dataclass
class RosterImportResult:
    created: int = 0
    updated: int = 0
    positions: int = 0
    rows: list[RosterRow] = field(default_factory=list)


def _normalise_phone(value: Any) -> str:
    phone = re.sub(r"[\s\-]", "", _text(value))
    if phone.startswith("+86"):
        phone = phone[3:]
    return phone


def read_sheet(file: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """The roster's data rows; raises :class:`RosterImportError` for a bad file."""
    return read_spreadsheet(file, required=COLUMNS, error=RosterImportError)


def validate_rows(
    rows: list[tuple[int, dict[str, Any]]], *, within: Organisation | None = None
) -> tuple[list[RosterRow], list[RowError]]:
    """Check every row against the tree and the accounts; a fixed number of queries."""
    branches_qs = Organisation.objects.filter(kind=Organisation.Kind.BRANCH)
    groups_qs = Organisation.objects.filter(kind=Organisation.Kind.GROUP)
    if within is not None:
        branches_qs = branches_qs.filter(path__startswith=within.path)
        groups_qs = groups_qs.filter(path__startswith=within.path)
    branches: dict[str, list[Organisation]] = {}
    for branch in branches_qs:
        branches.setdefault(branch.name, []).append(branch)
    groups: dict[tuple[str, str], Organisation] = {}
    for group in groups_qs:
        groups[(group.path[: -group.steplen], group.name)] = group
    phones = {_normalise_phone(c["手机"]) for _n, c in rows}
    existing = {
        u.phone: u for u in User.objects.filter(phone__in=phones).only("id", "name", "phone")
    }

    valid: list[RosterRow] = []
    errors: list[RowError] = []
    seen_phones: dict[str, int] = {}
    for number, cells in rows:
        problems: list[str] = []
        name = _text(cells["姓名"])
        if not name:
            problems.append(_("姓名 is empty."))
        gender_text = _text(cells["性别"])
        gender = GENDERS.get(gender_text, "")
        if gender_text and not gender:
            problems.append(_("性别 must be 男 or 女, not “%(value)s”.") % {"value": gender_text})
        birth = _parse_date(cells["出生日期"], "出生日期", problems)
        joined = _parse_date(cells["入党日期"], "入党日期", problems)
        if birth and birth > today():
            problems.append(_("出生日期 is in the future."))
        if birth and joined and joined < birth:
            problems.append(_("入党日期 is before 出生日期."))
        status_text = _text(cells["党员类别"])
        status = STATUSES.get(status_text, "")
        if not status:
            problems.append(
                _("党员类别 must be 正式党员 or 预备党员, not “%(value)s”.")
                % {"value": status_text}
            )
        branch_name = _text(cells["所在支部"])
        candidates = branches.get(branch_name, [])
        branch = candidates[0] if len(candidates) == 1 else None
        if not branch_name:
            problems.append(_("所在支部 is empty."))
        elif not candidates:
            problems.append(_("There is no branch named “%(name)s”.") % {"name": branch_name})
        elif len(candidates) > 1:
            problems.append(
                _("More than one branch is named “%(name)s”; rename one in the tree first.")
                % {"name": branch_name}
            )
        group_name = _text(cells["党小组"])
        group = None
        if group_name and branch is not None:
            group = groups.get((branch.path, group_name))
            if group is None:
                problems.append(
                    _("Branch “%(branch)s” has no Party group named “%(group)s”.")
                    % {"branch": branch_name, "group": group_name}
                )
        branch_titles: list[str] = []
        group_titles: list[str] = []
        leading = False
        for token in TITLE_SEPARATORS.split(_text(cells["职务"])):
            if not token or token in PLAIN_MEMBER:
                continue
            if token == LEADING_CADRE:
                leading = True
            elif token in BRANCH_TITLES:
                branch_titles.append(BRANCH_TITLES[token])
            elif token in GROUP_TITLES:
                if not group_name:
                    problems.append(_("党小组长 needs a 党小组."))
                group_titles.append(GROUP_TITLES[token])
            else:
                problems.append(_("职务 “%(value)s” is not a Party position.") % {"value": token})
        phone = _normalise_phone(cells["手机"])
        if not phone:
            problems.append(_("手机 is empty."))
        elif not PHONE.match(phone):
            problems.append(
                _("手机 “%(value)s” is not an 11-digit mobile number.") % {"value": phone}
            )
        elif phone in seen_phones:
            problems.append(
                _("手机 %(phone)s is already used in row %(row)d.")
                % {"phone": phone, "row": seen_phones[phone]}
            )
        else:
            seen_phones[phone] = number
            owner = existing.get(phone)
            if owner is not None and name and owner.name != name:
                problems.append(
                    _("手机 %(phone)s belongs to %(owner)s, not %(name)s.")
                    % {"phone": phone, "owner": owner.name, "name": name}
                )
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        assert branch is not None
        valid.append(
            RosterRow(
                row=number,
                name=name,
                gender=gender,
                birth_date=birth,
                joined_party_on=joined,
                status=status,
                branch=branch,
                group=group,
                branch_titles=branch_titles,
                group_titles=group_titles,
                is_leading_cadre=leading,
                department=_text(cells["部门"]),
                phone=phone,
            )
        )
    return valid, errors


@transaction.atomic
def roster_import(*, file: IO[bytes], within: Organisation | None = None) -> RosterImportResult:
    """Import a roster sheet, all or nothing. Raises :class:`RosterImportError`."""
    rows, errors = validate_rows(read_sheet(file), within=within)
    if errors:
        raise RosterImportError(errors)
    result = RosterImportResult(rows=rows)
    existing = {u.phone: u for u in User.objects.filter(phone__in=[r.phone for r in rows])}
    to_create = []
    for r in rows:
        user = existing.get(r.phone)
        if user is None:
            user = User(username=r.phone, phone=r.phone)
            user.set_unusable_password()
            to_create.append(user)
        user.name, user.gender, user.birth_date = r.name, r.gender, r.birth_date
    if to_create:
        User.objects.bulk_create(to_create)
    updated_users = [u for u in existing.values()]
    if updated_users:
        User.objects.bulk_update(updated_users, ["name", "gender", "birth_date"])
    result.created, result.updated = len(to_create), len(updated_users)
    users = {u.phone: u for u in User.objects.filter(phone__in=[r.phone for r in rows])}

    memberships = {m.user_id: m for m in Membership.objects.filter(user__in=users.values())}
    new_memberships: list[Membership] = []
    changed_memberships: list[Membership] = []
    for r in rows:
        user = users[r.phone]
        membership = memberships.get(user.pk) or Membership(user=user)
        membership.branch, membership.group = r.branch, r.group
        membership.status, membership.joined_party_on = r.status, r.joined_party_on
        membership.department, membership.is_leading_cadre = r.department, r.is_leading_cadre
        (changed_memberships if membership.pk else new_memberships).append(membership)
    Membership.objects.bulk_create(new_memberships)
    if changed_memberships:
        Membership.objects.bulk_update(
            changed_memberships,
            ["branch", "group", "status", "joined_party_on", "department", "is_leading_cadre"],
        )

    held = set(
        Position.objects.current()
        .filter(user__in=users.values())
        .values_list("user_id", "organisation_id", "title")
    )
    new_positions = []
    for r in rows:
        user = users[r.phone]
        wanted = [(r.branch, t) for t in r.branch_titles]
        if r.group is not None:
            wanted += [(r.group, t) for t in r.group_titles]
        for organisation, title in wanted:
            if (user.pk, organisation.pk, title) not in held:
                held.add((user.pk, organisation.pk, title))
                new_positions.append(Position(user=user, organisation=organisation, title=title))
    Position.objects.bulk_create(new_positions)
    result.positions = len(new_positions)
    return result


def roster_rows(memberships: Iterable[Membership]) -> Iterable[list[Any]]:
    """Rows of the roster sheet; memberships must come from :func:`roster_queryset`."""
    status_names: dict[str, str] = {str(v): k for k, v in STATUSES.items()}
    gender_names: dict[str, str] = {str(v): k for k, v in GENDERS.items()}
    branch_names = {v: k for k, v in BRANCH_TITLES.items() if k != "支部书记"}
    group_names = {Position.Title.GROUP_LEADER: "党小组长"}
    for m in memberships:
        titles = [
            (branch_names if p.organisation_id == m.branch_id else group_names).get(p.title, "")
            for p in m.user.current_positions  # type: ignore[attr-defined]
            if p.organisation_id in (m.branch_id, m.group_id)
        ]
        if m.is_leading_cadre:
            titles.append(LEADING_CADRE)
        yield [
            m.user.name,
            gender_names.get(m.user.gender, ""),
            m.user.birth_date,
            m.joined_party_on,
            status_names.get(m.status, ""),
            m.branch.name,
            m.group.name if m.group else "",
            "、".join(t for t in titles if t) or "党员",
            m.department,
            m.user.phone,
        ]


def roster_queryset(memberships: Any) -> Any:
    """Add what :func:`roster_rows` reads, in two queries whatever the number of rows."""
    return memberships.select_related("user", "branch", "group").prefetch_related(
        Prefetch(
            "user__positions",
            queryset=Position.objects.current(),
            to_attr="current_positions",
        )
    )


def roster_export(memberships: Any) -> bytes:
    """The roster as an .xlsx in the import format (so an export imports back)."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "党员花名册"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in roster_rows(roster_queryset(memberships)):
        sheet.append(row)
    for column, width in zip("ABCDEFGHIJ", (10, 6, 12, 12, 10, 24, 16, 18, 16, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
