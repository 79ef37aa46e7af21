"""A year of realistic 三会一课 records for the demo branches of portal/demo.py.

Idempotent: a meeting is identified by (organisation, kind, date), so running it again adds
nothing. Some months are left out on purpose, so the calendars show what 'missed' looks
like, and a few records are filed late (补记).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Meeting, Talk
from portal.models import Membership, Organisation, Position, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
BRANCH_CODES = ["DEMO-B1", "DEMO-B2", "DEMO-B3", "DEMO-B4"]

TOPICS = {
    Meeting.Kind.COMMITTEE_MEETING: [
        "研究本月党建工作安排",
        "讨论发展党员工作",
        "研究主题党日活动方案",
        "研究党费收缴情况",
    ],
    Meeting.Kind.THEMED_PARTY_DAY: [
        "重温入党誓词",
        "学习《中国共产党支部工作条例（试行）》",
        "参观廉政教育基地",
        "志愿服务进社区",
    ],
    Meeting.Kind.BRANCH_ASSEMBLY: [
        "传达学习上级会议精神",
        "讨论预备党员转正",
        "通报半年党建工作",
        "审议年度工作总结",
    ],
    Meeting.Kind.PARTY_LECTURE: [
        "深入学习贯彻党的创新理论",
        "以学促干，建设学习型党组织",
        "金融工作的政治性与人民性",
        "从严治党永远在路上",
    ],
    Meeting.Kind.GROUP_MEETING: ["学习交流读书体会", "讨论岗位建功措施", "学习业务知识"],
}
PLACES = ["三楼党员活动室", "五楼会议室", "党建活动中心"]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 30, tzinfo=SHANGHAI)


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _n in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _officers(branch: Organisation) -> list[User]:
    return [
        p.user
        for p in Position.objects.current()
        .filter(organisation=branch, title=Position.Title.SECRETARY)
        .select_related("user")
    ] + [
        p.user
        for p in Position.objects.current()
        .filter(organisation=branch)
        .exclude(title=Position.Title.SECRETARY)
        .select_related("user")
    ]


def _record(
    organisation: Organisation,
    kind: str,
    starts_at: datetime.datetime,
    topic: str,
    host: User | None,
    recorder: User | None,
    now: datetime.datetime,
    *,
    n: int,
    late: bool = False,
    lecturer: User | None = None,
) -> None:
    day = starts_at.astimezone(SHANGHAI).date()
    if Meeting.objects.filter(organisation=organisation, kind=kind, held_on=day).exists():
        return
    meeting = services.meeting_create(
        organisation=organisation,
        kind=kind,
        topic=topic,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
        place=PLACES[n % len(PLACES)],
        host=host,
        recorder=recorder,
        lecturer=lecturer if kind == Meeting.Kind.PARTY_LECTURE else None,
        lecture_title=topic if kind == Meeting.Kind.PARTY_LECTURE else "",
        minutes=f"会议由{host.name if host else '书记'}主持。{topic}。与会同志结合工作实际进行了交流发言。",
        resolutions="同意按会议讨论意见抓好落实。" if kind in Meeting.QUORUM_KINDS else "",
        agenda=["传达学习有关文件精神", topic, "布置下一阶段工作"],
        by=host,
    )
    if starts_at > now:
        return
    marks: dict[int, tuple[str, str]] = {}
    rows = list(meeting.attendances.all())
    for i, row in enumerate(rows):
        if len(rows) < 6:  # a small meeting: everyone came, so its votes stand
            marks[row.user_id] = (Attendance.Status.PRESENT, "")
        elif i == n % 5 and i > 0:
            marks[row.user_id] = (Attendance.Status.LEAVE, "出差")
        elif i == (n + 2) % 7 and i > 1:
            marks[row.user_id] = (Attendance.Status.ABSENT, "")
        else:
            marks[row.user_id] = (Attendance.Status.PRESENT, "")
    assert host is not None
    services.meeting_mark_attendance(meeting=meeting, by=host, marks=marks)
    filed = starts_at + datetime.timedelta(days=20 if late else 1)
    services.meeting_submit(meeting=meeting, by=host, now=min(filed, now))
    if starts_at < now - datetime.timedelta(days=30):
        services.meeting_archive(meeting=meeting, by=host)


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Add the last twelve months of records (and a few upcoming drafts) for the demo
    branches. Safe to run again."""
    now = timezone.now()
    today = timezone.localdate()
    branches = {o.code: o for o in Organisation.objects.filter(code__in=BRANCH_CODES)}
    before = Meeting.objects.count()
    for b_index, code in enumerate(BRANCH_CODES):
        branch = branches.get(code)
        if branch is None:
            continue
        officers = _officers(branch)
        if not officers:
            continue
        host = officers[0]
        recorder = officers[1] if len(officers) > 1 else host
        groups = list(
            Organisation.objects.filter(
                path__startswith=branch.path, kind=Organisation.Kind.GROUP
            ).order_by("path")
        )
        for m_index, month in enumerate(_months_back(today, 12)):
            n = b_index * 12 + m_index
            # Leave gaps: each branch skips a different month's 支委会 or 主题党日.
            if (m_index + b_index) % 7 != 3:
                _record(
                    branch,
                    Meeting.Kind.COMMITTEE_MEETING,
                    _at(month.replace(day=5), 14),
                    TOPICS[Meeting.Kind.COMMITTEE_MEETING][n % 4],
                    host,
                    recorder,
                    now,
                    n=n,
                    late=m_index % 5 == 4,
                )
            if (m_index + 2 * b_index) % 6 != 1:
                _record(
                    branch,
                    Meeting.Kind.THEMED_PARTY_DAY,
                    _at(month.replace(day=15), 9),
                    TOPICS[Meeting.Kind.THEMED_PARTY_DAY][n % 4],
                    host,
                    recorder,
                    now,
                    n=n + 1,
                )
            if month.month in (3, 6, 9, 12):
                _record(
                    branch,
                    Meeting.Kind.BRANCH_ASSEMBLY,
                    _at(month.replace(day=20), 15),
                    TOPICS[Meeting.Kind.BRANCH_ASSEMBLY][n % 4],
                    host,
                    recorder,
                    now,
                    n=n + 2,
                )
                if b_index != 3 or month.month != 6:
                    _record(
                        branch,
                        Meeting.Kind.PARTY_LECTURE,
                        _at(month.replace(day=22), 15),
                        TOPICS[Meeting.Kind.PARTY_LECTURE][n % 4],
                        host,
                        recorder,
                        now,
                        n=n + 3,
                        lecturer=host,
                    )
            if month.month == 1:
                _record(
                    branch,
                    Meeting.Kind.ORGANISATIONAL_LIFE,
                    _at(month.replace(day=25), 14),
                    "年度组织生活会：对照检查，开展批评和自我批评",
                    host,
                    recorder,
                    now,
                    n=n + 4,
                )
                _record(
                    branch,
                    Meeting.Kind.DEMOCRATIC_REVIEW,
                    _at(month.replace(day=26), 14),
                    "民主评议党员大会",
                    host,
                    recorder,
                    now,
                    n=n + 5,
                )
            for g_index, group in enumerate(groups):
                if (m_index + g_index) % 5 == 2:
                    continue
                _record(
                    group,
                    Meeting.Kind.GROUP_MEETING,
                    _at(month.replace(day=10 + g_index), 16),
                    TOPICS[Meeting.Kind.GROUP_MEETING][n % 3],
                    host,
                    recorder,
                    now,
                    n=n + g_index,
                )
        # 谈心谈话: the secretary has talked with a few members this year.
        members = list(
            Membership.objects.filter(branch=branch).exclude(user=host).select_related("user")[:4]
        )
        for t_index, membership in enumerate(members):
            held_on = today - datetime.timedelta(days=20 + 25 * t_index)
            if held_on.year != today.year:
                continue
            if not Talk.objects.filter(
                organisation=branch, initiator=host, partner=membership.user
            ).exists():
                services.talk_create(
                    organisation=branch,
                    initiator=host,
                    partner=membership.user,
                    held_on=held_on,
                    topic=["思想动态交流", "工作和学习情况", "家庭困难了解", "入党初心交流"][
                        t_index
                    ],
                    notes="谈话双方坦诚交流，谈话对象表示将进一步加强理论学习。",
                    by=host,
                )
        # An upcoming meeting as a draft, for the dashboard and the calendar feed.
        upcoming = today + datetime.timedelta(days=3 + b_index)
        _record(
            branch,
            Meeting.Kind.COMMITTEE_MEETING,
            _at(upcoming, 14),
            "研究下月党建工作安排",
            host,
            recorder,
            now,
            n=b_index,
        )
    return {"meetings": Meeting.objects.count() - before}
