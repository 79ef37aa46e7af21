"""Settings of the meetings app, each with a default (override in the project settings)."""

from __future__ import annotations

from django.conf import settings


def late_after_days() -> int:
    """A record filed more than this many days after its meeting is marked 补记."""
    return int(getattr(settings, "MEETINGS_LATE_AFTER_DAYS", 7))


def attachment_max_bytes() -> int:
    return int(getattr(settings, "MEETINGS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def checkin_token_seconds() -> int:
    """How long one check-in QR code stays valid; the page shows a new one before then."""
    return int(getattr(settings, "MEETINGS_CHECKIN_TOKEN_SECONDS", 120))


# Extension → (content type, leading bytes that file must start with, or b"" for zip-based).
ALLOWED_ATTACHMENTS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}
