"""Each load-test page timed in-process with production settings: the quick loop.

    DATABASE_URL=… .venv/bin/python bench/inprocess.py [--runs 20] [name filter]

Reads ``bench/out/targets.tsv`` (written by ``bench/sessions.py``), opens every page with
its user's session cookie through Django's test client (no server, no network) with the
settings the load test uses, and prints per page the median and 95th percentile of
``--runs`` requests after a warm-up, and the number of queries. Under 16 clients and two
workers a page's p95 is roughly eight times its service time here, so ~15 ms here is what
p95 < 150 ms under load needs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("only", nargs="?", default="")
    args = parser.parse_args()
    from load import environment

    os.environ.update(environment())
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    targets = [
        line.split("\t")
        for line in (ROOT / "bench" / "out" / "targets.tsv").read_text().splitlines()
    ]
    print(f"{'page':45} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for name, path, cookie in targets:
        if args.only not in name:
            continue
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
        if cookie:
            key, value = cookie.split("=", 1)
            client.cookies[key] = value
        response = client.get(path)
        if response.status_code != 200:
            print(f"{name:45} answered {response.status_code}")
            continue
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"{name:45} {statistics.median(times):8.1f} {p95:8.1f} "
            f"{len(queries):8d} {len(response.content) / 1024:6.0f}"
        )


if __name__ == "__main__":
    main()
