"""The small demo organisation: a committee with staff, branches with groups, ~40 members.

Idempotent: organisations are found by code, people by username, so running it again
changes nothing. Other apps add their demo records through their own seed functions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from portal.models import Gender, Membership, Organisation, Position, User
from portal.services import membership_set, organisation_create

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - the demo logins, printed in the README

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = [
    "建国",
    "红梅",
    "志强",
    "秀英",
    "海涛",
    "丽娟",
    "晓明",
    "文静",
    "振华",
    "玉兰",
    "国庆",
    "婷婷",
    "宏伟",
    "雪梅",
    "卫东",
    "慧敏",
    "春生",
    "晓燕",
    "立新",
    "佳怡",
    "永刚",
    "淑芬",
    "子豪",
    "思远",
    "明辉",
    "桂英",
    "俊杰",
    "雅琴",
    "德胜",
    "梦瑶",
    "家豪",
    "凤霞",
    "鹏飞",
    "晓红",
    "浩然",
    "秀兰",
    "伟",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "超",
]
DEPARTMENTS = [
    "办公室",
    "货币信贷管理科",
    "金融稳定科",
    "支付结算科",
    "会计财务科",
    "国库科",
    "科技科",
    "人事科",
    "内审科",
]


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: str | None


TREE = [
    OrgSpec("DEMO-C", "中国人民银行示范市分行党委", Organisation.Kind.COMMITTEE, None),
    OrgSpec("DEMO-B1", "机关第一党支部", Organisation.Kind.BRANCH, "DEMO-C"),
    OrgSpec("DEMO-B1-G1", "机关第一党支部第一党小组", Organisation.Kind.GROUP, "DEMO-B1"),
    OrgSpec("DEMO-B1-G2", "机关第一党支部第二党小组", Organisation.Kind.GROUP, "DEMO-B1"),
    OrgSpec("DEMO-B2", "机关第二党支部", Organisation.Kind.BRANCH, "DEMO-C"),
    OrgSpec("DEMO-B2-G1", "机关第二党支部第一党小组", Organisation.Kind.GROUP, "DEMO-B2"),
    OrgSpec("DEMO-B2-G2", "机关第二党支部第二党小组", Organisation.Kind.GROUP, "DEMO-B2"),
    OrgSpec("DEMO-GB", "县支行党总支", Organisation.Kind.GENERAL_BRANCH, "DEMO-C"),
    OrgSpec("DEMO-B3", "营业室党支部", Organisation.Kind.BRANCH, "DEMO-GB"),
    OrgSpec("DEMO-B3-G1", "营业室党支部党小组", Organisation.Kind.GROUP, "DEMO-B3"),
    OrgSpec("DEMO-B4", "离退休干部党支部", Organisation.Kind.BRANCH, "DEMO-GB"),
    # A second, unrelated tree: the outsider's. Nobody above may see into it.
    OrgSpec("DEMO-X", "中国人民银行邻市分行党委", Organisation.Kind.COMMITTEE, None),
    OrgSpec("DEMO-X-B1", "邻市分行机关党支部", Organisation.Kind.BRANCH, "DEMO-X"),
]

# (username, name, branch code, group code, positions [(org code, title)], leading cadre)
PERSONAS = [
    (
        "committee",
        "张建国",
        "DEMO-B1",
        "DEMO-B1-G1",
        [("DEMO-C", Position.Title.DEPUTY_SECRETARY)],
        True,
    ),
    (
        "zuzhibu",
        "李文静",
        "DEMO-B1",
        "DEMO-B1-G2",
        [("DEMO-C", Position.Title.ORGANISATION_STAFF)],
        False,
    ),
    (
        "xuanchuanbu",
        "周晓燕",
        "DEMO-B1",
        "DEMO-B1-G2",
        [("DEMO-C", Position.Title.PROPAGANDA_STAFF)],
        False,
    ),
    (
        "secretary",
        "王红梅",
        "DEMO-B2",
        "DEMO-B2-G1",
        [("DEMO-B2", Position.Title.SECRETARY)],
        False,
    ),
    ("member", "刘志强", "DEMO-B2", "DEMO-B2-G1", [], False),
    ("outsider", "赵海涛", "DEMO-X-B1", None, [], False),
]


def _organisations() -> dict[str, Organisation]:
    existing = {o.code: o for o in Organisation.objects.filter(code__startswith="DEMO-")}
    for spec in TREE:
        if spec.code not in existing:
            parent = existing[spec.parent] if spec.parent else None
            existing[spec.code] = organisation_create(
                name=spec.name, kind=spec.kind, parent=parent, code=spec.code
            )
    return existing


def _person(username: str, name: str, index: int) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "name": name,
            "gender": Gender.FEMALE if name[-1] in "梅英静燕娟兰芬敏琴瑶霞红艳怡" else Gender.MALE,
            "birth_date": datetime.date(1965 + index % 35, 1 + index % 12, 1 + index % 28),
            "phone": f"139{index:08d}",
            "employee_number": f"E{index:05d}",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _ensure_position(user: User, organisation: Organisation, title: str) -> None:
    if (
        not Position.objects.current()
        .filter(user=user, organisation=organisation, title=title)
        .exists()
    ):
        Position.objects.create(
            user=user, organisation=organisation, title=title, started_on=datetime.date(2024, 1, 1)
        )


@transaction.atomic
def seed_demo() -> dict[str, int]:
    orgs = _organisations()

    admin, created = User.objects.get_or_create(
        username="admin", defaults={"name": "系统管理员", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])

    for index, (username, name, branch, group, positions, leading) in enumerate(PERSONAS, start=1):
        user = _person(username, name, index)
        if not Membership.objects.filter(user=user).exists():
            membership_set(
                user=user,
                branch=orgs[branch],
                group=orgs[group] if group else None,
                joined_party_on=datetime.date(1995 + index, 7, 1),
                department=DEPARTMENTS[index % len(DEPARTMENTS)],
                is_leading_cadre=leading,
            )
        for code, title in positions:
            _ensure_position(user, orgs[code], title)

    # The rest of the members, spread over the branches, with their officers.
    layout = {
        "DEMO-B1": (["DEMO-B1-G1", "DEMO-B1-G2"], 10),
        "DEMO-B2": (["DEMO-B2-G1", "DEMO-B2-G2"], 10),
        "DEMO-B3": (["DEMO-B3-G1"], 8),
        "DEMO-B4": ([], 5),
        "DEMO-X-B1": ([], 4),
    }
    officer_titles = [
        Position.Title.SECRETARY,
        Position.Title.ORGANISATION_COMMITTEE,
        Position.Title.PROPAGANDA_COMMITTEE,
        Position.Title.DISCIPLINE_COMMITTEE,
    ]
    index = 100
    for branch_code, (group_codes, count) in layout.items():
        for n in range(count):
            index += 1
            name = SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]
            user = _person(f"m{index}", name, index)
            group = orgs[group_codes[n % len(group_codes)]] if group_codes else None
            if not Membership.objects.filter(user=user).exists():
                membership_set(
                    user=user,
                    branch=orgs[branch_code],
                    group=group,
                    status=Membership.Status.PROBATIONARY
                    if n == count - 1
                    else Membership.Status.FULL,
                    joined_party_on=datetime.date(1985 + index % 38, 1 + index % 12, 1),
                    department=DEPARTMENTS[index % len(DEPARTMENTS)],
                    is_leading_cadre=n == 0 and branch_code != "DEMO-B4",
                )
            # The first members of each branch are its officers (DEMO-B2's secretary is the
            # 'secretary' persona), and the first of each group leads it.
            if n < len(officer_titles):
                title = officer_titles[n]
                if not (branch_code == "DEMO-B2" and title == Position.Title.SECRETARY):
                    _ensure_position(user, orgs[branch_code], title)
            if group is not None and n < len(group_codes):
                _ensure_position(user, group, Position.Title.GROUP_LEADER)
    return {
        "organisations": Organisation.objects.filter(code__startswith="DEMO-").count(),
        "members": Membership.objects.count(),
    }
