"""Where a page's time goes: each query's time and SQL head, then the top Python functions.

    DATABASE_URL=… DJANGO_DEBUG=1 .venv/bin/python bench/profile_page.py ROLE PATH
ROLE: committee (the province committee member), secretary, member (as bench/sessions.py).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.models import Membership, Organisation, Position

    role, path = sys.argv[1], sys.argv[2]
    root = Organisation.objects.get(code="PROV")
    if role == "committee":
        user = Position.objects.current().filter(organisation=root).first().user  # type: ignore[union-attr]
    else:
        post = (
            Position.objects.current()
            .filter(title="secretary", organisation__path__startswith=root.path)
            .order_by("organisation__path")[5]
        )
        user = post.user
        if role == "member":
            officers = Position.objects.current().values_list("user_id", flat=True)
            user = (
                Membership.objects.filter(branch=post.organisation)
                .exclude(user_id__in=officers)
                .order_by("user_id")
                .first()
                .user  # type: ignore[union-attr]
            )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        total = time.perf_counter() - started
    print(f"{path}: {response.status_code} in {total * 1000:.0f} ms, {len(queries)} queries")
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
