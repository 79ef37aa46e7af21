"""Background work for 考学: closing attempts whose time ran out while the tab was closed."""

from __future__ import annotations

from celery import shared_task

from assessment.services import attempts_close_expired


@shared_task(name="assessment.close_expired_attempts", acks_late=True)
def close_expired_attempts() -> int:
    """Close and mark attempts past their deadline; safe to run twice or concurrently
    (each attempt is claimed by a conditional UPDATE on its status)."""
    return attempts_close_expired()
