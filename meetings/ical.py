"""An iCalendar feed of a member's meetings, at a secret URL (calendar apps cannot log in).

The token is the user's id signed with the project's secret and the user's password hash
fragment, so changing the password revokes every old feed URL.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core import signing
from django.utils import timezone

from meetings import selectors
from portal.models import User

_SALT = "meetings.ical"


def _secret_part(user: Any) -> str:
    return (user.password or "")[-12:]


def feed_token(user: Any) -> str:
    return signing.Signer(salt=_SALT).sign_object({"u": user.pk, "p": _secret_part(user)})


def user_for_token(token: str) -> User | None:
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or data.get("p") != _secret_part(user):
        return None
    return user


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue after CRLF + space."""
    out: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode()) > 74:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return out


def _stamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_for(user: Any, *, host: str = "portal") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//learning-party-portal//meetings//ZH",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + _escape("三会一课"),
    ]
    now = _stamp(timezone.now())
    for meeting in selectors.upcoming_for(user):
        ends = meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(meeting.starts_at)}",
            f"DTEND:{_stamp(ends)}",
            "SUMMARY:" + _escape(f"{meeting.get_kind_display()}：{meeting.topic}"),
            "LOCATION:" + _escape(meeting.place),
            "DESCRIPTION:" + _escape(meeting.organisation.name),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
