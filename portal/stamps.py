"""Change stamps: one cheap read that says whether a table has changed.

A page that aggregates a whole province (the committee's compliance overview of 1,000
branches, counts over 50,000 study plans) caches its result; the cache must never show a
stale figure, so the key has to change whenever any row it read changes. Summing over
the rows to build such a key cost 30–40 ms a view. Instead the database keeps, per
table, a stamp that a trigger moves on every INSERT, UPDATE, DELETE or TRUNCATE, in the
writing transaction itself: a reader sees the new stamp exactly when it sees the new
rows, whatever wrote them (services, the admin, a bulk ``update()``, an import, raw SQL).
Reading the stamps of a few tables is one primary-key query.

PostgreSQL: one statement-level trigger per table, values from a sequence (never
repeated). SQLite: row-level triggers, the next value one above the highest. An app
tracks its tables with :func:`track` (in its ``AppConfig.ready``); the triggers are
(re)installed after every ``migrate`` (:func:`install_all`, on ``post_migrate``), so a test
database built without migrations has them too.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connection, connections

TRACKED: set[str] = set()
# Tables stamped only when one of these columns is updated (inserts and deletes always).
COLUMNS: dict[str, tuple[str, ...]] = {}

SQLITE_BUMP = (
    "INSERT OR {verb} INTO portal_changestamp (name, value) VALUES "
    "('{table}', (SELECT COALESCE(MAX(value), 0) + 1 FROM portal_changestamp))"
)
# Inside a trigger an UPDATE, not an INSERT OR REPLACE: SQLite lets the outer statement's
# conflict clause override the trigger's, so the INSERT OR IGNORE of a many-to-many add
# (bulk_create with ignore_conflicts) turned the REPLACE into IGNORE and the stamp stayed.
SQLITE_TRIGGER_BUMP = (
    "UPDATE portal_changestamp SET value = "
    "(SELECT MAX(value) + 1 FROM portal_changestamp) WHERE name = '{table}'; "
    "INSERT OR IGNORE INTO portal_changestamp (name, value) VALUES "
    "('{table}', (SELECT COALESCE(MAX(value), 0) + 1 FROM portal_changestamp))"
)


def track(*tables: str, columns: Sequence[str] = ()) -> None:
    """Keep change stamps for ``tables`` (call from an ``AppConfig.ready``). With ``columns``,
    an UPDATE moves the stamp only when it sets one of them: the accounts table is written
    at every login (``last_login``) and every notification (the unread count), and pages
    that cache a member's name need only hear of a new name."""
    TRACKED.update(tables)
    if columns:
        COLUMNS.update({table: tuple(columns) for table in tables})


def install_all(using: str = "default", **kwargs: Any) -> None:
    """Install the triggers of every tracked table (a ``post_migrate`` receiver)."""
    db = connections[using]
    existing = set(db.introspection.table_names())
    with db.schema_editor() as editor:
        install(editor, sorted(TRACKED & existing))


PG_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS portal_changestamp_seq;
CREATE OR REPLACE FUNCTION portal_changestamp_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO portal_changestamp (name, value)
    VALUES (TG_TABLE_NAME, nextval('portal_changestamp_seq'))
    ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END
$$;
"""


def install(schema_editor: Any, tables: Sequence[str]) -> None:
    """Stamp ``tables``, each starting with a stamp; safe to run again."""
    vendor = schema_editor.connection.vendor
    uninstall(schema_editor, tables)
    for table in tables:
        columns = COLUMNS.get(table, ())
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        if vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION)
            schema_editor.execute(
                f"CREATE TRIGGER portal_changestamp AFTER INSERT OR {update} OR DELETE OR "
                f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION portal_changestamp_bump()"
            )
            schema_editor.execute(
                "INSERT INTO portal_changestamp (name, value) "
                "VALUES (%s, nextval('portal_changestamp_seq')) ON CONFLICT (name) DO NOTHING",
                [table],
            )
        elif vendor == "sqlite":
            # ``table`` is an app's constant (track()), never input.
            bump = SQLITE_TRIGGER_BUMP.format(table=table)
            for event in ("INSERT", "UPDATE", "DELETE"):
                on = update if event == "UPDATE" else event
                schema_editor.execute(
                    f"CREATE TRIGGER portal_changestamp_{table}_{event.lower()} AFTER {on} "
                    f"ON {table} BEGIN {bump}; END"
                )
            schema_editor.execute(SQLITE_BUMP.format(verb="IGNORE", table=table))


def uninstall(schema_editor: Any, tables: Sequence[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_changestamp ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_changestamp_{table}_{event}")


# Within one request every stamp is read once: the first read fetches all the tracked
# tables' stamps in one query. A snapshot a few milliseconds older than the rows read after
# it can only key newer data under an older stamp, never older data under a newer one.
_request = threading.local()


def _request_started(**kwargs: Any) -> None:
    _request.stamps = {}


def _request_finished(**kwargs: Any) -> None:
    _request.stamps = None


request_started.connect(_request_started)
request_finished.connect(_request_finished)


def _fetch(tables: Sequence[str]) -> dict[str, int]:
    placeholders = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, value FROM portal_changestamp WHERE name IN ({placeholders})",  # noqa: S608
            list(tables),
        )
        return dict(cursor.fetchall())


def read(tables: Sequence[str]) -> str:
    """The stamps of ``tables`` as one string. A table without a stamp row reads as 0: rows
    are made when a table is stamped and only a test database's flush removes them (tests
    start with an empty cache). One query, or none if this request has read stamps."""
    memo: dict[str, int] | None = getattr(_request, "stamps", None)
    if memo is None:
        values = _fetch(tables)
    else:
        if not memo:
            # Every tracked table at once; an untracked one has no stamp (reads as 0).
            memo.update(_fetch(sorted(TRACKED | set(tables))))
            memo.setdefault("", 0)  # marks the memo as fetched even if no row came back
        values = memo
    return ".".join(str(values.get(table, 0)) for table in tables)
