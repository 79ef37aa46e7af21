"""Uploaded files: stored under generated names, and checked by their content, not only by
their name (SECURITY.md). Every app's upload fields and forms use these."""

from __future__ import annotations

import re
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.utils import timezone
from django.utils.deconstruct import deconstructible

# Suffix → the bytes such a file starts with (any of them). Text has no signature: it must
# decode as UTF-8 or GB18030 and hold no NUL byte.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".wps": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def suffix_of(filename: str) -> str:
    """A short plain suffix of ``filename`` (".pdf"), or "" for anything odd."""
    suffix = PurePosixPath(filename).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def generated_name(filename: str) -> str:
    """A random stored name keeping only the suffix: the uploader's name never becomes a
    path on disk or in a URL."""
    return f"{uuid.uuid4().hex}{suffix_of(filename)}"


@deconstructible
class GeneratedPath:
    """``upload_to`` that files uploads as ``prefix/YYYY/MM/<random>.<suffix>``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.rstrip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        return f"{self.prefix}/{timezone.now():%Y/%m}/{generated_name(filename)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GeneratedPath) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def content_matches(upload: Any) -> bool:
    """Whether the upload's first bytes fit its suffix (the file position is restored)."""
    suffix = suffix_of(upload.name)
    position = upload.tell() if hasattr(upload, "tell") else 0
    head = upload.read(4096)
    upload.seek(position)
    if suffix == ".txt":
        if b"\x00" in head:
            return False
        for encoding in ("utf-8", "gb18030"):
            try:
                head.decode(encoding)
            except UnicodeDecodeError as exc:
                # A multi-byte character cut at the 4 KB boundary is still text.
                if exc.start >= len(head) - 4:
                    return True
                continue
            return True
        return False
    signatures = SIGNATURES.get(suffix, ())
    return any(head.startswith(s) for s in signatures)
