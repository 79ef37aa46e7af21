"""EXPLAIN ANALYZE of the heaviest queries at province scale, as docs/performance.md shows.

DATABASE_URL=… DJANGO_DEBUG=1 .venv/bin/python bench/explain.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from assessment import selectors as assessment_selectors
    from assessment.models import Contest
    from committee import caching
    from committee import selectors as committee_selectors
    from learning import selectors as learning_selectors
    from meetings import selectors as meeting_selectors
    from portal.models import Membership, Organisation, Position

    root = Organisation.objects.get(code="PROV")
    committee_user = Position.objects.current().filter(organisation=root).first().user  # type: ignore[union-attr]
    secretary = (
        Position.objects.current()
        .filter(title="secretary", organisation__path__startswith=root.path)
        .order_by("organisation__path")[5]
        .user
    )
    member = Membership.objects.filter(branch__path__startswith=root.path).order_by("id")[7].user
    year = timezone.localdate().year
    contest = Contest.objects.filter(organisation=root, closes_at__gt=timezone.now()).get()
    queries = {
        "compliance counts, 1,000 branches and their groups, a year (calendar, cache miss)": (
            meeting_selectors.held_by_month(
                Q(organisation__in=Organisation.objects.filter(path__startswith=root.path)), year
            )
        ),
        "a member's upcoming meetings (home page)": meeting_selectors.upcoming_for(member),
        # The page reads only its own tasks' rows (AssignmentTable pages over tasks).
        "落实情况一览表, first page (province committee)": committee_selectors.AssignmentTable(
            committee_user,
            committee_selectors.assignment_table(committee_user),
            caching.stamp(),
            (),
        ).page_rows(0, 25),
        "学习体会 list, first page (a branch secretary)": learning_selectors.reflection_list(
            secretary
        )[:25],
        "contest league, first page (open province contest)": assessment_selectors.member_league(
            contest
        )[:25],
    }
    with connection.cursor() as cursor:
        for title, queryset in queries.items():
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print(f"### {title}\n")
            print("\n".join(row[0] for row in cursor.fetchall()))
            print()
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT name, value FROM portal_changestamp "
            "WHERE name IN %s",
            [tuple(meeting_selectors.OVERVIEW_TABLES)],
        )
        print("### the overview's change stamps (calendar, every request)\n")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
