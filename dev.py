#!/usr/bin/env python3
"""One entry point for a developer's machine and for CI; needs only Python 3.11.

    python3 dev.py start   # install, migrate, load demo data, serve http://127.0.0.1:8000
    python3 dev.py test    # install test tools and run the whole test suite (pytest args pass through)
    python3 dev.py lint    # ruff, ruff format --check, mypy, makemigrations --check

It keeps its own virtual environment in .venv and reinstalls only when a requirements
file changed. With REDIS_URL set, `start` also runs a Celery worker and beat; with
DATABASE_URL set, everything runs on that database instead of the SQLite default.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def _stamp(requirements: str) -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv(requirements: str) -> None:
    """Create .venv and install ``requirements`` unless already installed as they are."""
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / f".installed-{requirements}"
    stamp = _stamp(requirements)
    if marker.exists() and marker.read_text() == stamp:
        return
    print(f"Installing {requirements} …", flush=True)
    run(
        [
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            requirements,
        ]
    )
    marker.write_text(stamp)


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env)  # noqa: S603 - our own commands
    if result.returncode != 0:
        sys.exit(result.returncode)


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    run([str(PYTHON), "manage.py", *args], env=env)


def start(args: list[str]) -> None:
    ensure_venv("requirements.txt")
    env = {**os.environ}
    env.setdefault("DJANGO_DEBUG", "1")
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", env=env)
    children: list[subprocess.Popen[bytes]] = []
    if env.get("REDIS_URL"):
        celery = str(BIN / "celery")
        for role in (
            ["worker", "--loglevel", "INFO", "--concurrency", "2"],
            ["beat", "--loglevel", "INFO"],
        ):
            children.append(subprocess.Popen([celery, "-A", "portal", *role], cwd=ROOT, env=env))  # noqa: S603
    address = args[0] if args else "127.0.0.1:8000"
    print(
        f"\nThe portal is at http://{address}/ — logins admin, committee, secretary, member, outsider; password demo-2026\n",
        flush=True,
    )
    try:
        subprocess.run([str(PYTHON), "manage.py", "runserver", address], cwd=ROOT, env=env)  # noqa: S603
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=30)


def test(args: list[str]) -> None:
    ensure_venv("requirements-dev.txt")
    run([str(PYTHON), "-m", "pytest", *args])


def lint(args: list[str]) -> None:
    ensure_venv("requirements-dev.txt")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"}
    run([str(BIN / "ruff"), "check", "."])
    run([str(BIN / "ruff"), "format", "--check", "."])
    run([str(BIN / "mypy"), "."], env=env)
    manage("makemigrations", "--check", "--dry-run", env=env)


COMMANDS = {"start": start, "test": test, "lint": lint}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])
