"""A year of the other apps' records for the scorecard benchmark, written with COPY.

Only for a throw-away copy of the province database (``bench.py --fill-year``): it writes
meetings, talks, plans, study logs, reflections, research reports and contest attempts
for every branch below the root committee, about what one provincial year holds
(DESIGN.md §1: ≈ 120k meetings, 200k reflections a year).
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from portal.models import Membership, Organisation, Position
from portal.scale import copy_rows
from portal.scoping import BRANCH_OFFICER_TITLES

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
MONTHLY = ["committee_meeting", "themed_party_day"]
QUARTERLY = ["branch_assembly", "party_lecture"]


def _at(day: datetime.date, hour: int = 14) -> str:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).isoformat()


@transaction.atomic
def fill_year(*, root: Organisation, year: int, seed: int = 2026) -> dict[str, int]:
    if connection.vendor != "postgresql":
        raise RuntimeError("needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM meetings_meeting)")
        if cursor.fetchone()[0]:
            raise RuntimeError("this database already has meetings: fill a fresh copy")
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    now = timezone.now().isoformat()
    branches = list(
        Organisation.objects.filter(path__startswith=root.path, kind=Organisation.Kind.BRANCH)
        .order_by("path")
        .values_list("pk", "path")
    )
    step = Organisation.steplen
    branch_by_path = {path: pk for pk, path in branches}
    groups: dict[int, list[int]] = defaultdict(list)
    for pk, path in Organisation.objects.filter(
        path__startswith=root.path, kind=Organisation.Kind.GROUP
    ).values_list("pk", "path"):
        if path[:-step] in branch_by_path:
            groups[branch_by_path[path[:-step]]].append(pk)
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, branch_id in Membership.objects.filter(
        branch__path__startswith=root.path
    ).values_list("user_id", "branch_id"):
        members[branch_id].append(user_id)
    officers: dict[int, list[int]] = defaultdict(list)
    for branch_id, user_id in (
        Position.objects.current()
        .filter(organisation__path__startswith=root.path, title__in=BRANCH_OFFICER_TITLES)
        .values_list("organisation_id", "user_id")
    ):
        officers[branch_id].append(user_id)
    counts: dict[str, int] = {}

    def meetings() -> Iterator[tuple[int, str, datetime.date]]:
        for branch_id, _path in branches:
            strength = rng.uniform(0.5, 1.0)  # how diligent this branch is
            for month in range(1, 13):
                for kind in MONTHLY:
                    if rng.random() < strength:
                        yield branch_id, kind, datetime.date(year, month, rng.randint(1, 28))
                for group_id in groups[branch_id]:
                    if rng.random() < strength:
                        yield (
                            group_id,
                            "group_meeting",
                            datetime.date(year, month, rng.randint(1, 28)),
                        )
            for quarter in range(4):
                for kind in QUARTERLY:
                    if rng.random() < strength:
                        yield (
                            branch_id,
                            kind,
                            datetime.date(
                                year, 3 * quarter + rng.randint(1, 3), rng.randint(1, 28)
                            ),
                        )
            for kind in ("organisational_life", "democratic_review"):
                if rng.random() < strength:
                    yield (
                        branch_id,
                        kind,
                        datetime.date(year, rng.randint(10, 12), rng.randint(1, 28)),
                    )

    def meeting_rows() -> Iterator[tuple[Any, ...]]:
        for org_id, kind, day in meetings():
            late = rng.random() < 0.1
            filed = day + datetime.timedelta(days=40 if late else 2)
            yield (
                org_id,
                kind,
                "学习贯彻会议精神",
                _at(day),
                day.isoformat(),
                "党员活动室",
                "",
                "",
                "",
                "archived",
                now,
                _at(filed),
                _at(filed),
                late,
                1,
            )

    counts["meetings"] = copy_rows(
        "meetings_meeting",
        [
            "organisation_id",
            "kind",
            "topic",
            "starts_at",
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
        ],
        meeting_rows(),
    )

    def talk_rows() -> Iterator[tuple[Any, ...]]:
        for branch_id, _path in branches:
            for officer in officers[branch_id]:
                for member in members[branch_id]:
                    if member != officer and rng.random() < 0.3:
                        day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                        yield day.isoformat(), "谈心谈话", "", now, officer, branch_id, member

    counts["talks"] = copy_rows(
        "meetings_talk",
        [
            "held_on",
            "topic",
            "notes",
            "created_at",
            "initiator_id",
            "organisation_id",
            "partner_id",
        ],
        talk_rows(),
    )
    counts["branch_plans"] = copy_rows(
        "learning_branchplan",
        ["year", "title", "notes", "status", "review_comment", "filed_by_id", "organisation_id"],
        (
            (
                year,
                f"{year}年度学习教育培训计划",
                "",
                rng.choice(["approved", "approved", "submitted", "draft"]),
                "",
                (officers[b] or members[b])[0],
                b,
            )
            for b, _p in branches
            if officers[b] or members[b]
        ),
    )
    counts["study_plans"] = copy_rows(
        "learning_studyplan",
        [
            "year",
            "goals",
            "topics",
            "methods",
            "target_hours",
            "status",
            "review_comment",
            "organisation_id",
            "user_id",
        ],
        (
            (
                year,
                "学深悟透",
                "党章党规",
                "",
                rng.choice([40, 48, 60]),
                rng.choice(["approved", "approved", "submitted"]),
                "",
                b,
                u,
            )
            for b, users in members.items()
            for u in users
            if rng.random() < 0.9
        ),
    )
    counts["study_logs"] = copy_rows(
        "learning_studylog",
        [
            "studied_on",
            "minutes",
            "method",
            "note",
            "status",
            "flag_reason",
            "created_at",
            "organisation_id",
            "user_id",
        ],
        (
            (
                datetime.date(year, month, rng.randint(1, 28)).isoformat(),
                rng.choice([30, 60, 90, 120]),
                "self",
                "",
                "counted",
                "",
                now,
                b,
                u,
            )
            for b, users in members.items()
            for u in users
            for month in range(1, 13)
            if rng.random() < 0.8
        ),
    )
    grades = ["excellent", "good", "good", "pass", "fail"]
    counts["reflections"] = copy_rows(
        "learning_reflection",
        [
            "title",
            "body",
            "body_text",
            "file",
            "status",
            "version",
            "grade",
            "review_comment",
            "is_exemplar",
            "originality_flagged",
            "originality_score",
            "originality_matches",
            "created_at",
            "submitted_at",
            "author_id",
            "organisation_id",
        ],
        (
            (
                "学习体会",
                "",
                "",
                "",
                "accepted",
                1,
                rng.choice(grades),
                "",
                False,
                False,
                0.0,
                json.dumps([]),
                now,
                _at(datetime.date(year, 3 * q + rng.randint(1, 3), rng.randint(1, 28))),
                u,
                b,
            )
            for b, users in members.items()
            for u in users
            for q in range(4)
            if rng.random() < 0.8
        ),
    )
    counts["research_reports"] = copy_rows(
        "learning_researchreport",
        [
            "title",
            "topic",
            "text",
            "file",
            "status",
            "created_at",
            "review_comment",
            "adopted_by",
            "adoption_decision",
            "adopted_on",
            "created_by_id",
            "organisation_id",
        ],
        (
            (
                "调研报告",
                "支付服务",
                "",
                "",
                "adopted",
                now,
                "",
                "分行党委",
                "",
                datetime.date(year, rng.randint(1, 12), 15).isoformat(),
                (officers[b] or members[b])[0],
                b,
            )
            for b, _p in branches
            if (officers[b] or members[b]) and rng.random() < 0.4
        ),
    )
    contest_ids = []
    with connection.cursor() as cursor:
        for quarter in range(4):
            closes = datetime.datetime(year, 3 * quarter + 3, 20, 18, tzinfo=SHANGHAI)
            cursor.execute(
                "INSERT INTO assessment_contest (title, description, opens_at, closes_at, time_limit_minutes, "
                "shuffle_options, attempts_allowed, counting, pass_mark, reveal, is_published, created_at, organisation_id) "
                "VALUES (%s, '', %s, %s, 30, true, 1, 'best', 60, 'after_close', true, now(), %s) RETURNING id",
                [
                    f"{year}年第{quarter + 1}季度应知应会竞赛",
                    closes - datetime.timedelta(days=14),
                    closes,
                    root.pk,
                ],
            )
            contest_ids.append((cursor.fetchone()[0], closes))
    counts["attempts"] = copy_rows(
        "assessment_attempt",
        [
            "number",
            "status",
            "started_at",
            "deadline",
            "finished_at",
            "score",
            "max_score",
            "percent",
            "passed",
            "counts",
            "branch_id",
            "user_id",
            "contest_id",
        ],
        (
            (
                1,
                "submitted",
                (closes - datetime.timedelta(days=2)).isoformat(),
                (closes - datetime.timedelta(days=2, minutes=-30)).isoformat(),
                (closes - datetime.timedelta(days=2, minutes=-20)).isoformat(),
                score,
                100,
                score,
                score >= 60,
                True,
                b,
                u,
                contest_id,
            )
            for contest_id, closes in contest_ids
            for b, users in members.items()
            for u in users
            for score in [rng.randint(40, 100)]
            if rng.random() < 0.7
        ),
    )
    with connection.cursor() as cursor:
        for table in [
            "meetings_meeting",
            "meetings_talk",
            "learning_branchplan",
            "learning_studyplan",
            "learning_studylog",
            "learning_reflection",
            "learning_researchreport",
            "assessment_attempt",
        ]:
            cursor.execute(f"ANALYZE {table}")
    return counts
