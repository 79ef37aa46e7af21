"""Helpers for benchmarks that time a whole page in-process (no server, no network)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


def time_page(user: Any, path: str, runs: int = 5) -> dict[str, Any]:
    """GET ``path`` as ``user`` ``runs`` times (after one warm-up); median and worst ms,
    queries per request and the response size; then ``runs`` times more with the cache
    emptied first: "cold ms" is what the first view after a change costs (a cached page's
    key moves whenever a table it reads changes). Empties the configured cache."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_HOST="127.0.0.1")
    client.force_login(user)
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    times = []
    queries = 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    cold = []
    for _ in range(runs):
        cache.clear()
        client.force_login(user)  # the session may have lived in the cache
        started = time.perf_counter()
        client.get(path)
        cold.append((time.perf_counter() - started) * 1000)
    return {
        "median ms": round(statistics.median(times)),
        "max ms": round(max(times)),
        "cold ms": round(statistics.median(cold)),
        "queries": queries,
        "KB": round(len(response.content) / 1024),
    }
