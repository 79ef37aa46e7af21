"""Real parts for the tests about tasks: Celery workers on Redis and an SMTP server.

Workers run as separate processes (`celery -A portal worker`) against the test database,
so these tests need PostgreSQL and Redis (DATABASE_URL and REDIS_URL, as CI sets them);
on the embedded defaults they are skipped with a message saying so.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class SMTPRecorder:
    """An aiosmtpd handler that records messages and can refuse or stall on demand."""

    fail_next: int = 0  # refuse this many messages with a temporary error first
    always_fail: bool = False
    stall_seconds: float = 0.0  # hold each DATA this long before answering
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        if self.stall_seconds:
            await asyncio.sleep(self.stall_seconds)
        with self.lock:
            if self.always_fail or self.fail_next > 0:
                self.fail_next = max(0, self.fail_next - 1)
                return "451 4.3.0 Mailbox busy, try again later"
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


@dataclass
class SMTPServer:
    port: int
    recorder: SMTPRecorder


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield SMTPServer(port, recorder)
    controller.stop()


# --- Celery workers ----------------------------------------------------------------------------


def _require_real_services() -> None:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not settings.TEST_REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if missing:
        message = f"needs {' and '.join(missing)}: a worker is a separate process"
        if os.environ.get("CI") and os.environ.get("DATABASE_URL"):
            pytest.fail(message)
        pytest.skip(message)


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Start, kill and restart `celery worker` processes for one test."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *, concurrency: int = 2, **extra_env: str) -> subprocess.Popen[bytes]:
        env = {**self.env, **extra_env}
        log = self.log_dir / f"worker-{len(self.processes)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
                "--hostname",
                f"test{len(self.processes)}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{log.read_text()[-3000:]}")
            if " ready." in log.read_text(errors="replace"):
                return process
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready in 60 s:\n{log.read_text()[-3000:]}")

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its pool children at once: no clean shutdown."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace")[-4000:] for p in sorted(self.log_dir.glob("*.log"))
        )


@pytest.fixture
def celery_workers(transactional_db, smtp_server, tmp_path) -> Iterator[Workers]:
    """Real workers on Redis against the test database; tasks leave this process for real."""
    _require_real_services()
    import redis

    from portal.celery import app

    redis.Redis.from_url(settings.TEST_REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "1",
        "SECRET_KEY": "worker-test-secret",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.TEST_REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "CONN_MAX_AGE": "0",
    }
    app.conf.task_always_eager = False
    workers = Workers(env, tmp_path)
    try:
        yield workers
    finally:
        workers.stop_all()
        app.conf.task_always_eager = True


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float = 60,
    what: str = "condition",
    workers: Workers | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    logs = workers.logs() if workers else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")
