"""Shared by the apps' province seeders (``<app>/scale.py``)."""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction


def skip_foreign_key_checks() -> bool:
    """Inside the seeder's transaction, stop PostgreSQL checking foreign keys row by row.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so a bulk INSERT queues one
    check per row and key until COMMIT: 5 million answers spent two minutes there. The
    seeders insert only ids they have just selected from the referenced tables, so the
    checks add nothing. Needs a superuser (``session_replication_role``); returns False
    (checks stay on) otherwise. Lasts until the end of the transaction (SET LOCAL).
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True
