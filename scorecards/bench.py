"""Benchmark: build every scorecard of the province data in one process, report time and
peak memory.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://…/portal_bench \\
        .venv/bin/python -m scorecards.bench [--quarter 2026-Q3] [--committee PROV] [--runs 2]

It builds (or rebuilds) the quarter for the root committee (code ``PROV`` by default, the
``seed_demo --scale province`` tree) the way the Celery task does — chunks in
transactions, ranks at the end — and prints the wall time, the number of queries, and
the peak resident memory of the process (``resource.getrusage``). A second run shows the
idempotent path (every draft unchanged). It adds scorecard rows to the database and
changes nothing else, except with ``--fill-year 2026``, which first writes a year of the
other apps' records (scorecards/benchdata.py) and refuses a database that has meetings:
point it at a copy (``CREATE DATABASE copy TEMPLATE portal_bench``).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default="")
    parser.add_argument("--committee", default="PROV", help="organisation code of the committee")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--fill-year",
        type=int,
        default=0,
        help="first write a year of the other apps' records (only into a fresh copy of the database)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from portal.models import Membership, Organisation
    from scorecards.models import Scorecard, ScorecardLine
    from scorecards.quarters import Quarter
    from scorecards.services import chunk_size, scorecard_build_request, scorecard_build_run

    committee = Organisation.objects.filter(code=args.committee).first()
    if committee is None:
        print(f"no organisation with code {args.committee!r}", file=sys.stderr)
        return 1
    period = Quarter.parse(args.quarter, Quarter.current().previous())
    if args.fill_year:
        from scorecards.benchdata import fill_year

        started = time.perf_counter()
        counts = fill_year(root=committee, year=args.fill_year)
        print(f"filled {args.fill_year} in {time.perf_counter() - started:.1f} s: {counts}")
    branches = Organisation.objects.filter(
        path__startswith=committee.path, kind=Organisation.Kind.BRANCH
    ).count()
    members = Membership.objects.filter(branch__path__startswith=committee.path).count()
    print(
        f"{committee.name}: {branches} branches, {members} members; quarter {period.code}; "
        f"chunks of {chunk_size()}; database {connection.vendor}"
    )
    for run in range(1, args.runs + 1):
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            build = scorecard_build_request(committee=committee, period=period)
            build = scorecard_build_run(build_id=build.pk)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"run {run}: build #{build.run} {build.status} in {elapsed:.2f} s, "
            f"{len(queries)} queries, peak RSS {peak_mb:.0f} MB"
        )
    cards = Scorecard.objects.for_quarter(period).in_subtree(committee)
    print(
        f"scorecards for {period.code}: {cards.count()} "
        f"({ScorecardLine.objects.filter(scorecard__in=cards).count()} lines)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
