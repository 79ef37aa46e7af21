"""Province-scale study records for benchmarks (``seed_demo --scale province``).

Per member and year (``PROVINCE_LEARNING_YEARS``, default 5): a personal study plan, six
study logs and a reflection; per branch and year a branch plan; per committee a shelf of
materials assigned to its subtree. Rows are generated on the server with
``INSERT … SELECT generate_series`` (repeatable: statuses follow the user id), the fastest bulk path.
"""

from __future__ import annotations

import datetime
import os

from django.db import connection, transaction

from bench.seeding import skip_foreign_key_checks
from learning.models import (
    Assignment,
    BranchPlan,
    Material,
    Reflection,
    StudyLog,
    StudyPlan,
    Topic,
)
from portal.scale import ProvinceContext, reset_sequence

TOPICS = ["党的二十大精神", "党章党规", "党史学习教育", "习近平经济思想", "金融工作", "廉洁从业"]
BODY = (
    "通过学习，我深刻认识到理论武装的重要性。作为一名基层央行党员，要立足岗位，"
    "把学习成果转化为推动金融服务实体经济的实际行动，在本职工作中践行初心使命。"
)


def seed_province(context: ProvinceContext) -> str:
    years = int(os.environ.get("PROVINCE_LEARNING_YEARS", "5"))
    today = datetime.date.today()
    first_year = today.year - years + 1
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        skip_foreign_key_checks()
        cursor.execute("SELECT setseed(0.2026)")
        for name in TOPICS:
            Topic.objects.get_or_create(name=name)
        topic_ids = list(Topic.objects.filter(name__in=TOPICS).values_list("id", flat=True))
        branches = context.branch_ids
        # Materials: 20 per committee, 必学 for its subtree with a deadline in each year.
        cursor.execute(
            "INSERT INTO learning_material (kind, title, author, url, text, file, created_at, "
            "created_by_id, organisation_id) SELECT 'document', '学习材料第' || n || '号', "
            "'省分行党委', '', %s, '', now() - (n || ' days')::interval, u, c "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS t(c, u), generate_series(1, 20) n",
            [
                BODY * 4,
                list(context.committee_user_by_committee),
                list(context.committee_user_by_committee.values()),
            ],
        )
        counts["materials"] = cursor.rowcount
        cursor.execute(
            "INSERT INTO learning_assignment (requirement, due_on, assigned_at, assigned_by_id, "
            "material_id, organisation_id) SELECT CASE WHEN id %% 2 = 0 THEN 'required' "
            "ELSE 'elective' END, (created_at + interval '30 days')::date, created_at, "
            "created_by_id, id, organisation_id FROM learning_material WHERE organisation_id = "
            "ANY(%s)",
            [context.committee_ids],
        )
        # Branch plans, approved except this year's (half awaiting review).
        cursor.execute(
            "INSERT INTO learning_branchplan (year, title, notes, status, submitted_at, "
            "reviewed_at, review_comment, filed_by_id, organisation_id, reviewed_by_id) "
            "SELECT y, y || '年度学习教育培训计划', '', CASE WHEN y < %s OR random() < 0.5 "
            "THEN 'approved' ELSE 'submitted' END, make_date(y, 1, 15), NULL, '', sec, b, NULL "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS t(b, sec), generate_series(%s, %s) y",
            [
                today.year,
                branches,
                [context.secretary_by_branch[b] for b in branches],
                first_year,
                today.year,
            ],
        )
        counts["branch plans"] = cursor.rowcount
        member_sql = "SELECT user_id, branch_id FROM portal_membership WHERE branch_id = ANY(%s)"
        cursor.execute(
            "INSERT INTO learning_studyplan (year, goals, topics, methods, target_hours, status, "  # noqa: S608 - table names and fixed SQL fragments only; values are parameters
            "submitted_at, reviewed_at, review_comment, organisation_id, reviewed_by_id, user_id) "
            "SELECT y, '系统学习党的创新理论，提升履职能力', '党的二十大精神；党章党规', '自学与集中学习相结合', "
            "48, CASE WHEN y < %s THEN 'approved' WHEN r < 0.7 THEN 'approved' WHEN r < 0.9 "
            "THEN 'submitted' ELSE 'draft' END, CASE WHEN y < %s OR r < 0.9 THEN "
            "make_timestamptz(y, 1, 20, 2, 0, 0, 'UTC') END, NULL, '', m.branch_id, NULL, m.user_id "
            f"FROM ({member_sql}) m, generate_series(%s, %s) y, LATERAL (SELECT ((m.user_id * 7919 + y) %% 100) / 100.0 AS r) rr",
            [today.year, today.year, branches, first_year, today.year],
        )
        counts["study plans"] = cursor.rowcount
        # Six logs a member a year, spread over the year (this year: up to today).
        cursor.execute(
            "INSERT INTO learning_studylog (studied_on, minutes, method, note, status, "  # noqa: S608 - table names and fixed SQL fragments only; values are parameters
            "flag_reason, created_at, decided_by_id, material_id, organisation_id, user_id, "
            "topic_id) SELECT d, 30 + (k * 15) %% 120, (ARRAY['collective','lecture','discussion',"
            "'self'])[1 + k %% 4], '', 'counted', '', d::timestamptz, NULL, NULL, m.branch_id, "
            "m.user_id, (%s::bigint[])[1 + (m.user_id + k) %% %s] "
            f"FROM ({member_sql}) m, generate_series(%s, %s) y, generate_series(1, 6) k, "
            "LATERAL (SELECT LEAST(make_date(y, 1, 1) + (k * 60 - 55 + (m.user_id %% 50))::int, "
            "CURRENT_DATE) AS d) dd",
            [topic_ids, len(topic_ids), branches, first_year, today.year],
        )
        counts["study logs"] = cursor.rowcount
        # A reflection a member a year; this year's a tenth awaiting review.
        cursor.execute(
            "INSERT INTO learning_reflection (title, body, body_text, file, meeting_id, status, "  # noqa: S608 - table names and fixed SQL fragments only; values are parameters
            "version, grade, review_comment, reviewed_at, submitted_at, is_exemplar, "
            "originality_flagged, originality_score, originality_matches, created_at, "
            "activity_id, author_id, material_id, organisation_id, reviewed_by_id, topic_id) "
            "SELECT y || '年学习体会', '<p>' || %s || '</p>', %s, '', NULL, st, 1, "
            "CASE WHEN st = 'accepted' THEN (ARRAY['excellent','good','pass'])[1 + m.user_id %% 3] "
            "ELSE '' END, '', NULL, t, st = 'accepted' AND m.user_id %% 97 = 0, false, 0, '[]', t, "
            "NULL, m.user_id, NULL, m.branch_id, NULL, (%s::bigint[])[1 + m.user_id %% %s] "
            f"FROM ({member_sql}) m, generate_series(%s, %s) y, "
            "LATERAL (SELECT CASE WHEN y < %s OR (m.user_id * 7919 + y) %% 10 <> 0 THEN 'accepted' ELSE 'submitted' "
            "END AS st, LEAST(make_timestamptz(y, 6, 1, 2, 0, 0, 'UTC'), now()) AS t) s",
            [BODY, BODY, topic_ids, len(topic_ids), branches, first_year, today.year, today.year],
        )
        counts["reflections"] = cursor.rowcount
        for model in (Material, Assignment, BranchPlan, StudyPlan, StudyLog, Reflection):
            reset_sequence(model)
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" over {years} years"
