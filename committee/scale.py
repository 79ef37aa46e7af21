"""Province-scale 目标责任 tasks and 宣传园地 posts for benchmarks (``seed_demo --scale province``).

Per year (``PROVINCE_TASK_YEARS``, default 5): each city committee gives its branches a
task a month and the province committee gives every branch four; past tasks are nearly
all accepted (a few still owed: overdue), recent ones spread over the states. Each
assignment has its history events. Twenty published posts per city committee. Generated
on the server with ``INSERT … SELECT``.
"""

from __future__ import annotations

import datetime
import os

from django.db import connection, transaction

from bench.seeding import skip_foreign_key_checks
from committee.models import Assignment, AssignmentEvent, Post, Task
from portal.scale import ProvinceContext, reset_sequence


def seed_province(context: ProvinceContext) -> str:
    years = int(os.environ.get("PROVINCE_TASK_YEARS", "5"))
    today = datetime.date.today()
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        skip_foreign_key_checks()
        cursor.execute("SELECT setseed(0.2026)")
        issuers = list(context.committee_user_by_committee.items())
        # Tasks: the province committee four a year, each city committee one a month.
        cursor.execute(
            "INSERT INTO committee_task (title, description, evidence_expected, due_on, "
            "created_at, created_by_id, issuer_id) SELECT CASE WHEN c = %s THEN '全省' ELSE '' "
            "END || to_char(d, 'YYYY年MM月') || '学习教育工作任务', '请按要求组织落实并报送佐证材料。', "
            "'会议记录、签到表、照片', d, d - interval '30 days', u, c "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS t(c, u), "
            "LATERAL generate_series(%s::date, %s::date, CASE WHEN c = %s THEN interval '3 months' "
            "ELSE interval '1 month' END) AS g(d)",
            [
                context.root_id,
                [c for c, _u in issuers],
                [u for _c, u in issuers],
                datetime.date(today.year - years + 1, 1, 25),
                today + datetime.timedelta(days=40),
                context.root_id,
            ],
        )
        counts["tasks"] = cursor.rowcount
        cursor.execute(
            "INSERT INTO committee_assignment (state, reported_at, decided_at, updated_at, "
            "assignee_id, organisation_id, task_id) SELECT st, CASE WHEN st IN ('reported', "
            "'accepted') THEN t.due_on - 3 END, CASE WHEN st = 'accepted' THEN t.due_on + 2 END, "
            "t.created_at, NULL, b.id, t.id FROM committee_task t JOIN portal_organisation i ON "
            "i.id = t.issuer_id JOIN portal_organisation b ON b.kind = 'branch' AND b.path LIKE "
            "i.path || '%%' AND b.id = ANY(%s), LATERAL (SELECT random() + b.id * 0 AS r) rr, "
            "LATERAL (SELECT CASE WHEN t.due_on < CURRENT_DATE - 30 THEN CASE WHEN r < 0.97 "
            "THEN 'accepted' ELSE 'assigned' END WHEN r < 0.4 THEN 'assigned' WHEN r < 0.6 THEN "
            "'reported' WHEN r < 0.7 THEN 'returned' ELSE 'accepted' END AS st) s "
            "WHERE t.issuer_id = ANY(%s)",
            [context.branch_ids, context.committee_ids],
        )
        counts["assignments"] = cursor.rowcount
        secretary = "(SELECT p.user_id FROM portal_position p WHERE p.organisation_id = a.organisation_id AND p.title = 'secretary' AND p.ended_on IS NULL LIMIT 1)"
        cursor.execute(
            "INSERT INTO committee_assignmentevent (kind, text, link, file, file_name, "  # noqa: S608 - table names and fixed SQL fragments only; values are parameters
            "created_at, actor_id, assignment_id) "
            "SELECT 'assigned', '', '', '', '', t.created_at, t.created_by_id, a.id "
            "FROM committee_assignment a JOIN committee_task t ON t.id = a.task_id "
            "WHERE t.issuer_id = ANY(%s) "
            "UNION ALL SELECT 'reported', '已按要求组织落实，佐证材料见附件。', '', '', '', "
            f"a.reported_at, {secretary}, a.id FROM committee_assignment a JOIN committee_task t "
            "ON t.id = a.task_id WHERE t.issuer_id = ANY(%s) AND a.reported_at IS NOT NULL "
            "UNION ALL SELECT 'accepted', '', '', '', '', a.decided_at, t.created_by_id, a.id "
            "FROM committee_assignment a JOIN committee_task t ON t.id = a.task_id "
            "WHERE t.issuer_id = ANY(%s) AND a.decided_at IS NOT NULL",
            [context.committee_ids] * 3,
        )
        counts["events"] = cursor.rowcount
        cursor.execute(
            "INSERT INTO committee_post (kind, title, body, state, featured, review_comment, "
            "created_at, published_at, source, source_ref, author_id, organisation_id) "
            "SELECT 'experience', '支部工作经验交流第' || n || '期', '<p>本支部坚持把学习贯彻党的创新理论"
            "作为首要任务，创新学习方式，取得了良好效果。</p>', 'published', n = 1, '', "
            "now() - n * interval '9 days', now() - n * interval '9 days', '', '', u, c "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS t(c, u), generate_series(1, 20) n",
            [[c for c, _u in issuers], [u for _c, u in issuers]],
        )
        counts["posts"] = cursor.rowcount
        for model in (Task, Assignment, AssignmentEvent, Post):
            reset_sequence(model)
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" over {years} years"
