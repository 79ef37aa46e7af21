"""The load test: gunicorn (2 sync workers) on the province data, 16 clients with wrk.

    bench/load.sh            # or: .venv/bin/python bench/load.py [--duration 15] [--only NAME]

Starts gunicorn on 127.0.0.1 with production settings (DJANGO_DEBUG unset) plus the bare
comparison view, logs users in (bench/sessions.py), runs wrk against each page in turn and
then the contest load (1,000 members saving answers), and prints a table: p50/p95/p99 in
ms, requests/s, the ratio of requests/s to the bare view's, errors (non-200 responses and
socket errors) and the load average when the page ran. Loopback only.

``--churn SECONDS`` measures the pages while every change stamp moves every SECONDS, as if
something were written to every stamped table that often (a meeting filed, a study log
kept, a name changed somewhere in the province): each cached body, scope and count then
misses once per interval and is rebuilt by whichever request comes first. Without it the
figures are for cache hits, a page opened again with nothing changed.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULT = re.compile(
    r"RESULT p50=([\d.]+) p95=([\d.]+) p99=([\d.]+) rps=([\d.]+) ok=(\d+) errors=(\d+)"
)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_province")
    # As a deployment runs (docs/deployment.md): one cache all workers share, which also
    # keeps sessions (SESSION_ENGINE cached_db). CACHE_URL=locmemcache:// measures without.
    env.setdefault("CACHE_URL", "redis://127.0.0.1:6379/3")
    env.setdefault("SECRET_KEY", "load-test-secret-key-not-for-production-0123456789abcdef")
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings_bench",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        OTP_REQUIRED="false",
        PYTHONPATH=str(ROOT),
    )
    return env


def wrk(url: str, script: str, duration: int, env: dict[str, str]) -> dict[str, float]:
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--timeout", "10s", "-s", script, url],  # noqa: S607 - wrk from PATH, a benchmark tool
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    match = RESULT.search(completed.stdout)
    if not match:
        raise RuntimeError(f"wrk failed: {completed.stdout}\n{completed.stderr}")
    p50, p95, p99, rps, ok, errors = match.groups()
    return {
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "rps": float(rps),
        "ok": int(ok),
        "errors": int(errors),
    }


class Churn:
    """While running, moves every change stamp each ``interval`` seconds (portal/stamps.py):
    the effect of a write to every stamped table, without writing any rows."""

    def __init__(self, database_url: str, interval: float) -> None:
        self.database_url, self.interval = database_url, interval
        self.stop = threading.Event()
        self.moves = 0
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        import psycopg2

        try:
            connection = psycopg2.connect(self.database_url)
            connection.autocommit = True
            with connection.cursor() as cursor:
                while not self.stop.wait(self.interval):
                    cursor.execute(
                        "UPDATE portal_changestamp SET value = nextval('portal_changestamp_seq')"
                    )
                    self.moves += 1
            connection.close()
        except Exception as exc:  # noqa: BLE001 - reported by __exit__: the run is void
            self.error = exc

    def __enter__(self) -> Churn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        if self.error is not None or self.moves == 0:
            raise RuntimeError(f"--churn moved no stamps, so the run is void: {self.error}")


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--contest-users", type=int, default=1000)
    parser.add_argument(
        "--churn", type=float, default=0, help="move every change stamp each CHURN seconds"
    )
    args = parser.parse_args()
    env = environment()
    base = f"http://127.0.0.1:{args.port}"
    OUT.mkdir(exist_ok=True)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(  # noqa: S603 - fixed argv, no shell
        [python, "bench/sessions.py", str(args.contest_users)], cwd=ROOT, env=env, check=True
    )
    log = (OUT / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi", "--workers", "2",
         "--worker-class", "sync", "--bind", f"127.0.0.1:{args.port}", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/bench/bare/", timeout=5)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.5)
        rows = []
        print(f"uptime at start: {Path('/proc/loadavg').read_text().strip()}", flush=True)
        for line in (OUT / "targets.tsv").read_text().splitlines():
            name, path, cookie = [*line.split("\t"), ""][:3]
            if args.only and name != "bare view" and not any(o in name for o in args.only):
                continue
            page_env = dict(env, PAGE_COOKIE=cookie)
            # Warm up both workers (imports, template loading) before measuring.
            wrk(base + path, "bench/page.lua", 2, page_env)
            if args.churn:
                with Churn(env["DATABASE_URL"], args.churn) as churn:
                    figures = wrk(base + path, "bench/page.lua", args.duration, page_env)
                figures["moves"] = churn.moves
            else:
                figures = wrk(base + path, "bench/page.lua", args.duration, page_env)
            figures["load"] = float(load_average())
            rows.append((name, path, figures))
            moved = f", stamps moved {figures['moves']:g} times" if args.churn else ""
            print(f"  {name}: p95 {figures['p95']} ms, {figures['rps']} req/s{moved}", flush=True)
        if not args.only or any("answer" in o for o in args.only):
            figures = wrk(base + "/", "bench/answers.lua", args.duration, env)
            figures["load"] = float(load_average())
            rows.append(("contest: save an answer (1,000 members)", "POST …/answer/", figures))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    bare = next((f["rps"] for n, _p, f in rows if n == "bare view"), 0) or 1
    width = max(len(n) for n, _p, _f in rows)
    print()
    print(
        f"{'page'.ljust(width)}  {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7} {'÷bare':>6} {'errors':>6} {'load':>5}"
    )
    for name, _path, f in rows:
        print(
            f"{name.ljust(width)}  {f['p50']:7.1f} {f['p95']:7.1f} {f['p99']:7.1f} "
            f"{f['rps']:7.1f} {f['rps'] / bare:6.2f} {f['errors']:6d} {f['load']:5.2f}"
        )
    print(f"\n16 clients (wrk -t2 -c16 -d{args.duration}s), gunicorn 2 sync workers; ms; "
          f"load average at the end of each page's run; nproc {os.cpu_count()}")  # fmt: skip
    if args.churn:
        print(f"every change stamp moved each {args.churn:g} s while a page ran")
    sys.exit(0)


if __name__ == "__main__":
    main()
