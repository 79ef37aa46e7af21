"""Province-scale 考学 data for benchmarks (``seed_demo --scale province``).

A province question bank of 400 single-choice questions; two province-wide contests a
year for five years (``PROVINCE_CONTEST_YEARS``), each taken by half the members with
twenty questions an attempt (≈ 5,000,000 answers); and one contest open now, already
taken by a tenth of the members, for the league table and the contest load test.
Generated on the server with ``INSERT … SELECT``.
"""

from __future__ import annotations

import datetime
import os

from django.db import connection, transaction

from assessment.models import Attempt, AttemptItem, Contest, DrawRule, Question, QuestionVersion
from bench.seeding import skip_foreign_key_checks
from portal.scale import ProvinceContext, reset_sequence

QUESTIONS = 400
PER_ATTEMPT = 20
TOPICS = ["党章党规", "党史", "二十大精神", "金融知识"]


def seed_province(context: ProvinceContext) -> str:
    years = int(os.environ.get("PROVINCE_CONTEST_YEARS", "5"))
    today = datetime.date.today()
    creator = context.committee_user_by_committee[context.root_id]
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        skip_foreign_key_checks()
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(
            "INSERT INTO assessment_question (topic, difficulty, is_active, created_at, "
            "organisation_id, current_id) SELECT (%s::text[])[1 + n %% 4], 1 + n %% 3, true, "
            "now() - interval '6 years', %s, NULL FROM generate_series(1, %s) n RETURNING id",
            [TOPICS, context.root_id, QUESTIONS],
        )
        counts["questions"] = cursor.rowcount
        cursor.execute(
            "INSERT INTO assessment_questionversion (number, kind, stem, options, answer, "
            "accepted_answers, explanation, source, created_at, created_by_id, question_id) "
            "SELECT 1, 'single', '第' || id || '题：根据党章规定，下列说法正确的是（ ）', "
            '\'["坚持民主集中制", "实行个人负责制", "只对上级负责", "以上都不对"]\', '
            "(ARRAY['A','B','C','D'])[1 + id %% 4], '[]', '见《中国共产党章程》。', '党章', "
            "created_at, %s, id FROM assessment_question WHERE organisation_id = %s",
            [creator, context.root_id],
        )
        cursor.execute(
            "UPDATE assessment_question q SET current_id = v.id FROM assessment_questionversion v "
            "WHERE v.question_id = q.id AND q.organisation_id = %s",
            [context.root_id],
        )
        # Contests: two a year (closed), plus one open now.
        windows: list[tuple[datetime.datetime, datetime.datetime, str]] = []
        for year in range(today.year - years + 1, today.year + 1):
            for month in (4, 10):
                opens = datetime.datetime(year, month, 1, 0, 0, tzinfo=datetime.UTC)
                closes = opens + datetime.timedelta(days=14)
                if closes.date() < today:
                    windows.append((opens, closes, f"{year}年第{month // 4 + 1}期党的理论知识竞赛"))
        now = datetime.datetime.now(tz=datetime.UTC)
        windows.append(
            (
                now - datetime.timedelta(days=3),
                now + datetime.timedelta(days=30),
                "全省党员应知应会知识竞赛",
            )
        )
        contest_ids = []
        for opens, closes, title in windows:
            cursor.execute(
                "INSERT INTO assessment_contest (title, description, opens_at, closes_at, "
                "time_limit_minutes, shuffle_options, attempts_allowed, counting, pass_mark, "
                "reveal, is_published, created_at, created_by_id, organisation_id) VALUES "
                "(%s, '', %s, %s, 30, true, 1, 'best', 60, 'after_close', true, %s, %s, %s) "
                "RETURNING id",
                [title, opens, closes, opens, creator, context.root_id],
            )
            contest_id = cursor.fetchone()[0]
            contest_ids.append(contest_id)
            cursor.execute(
                "INSERT INTO assessment_drawrule (topic, difficulty, count, points, contest_id) "
                "VALUES ('', NULL, %s, 5, %s)",
                [PER_ATTEMPT, contest_id],
            )
        counts["contests"] = len(contest_ids)
        open_contest = contest_ids[-1]
        # Attempts: half the members for a closed contest, a tenth for the open one.
        cursor.execute(
            "INSERT INTO assessment_attempt (number, status, started_at, deadline, finished_at, "
            "score, max_score, percent, passed, counts, branch_id, user_id, contest_id) "
            "SELECT 1, 'submitted', st, st + interval '30 minutes', st + interval '18 minutes', "
            "p, 100, p, p >= 60, true, m.branch_id, m.user_id, c.id "
            "FROM assessment_contest c JOIN portal_membership m ON m.branch_id = ANY(%s) "
            "AND CASE WHEN c.id = %s THEN m.user_id %% 10 = 0 ELSE (m.user_id + c.id) %% 2 = 0 END, "
            "LATERAL (SELECT LEAST(c.opens_at + (m.user_id %% 300) * interval '1 hour', now() - "
            "interval '1 hour') AS st, (40 + floor(random() * 13 + c.id * 0) * 5)::numeric AS p) x "
            "WHERE c.id = ANY(%s)",
            [context.branch_ids, open_contest, contest_ids],
        )
        counts["attempts"] = cursor.rowcount
        cursor.execute(
            "SELECT array_agg(v.id ORDER BY v.id) FROM assessment_questionversion v JOIN "
            "assessment_question q ON q.id = v.question_id WHERE q.organisation_id = %s",
            [context.root_id],
        )
        versions = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO assessment_attemptitem (position, option_order, points, response, "
            "answered_at, is_correct, attempt_id, version_id) SELECT pos, 'ABCD', 5, "
            "(ARRAY['A','B','C','D'])[1 + (a.id + pos) %% 4], a.started_at + pos * interval '50 seconds', "
            "random() < 0.7 + a.id * 0, a.id, (%s::bigint[])[1 + (a.id * 7 + pos * 13) %% %s] "
            "FROM assessment_attempt a, generate_series(1, %s) pos WHERE a.contest_id = ANY(%s)",
            [versions, len(versions), PER_ATTEMPT, contest_ids],
        )
        counts["answers"] = cursor.rowcount
        for model in (Question, QuestionVersion, Contest, DrawRule, Attempt, AttemptItem):
            reset_sequence(model)
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return ", ".join(f"{v:,} {k}" for k, v in counts.items())
