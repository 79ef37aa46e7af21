"""Province-scale data: ~1,000 branches and ~50,000 members in a minute, by COPY.

``python manage.py seed_demo --scale province`` calls :func:`seed_province` and then each
app's own ``scale.seed_province(context)``. Rows are written with PostgreSQL's COPY and
explicit ids (a million rows take about a second that way; the ORM takes twenty), so
this needs PostgreSQL. Everything it creates hangs below one root committee whose code
is ``PROV``; running it again first removes nothing and refuses, so a benchmark database
is built once.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from portal.demo import DEMO_PASSWORD, GIVEN, SURNAMES
from portal.models import Membership, Organisation, Position, User

ALPHABET = Organisation.alphabet
STEP = Organisation.steplen

CITIES = [
    "省会",
    "东江",
    "西岭",
    "南湖",
    "北原",
    "清河",
    "临海",
    "青山",
    "白水",
    "长丰",
    "安平",
    "永宁",
    "宝泉",
    "新城",
]
BRANCH_NAMES = [
    "办公室",
    "货币信贷管理科",
    "金融稳定科",
    "支付结算科",
    "会计财务科",
    "国库科",
    "科技科",
    "人事科",
    "内审科",
    "调查统计科",
    "外汇管理科",
    "金融消费权益保护科",
    "反洗钱科",
    "营业室",
    "发行库",
    "保卫科",
]


def segment(n: int) -> str:
    """The n-th (1-based) path step, as treebeard writes it."""
    digits = ""
    while n:
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    return digits.rjust(STEP, "0")


@dataclass
class ProvinceContext:
    """What app seeders need: ids and paths of what the portal part made."""

    root_id: int
    committee_ids: list[int] = field(default_factory=list)
    branch_ids: list[int] = field(default_factory=list)
    group_ids_by_branch: dict[int, list[int]] = field(default_factory=dict)
    # (user id, branch id, group id or None), in branch order
    members: list[tuple[int, int, int | None]] = field(default_factory=list)
    secretary_by_branch: dict[int, int] = field(default_factory=dict)
    committee_user_by_committee: dict[int, int] = field(default_factory=dict)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY ``rows`` into ``table``; returns how many went in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
        count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    return count


def next_id(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608 - a model's own table name
        return int(cursor.fetchone()[0])


def reset_sequence(model: Any) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
        )


@transaction.atomic
def seed_province(
    *, branches: int = 1000, members: int = 50000, seed: int = 2026
) -> ProvinceContext:
    if connection.vendor != "postgresql":
        raise RuntimeError("The province-scale data needs PostgreSQL (set DATABASE_URL).")
    if Organisation.objects.filter(code="PROV").exists():
        raise RuntimeError("Province data is already loaded (organisation code PROV).")
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    today = datetime.date.today()

    # --- the tree: province committee → city committees → (党总支 →) branches → groups ----
    last_root = Organisation.objects.get_last_root_node()
    roots = int(last_root.path, len(ALPHABET)) if last_root else 0
    org_id = next_id(Organisation)
    org_rows: list[tuple[Any, ...]] = []

    def add(path: str, name: str, kind: str, numchild: int, code: str = "") -> int:
        nonlocal org_id
        org_rows.append((org_id, path, len(path) // STEP, numchild, name, kind, code, None, True))
        org_id += 1
        return org_id - 1

    root_path = segment(roots + 1)
    # Every city committee gets branches: a small province has fewer cities.
    cities = CITIES[: max(1, min(len(CITIES), branches))]
    per_city = [
        branches // len(cities) + (1 if i < branches % len(cities) else 0)
        for i in range(len(cities))
    ]
    context = ProvinceContext(
        root_id=add(root_path, "中国人民银行某省分行党委", "committee", len(cities), "PROV")
    )
    context.committee_ids.append(context.root_id)
    branch_paths: dict[int, str] = {}
    for c, city in enumerate(cities, start=1):
        city_path = root_path + segment(c)
        count = per_city[c - 1]
        # A fifth of a city's branches sit under one 党总支, as county sub-branches do.
        under_general = count // 5
        direct = count - under_general
        city_id = add(
            city_path, f"中国人民银行{city}市分行党委", "committee", direct + 1, f"PROV-{c:02d}"
        )
        context.committee_ids.append(city_id)
        general_path = city_path + segment(direct + 1)
        parents = [(city_path, i + 1) for i in range(direct)] + [
            (general_path, i + 1) for i in range(under_general)
        ]
        for n, (parent_path, position) in enumerate(parents):
            group_count = 2 + (n % 3)
            path = parent_path + segment(position)
            name = (
                f"{city}{BRANCH_NAMES[n % len(BRANCH_NAMES)]}第{n // len(BRANCH_NAMES) + 1}党支部"
            )
            branch_id = add(path, name, "branch", group_count)
            branch_paths[branch_id] = path
            context.branch_ids.append(branch_id)
            context.group_ids_by_branch[branch_id] = [
                add(path + segment(g), f"{name}第{g}党小组", "group", 0)
                for g in range(1, group_count + 1)
            ]
        add(general_path, f"{city}县支行党总支", "general_branch", under_general)
    copy_rows(
        Organisation._meta.db_table,
        ["id", "path", "depth", "numchild", "name", "kind", "code", "established_on", "is_active"],
        org_rows,
    )
    reset_sequence(Organisation)

    # --- people ---------------------------------------------------------------------------
    password = make_password(DEMO_PASSWORD)
    user_id = next_id(User)
    first_user = user_id
    user_rows = []
    member_rows = []
    membership_id = next_id(Membership)
    per_branch = [members // len(context.branch_ids)] * len(context.branch_ids)
    for i in range(members - sum(per_branch)):
        per_branch[i] += 1
    for branch_id, count in zip(context.branch_ids, per_branch, strict=True):
        groups = context.group_ids_by_branch[branch_id]
        for k in range(count):
            n = user_id - first_user
            name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
            user_rows.append(
                (
                    user_id,
                    password,
                    False,
                    f"p{n:06d}",
                    "",
                    "",
                    "",
                    False,
                    True,
                    "2024-01-01T00:00:00+00:00",
                    name,
                    "M" if rng.random() < 0.55 else "F",
                    datetime.date(
                        1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                    f"186{n:08d}",
                    f"P{n:06d}",
                    0,
                )
            )
            group_id = groups[k % len(groups)]
            member_rows.append(
                (
                    membership_id,
                    user_id,
                    branch_id,
                    group_id,
                    "probationary" if rng.random() < 0.04 else "full",
                    datetime.date(1980 + rng.randrange(45), 1 + rng.randrange(12), 1),
                    BRANCH_NAMES[rng.randrange(len(BRANCH_NAMES))],
                    rng.random() < 0.08,
                )
            )
            context.members.append((user_id, branch_id, group_id))
            user_id += 1
            membership_id += 1
    copy_rows(
        User._meta.db_table,
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "name",
            "gender",
            "birth_date",
            "phone",
            "employee_number",
            "unread_notifications",
        ],
        user_rows,
    )
    copy_rows(
        Membership._meta.db_table,
        [
            "id",
            "user_id",
            "branch_id",
            "group_id",
            "status",
            "joined_party_on",
            "department",
            "is_leading_cadre",
        ],
        member_rows,
    )
    reset_sequence(User)
    reset_sequence(Membership)

    # --- positions: each branch's officers, each group's leader, each committee's staff ----
    position_rows = []
    position_id = next_id(Position)
    start = today.replace(year=today.year - 2, month=1, day=1)
    by_branch: dict[int, list[tuple[int, int | None]]] = {}
    for uid, bid, gid in context.members:
        by_branch.setdefault(bid, []).append((uid, gid))
    titles = ["secretary", "organisation_committee", "propaganda_committee", "discipline_committee"]
    for bid, people in by_branch.items():
        for title, (uid, _gid) in zip(titles, people, strict=False):
            position_rows.append((position_id, uid, bid, title, start, None))
            position_id += 1
            if title == "secretary":
                context.secretary_by_branch[bid] = uid
        for g, gid in enumerate(context.group_ids_by_branch[bid]):
            leader = people[4 + g] if len(people) > 4 + g else people[-1]
            position_rows.append((position_id, leader[0], gid, "group_leader", start, None))
            position_id += 1
    # Committee posts go to a member of the committee's first branch.
    first_branch_of: dict[int, int] = {}
    for committee_id in context.committee_ids:
        committee_path = next(r[1] for r in org_rows if r[0] == committee_id)
        first = next(b for b, p in branch_paths.items() if p.startswith(committee_path))
        first_branch_of[committee_id] = first
        uid = by_branch[first][-1][0]
        position_rows.append((position_id, uid, committee_id, "committee_member", start, None))
        position_id += 1
        context.committee_user_by_committee[committee_id] = uid
    copy_rows(
        Position._meta.db_table,
        ["id", "user_id", "organisation_id", "title", "started_on", "ended_on"],
        position_rows,
    )
    reset_sequence(Position)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return context
