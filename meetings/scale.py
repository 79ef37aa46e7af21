"""Province-scale 三会一课 records for benchmarks (``seed_demo --scale province``).

Two years (``PROVINCE_MEETING_YEARS``, default 2: five years, ~8M attendance rows, take
about six minutes here) of the meetings the default rules require of
each of the ~1,000 branches and their groups, with a few gaps and late records so the
calendars have something to show, and everyone's attendance. Meeting rows are written by
COPY with explicit ids; attendance is expanded on the server (``INSERT … SELECT`` joining
the meetings to the memberships), which is faster still than COPY from Python.
"""

from __future__ import annotations

import datetime
import os
import random
from typing import Any

from django.db import connection, transaction

from bench.seeding import skip_foreign_key_checks
from meetings.models import Attendance, Meeting
from portal.scale import ProvinceContext, copy_rows, next_id, reset_sequence

BRANCH_WIDE = (
    "branch_assembly",
    "party_lecture",
    "themed_party_day",
    "organisational_life",
    "democratic_review",
)
TOPICS = {
    "branch_assembly": "学习贯彻党的二十大精神专题支部党员大会",
    "committee_meeting": "研究部署本月党建工作",
    "group_meeting": "学习党章党规，交流学习体会",
    "party_lecture": "书记讲党课：坚定理想信念，践行初心使命",
    "themed_party_day": "主题党日：重温入党誓词",
    "organisational_life": "年度组织生活会",
    "democratic_review": "年度民主评议党员",
}
MINUTES = (
    "会议由支部书记主持。会议传达学习了上级党委有关文件精神，结合本支部工作实际进行了讨论，"
    "与会党员结合岗位职责交流了学习体会，会议对下一阶段工作作出安排。"
)


def _utc(day: datetime.date, hour: int) -> str:
    # Meetings start at 14:30 Beijing time, i.e. 06:30 UTC on the same date.
    return f"{day.isoformat()}T{hour:02d}:30:00+00:00"


def seed_province(context: ProvinceContext) -> str:
    years = int(os.environ.get("PROVINCE_MEETING_YEARS", "2"))
    rng = random.Random(8)  # noqa: S311 - repeatable demo data
    today = datetime.date.today()
    with transaction.atomic():
        skip_foreign_key_checks()
        first_meeting = next_id(Meeting)
        meeting_id = first_meeting
        officers: dict[int, list[int]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT organisation_id, user_id FROM portal_position WHERE ended_on IS NULL "
                "AND title <> 'group_leader' AND organisation_id = ANY(%s)",
                [context.branch_ids],
            )
            for org, uid in cursor.fetchall():
                officers.setdefault(org, []).append(uid)

        def rows() -> Any:
            nonlocal meeting_id
            for year in range(today.year - years + 1, today.year + 1):
                for branch in context.branch_ids:
                    secretary = context.secretary_by_branch[branch]
                    recorder = (officers.get(branch) or [secretary])[-1]
                    groups = context.group_ids_by_branch[branch]
                    for month in range(1, 13):
                        first = datetime.date(year, month, 1)
                        if first > today + datetime.timedelta(days=14):
                            break
                        plan: list[tuple[str, int]] = [
                            ("committee_meeting", branch),
                            ("themed_party_day", branch),
                        ] + [("group_meeting", g) for g in groups]
                        if month % 3 == 0:
                            plan += [("branch_assembly", branch), ("party_lecture", branch)]
                        if month == 12:
                            plan += [("organisational_life", branch), ("democratic_review", branch)]
                        for kind, org in plan:
                            # About one required meeting in twenty-five is never held.
                            if rng.random() < 0.04:
                                continue
                            day = first.replace(day=1 + rng.randrange(27))
                            recent = day > today - datetime.timedelta(days=10)
                            if day > today + datetime.timedelta(days=14):
                                continue
                            late = not recent and rng.random() < 0.05
                            filed = day + datetime.timedelta(days=20 if late else 1)
                            status = (
                                "draft"
                                if recent
                                else (
                                    "archived"
                                    if day.year < today.year or rng.random() < 0.6
                                    else "submitted"
                                )
                            )
                            yield (
                                meeting_id,
                                kind,
                                TOPICS[kind],
                                _utc(day, 6),
                                _utc(day, 8),
                                day.isoformat(),
                                "党员活动室",
                                TOPICS[kind] if kind == "party_lecture" else "",
                                MINUTES,
                                "",
                                status,
                                _utc(day, 9),
                                None if status == "draft" else _utc(filed, 9),
                                _utc(filed, 10) if status == "archived" else None,
                                late,
                                1,
                                recorder,
                                secretary,
                                secretary if kind == "party_lecture" else None,
                                org,
                                recorder,
                            )
                            meeting_id += 1

        meetings = copy_rows(
            Meeting._meta.db_table,
            [
                "id",
                "kind",
                "topic",
                "starts_at",
                "ends_at",
                "held_on",
                "place",
                "lecture_title",
                "minutes",
                "resolutions",
                "status",
                "created_at",
                "filed_at",
                "archived_at",
                "is_late",
                "version",
                "created_by_id",
                "host_id",
                "lecturer_id",
                "organisation_id",
                "recorder_id",
            ],
            rows(),
        )
        reset_sequence(Meeting)
        status_sql = (
            "CASE WHEN m.status = 'draft' AND m.held_on > CURRENT_DATE THEN 'absent' "
            "WHEN hashtextextended(m.id::text || ':' || ms.user_id::text, 0) %% 100 < 6 "
            "THEN 'leave' WHEN hashtextextended(m.id::text || ':' || ms.user_id::text, 0) "
            "%% 100 BETWEEN 6 AND 9 THEN 'absent' ELSE 'present' END"
        )
        attendance = 0
        with connection.cursor() as cursor:
            # Branch-wide meetings: every member of the branch.
            cursor.execute(
                "INSERT INTO meetings_attendance (status, reason, is_guest, has_vote, user_id, "  # noqa: S608 - table names and fixed SQL fragments only; values are parameters
                f"meeting_id) SELECT s, CASE WHEN s = 'leave' THEN '因公出差' ELSE '' END, false, "
                "status = 'full', user_id, meeting_id FROM (SELECT "
                f"{status_sql} AS s, ms.status, ms.user_id, m.id AS meeting_id "
                "FROM meetings_meeting m JOIN portal_membership ms ON ms.branch_id = m.organisation_id "
                "WHERE m.id >= %s AND m.kind = ANY(%s)) x",
                [first_meeting, list(BRANCH_WIDE)],
            )
            attendance += cursor.rowcount
            # 党小组会: the group's members.
            cursor.execute(
                "INSERT INTO meetings_attendance (status, reason, is_guest, has_vote, user_id, "  # noqa: S608 - table names and fixed SQL fragments only; values are parameters
                f"meeting_id) SELECT s, CASE WHEN s = 'leave' THEN '因公出差' ELSE '' END, false, "
                "status = 'full', user_id, meeting_id FROM (SELECT "
                f"{status_sql} AS s, ms.status, ms.user_id, m.id AS meeting_id "
                "FROM meetings_meeting m JOIN portal_membership ms ON ms.group_id = m.organisation_id "
                "WHERE m.id >= %s AND m.kind = 'group_meeting') x",
                [first_meeting],
            )
            attendance += cursor.rowcount
            # 支委会: the branch officers.
            cursor.execute(
                "INSERT INTO meetings_attendance (status, reason, is_guest, has_vote, user_id, "
                "meeting_id) SELECT 'present', '', false, true, p.user_id, m.id "
                "FROM meetings_meeting m JOIN portal_position p ON p.organisation_id = m.organisation_id "
                "AND p.ended_on IS NULL AND p.title <> 'group_leader' "
                "WHERE m.id >= %s AND m.kind = 'committee_meeting' "
                "ON CONFLICT DO NOTHING",
                [first_meeting],
            )
            attendance += cursor.rowcount
            cursor.execute("ANALYZE meetings_meeting")
            cursor.execute("ANALYZE meetings_attendance")
        reset_sequence(Attendance)
    return f"{meetings:,} meetings over {years} years, {attendance:,} attendance rows"
