"""Backup and restore, as docs/backup.md says to do them: pg_dump -Fc of a database holding
the demo data, pg_restore into a fresh database, and every table compared (row count and
an md5 of its rows in order).

Needs PostgreSQL (DATABASE_URL) and the pg_dump/pg_restore tools; on the embedded SQLite
default it is skipped with a message, except in CI with DATABASE_URL set, where it fails.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.security.conftest import project_apps

pytestmark = pytest.mark.django_db(transaction=True)


def _require_postgres() -> None:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        missing.append("pg_dump and pg_restore")
    if missing:
        message = f"backup/restore needs {' and '.join(missing)}"
        if os.environ.get("CI") and os.environ.get("DATABASE_URL"):
            pytest.fail(message)
        pytest.skip(message)


def _conninfo(name: str) -> dict[str, str]:
    s = connection.settings_dict
    info = {
        "dbname": name,
        "user": s["USER"] or "postgres",
        "host": s["HOST"] or "127.0.0.1",
        "port": str(s["PORT"] or 5432),
    }
    if s.get("PASSWORD"):
        info["password"] = s["PASSWORD"]
    return info


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def _tool_args(info: dict[str, str]) -> list[str]:
    return ["-h", info["host"], "-p", info["port"], "-U", info["user"]]


def fingerprint(info: dict[str, str]) -> dict[str, tuple[int, str]]:
    """(rows, md5 of the rows' text in order) for every table of the public schema."""
    result = {}
    with psycopg2.connect(**info) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            count, digest = cursor.fetchone()
            result[table] = (count, digest)
    conn.close()
    return result


@pytest.fixture
def scratch_database() -> Iterator[dict[str, str]]:
    _require_postgres()
    name = f"restore_check_{uuid.uuid4().hex[:10]}"
    admin = _conninfo("postgres")
    conn = psycopg2.connect(**admin)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _conninfo(name)
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def seed_everything() -> list[str]:
    seeded = []
    for label in project_apps():
        try:
            module = importlib.import_module(f"{label}.demo")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "seed_demo"):
            module.seed_demo()
            seeded.append(label)
    return seeded


def test_a_dump_restores_into_a_fresh_database_identically(scratch_database, tmp_path: Path):
    seeded = seed_everything()
    assert "portal" in seeded
    source = _conninfo(connection.settings_dict["NAME"])
    dump = tmp_path / "portal.dump"

    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), *_tool_args(source), source["dbname"]],
        check=True,
        env=_env(),
    )
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "-d",
            scratch_database["dbname"],
            *_tool_args(scratch_database),
            str(dump),
        ],
        check=True,
        env=_env(),
    )

    before, after = fingerprint(source), fingerprint(scratch_database)
    assert before.keys() == after.keys()
    assert sum(count for count, _ in before.values()) > 100, "the demo data should be there"
    differing = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert not differing
