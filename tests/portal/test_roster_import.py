"""Roster import: every bad row reported with its number, all or nothing; 1,000 rows import."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from portal.models import Membership, Position, User
from portal.roster import COLUMNS, RosterImportError, roster_export, roster_import


def sheet(rows, header=COLUMNS):
    workbook = Workbook()
    ws = workbook.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def row(
    name="孙学习", phone="13700000001", branch="第一党支部", group="第一党小组", title="党员", **kw
):
    values = {
        "姓名": name,
        "性别": "男",
        "出生日期": datetime.date(1988, 5, 4),
        "入党日期": "2012-07-01",
        "党员类别": "正式党员",
        "所在支部": branch,
        "党小组": group,
        "职务": title,
        "部门": "货币信贷管理科",
        "手机": phone,
    }
    values.update(kw)
    return [values[c] for c in COLUMNS]


def test_each_bad_row_is_reported_and_nothing_imported(world):
    before = User.objects.count()
    rows = [
        row(phone="13700000001"),  # row 2: good
        row(name="钱日期", phone="13700000002", 出生日期="1988-13-45"),  # row 3: bad date
        row(name="李未知", phone="13700000003", branch="不存在党支部"),  # row 4: unknown branch
        row(name="周重复", phone="13700000001"),  # row 5: duplicate phone
        row(name="", phone="13700000005"),  # row 6: missing name
    ]
    with pytest.raises(RosterImportError) as caught:
        roster_import(file=sheet(rows))
    by_row = {e.row: e.message for e in caught.value.errors}
    assert set(by_row) == {3, 4, 5, 6}
    assert "出生日期" in by_row[3] and "1988-13-45" in by_row[3]
    assert "不存在党支部" in by_row[4]
    assert "row 2" in by_row[5] or "第2行" in by_row[5]
    assert "姓名" in by_row[6]
    assert User.objects.count() == before
    assert not User.objects.filter(phone="13700000001").exists()


def test_phone_of_another_person_is_refused(world):
    world.member.phone = "13700000009"
    world.member.save(update_fields=["phone"])
    with pytest.raises(RosterImportError) as caught:
        roster_import(file=sheet([row(name="另一人", phone="13700000009")]))
    assert caught.value.errors[0].row == 2


def test_missing_column_is_reported_as_row_one(world):
    with pytest.raises(RosterImportError) as caught:
        roster_import(file=sheet([["张三"]], header=["姓名"]))
    assert caught.value.errors[0].row == 1
    assert "手机" in caught.value.errors[0].message


def test_not_a_workbook_is_reported(world):
    with pytest.raises(RosterImportError):
        roster_import(file=io.BytesIO(b"PK\x03\x04 not really a zip"))


def test_good_roster_creates_members_and_positions(world):
    result = roster_import(
        file=sheet(
            [
                row(name="孙组长", phone="13700000011", title="组织委员、党小组长、领导干部"),
                row(name="钱党员", phone="13700000012", 党员类别="预备党员", 党小组=""),
            ]
        )
    )
    assert (result.created, result.updated) == (2, 0)
    leader = Membership.objects.get(user__phone="13700000011")
    assert leader.branch == world.branch and leader.group == world.group and leader.is_leading_cadre
    titles = set(Position.objects.filter(user=leader.user).values_list("title", flat=True))
    assert titles == {Position.Title.ORGANISATION_COMMITTEE, Position.Title.GROUP_LEADER}
    assert (
        Membership.objects.get(user__phone="13700000012").status == Membership.Status.PROBATIONARY
    )


def test_reimporting_the_same_sheet_updates_instead_of_duplicating(world):
    data = [row(name="孙组长", phone="13700000011", title="组织委员")]
    roster_import(file=sheet(data))
    result = roster_import(file=sheet(data))
    assert (result.created, result.updated, result.positions) == (0, 1, 0)
    assert User.objects.filter(phone="13700000011").count() == 1


def test_export_imports_back(world):
    exported = roster_export(Membership.objects.filter(branch=world.branch))
    world.secretary.phone = "13700000021"
    world.member.phone = "13700000022"
    world.committee_user.phone = "13700000023"
    for u in (world.secretary, world.member, world.committee_user):
        u.save(update_fields=["phone"])
    exported = roster_export(Membership.objects.filter(branch=world.branch))
    result = roster_import(file=io.BytesIO(exported))
    assert (result.created, result.updated, result.positions) == (0, 3, 0)


def test_a_thousand_rows_import(world, django_assert_max_num_queries):
    rows = [row(name=f"党员{n:04d}", phone=f"150{n:08d}", 党小组="") for n in range(1000)]
    # Lookups are one query each and inserts are batched (SQLite caps the parameters of
    # one statement, so it takes more batches than PostgreSQL): far below one per row.
    with django_assert_max_num_queries(60):
        result = roster_import(file=sheet(rows))
    assert result.created == 1000
    assert Membership.objects.filter(branch=world.branch).count() == 1003


def test_management_command_reports_rows_and_fails(world, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(sheet([row(name="", phone="13700000031")]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_members", str(path))
    assert "2" in capsys.readouterr().err
    good = tmp_path / "good.xlsx"
    good.write_bytes(sheet([row(name="孙命令", phone="13700000032")]).getvalue())
    call_command("import_members", str(good))
    assert User.objects.filter(name="孙命令").exists()


def test_admin_import_page_lists_errors_and_imports(client, world):
    admin = User.objects.create_superuser("root", password="x-long-password-1")
    client.force_login(admin)
    url = reverse("roster_import")
    bad = sheet([row(name="", phone="13700000041")])
    bad.name = "roster.xlsx"
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert response.context["errors"][0].row == 2
    good = sheet([row(name="孙后台", phone="13700000042")])
    good.name = "roster.xlsx"
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert User.objects.filter(name="孙后台").exists()


def test_admin_import_refuses_non_xlsx(client, world):
    admin = User.objects.create_superuser("root", password="x-long-password-1")
    client.force_login(admin)
    upload = io.BytesIO(b"name,phone\n")
    upload.name = "roster.csv"
    response = client.post(reverse("roster_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_member_cannot_open_import(as_user, world):
    response = as_user(world.member).get(reverse("roster_import"))
    assert response.status_code == 302
