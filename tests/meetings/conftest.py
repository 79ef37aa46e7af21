"""Fixtures for the meetings tests, on top of the shared personas (tests/conftest.py).

``world.branch`` (第一党支部) has the secretary (书记), the member and the committee user
as members; its group 第一党小组 has the secretary and the member.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meetings import services
from meetings.models import Attendance, Meeting
from portal.models import Organisation, Position, User
from tests.factories import PositionFactory, branch, group, member_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _png() -> bytes:
    """A valid 2×2 PNG, so python-docx can place it in the ledger."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PNG = _png()
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


def at(year: int, month: int, day: int, hour: int = 14) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """Mid-June 2026, Shanghai time; ticking so signed tokens still age."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def record(
    organisation: Organisation,
    kind: str = Meeting.Kind.COMMITTEE_MEETING,
    *,
    when: datetime.datetime | None = None,
    by: User,
    status: str = Meeting.Status.DRAFT,
    topic: str = "研究工作",
    present: bool = True,
    filed: datetime.datetime | None = None,
) -> Meeting:
    """A meeting record in ``status``, everyone expected marked present (or not)."""
    when = when or at(2026, 6, 5)
    meeting = services.meeting_create(
        organisation=organisation, kind=kind, topic=topic, starts_at=when, by=by, place="会议室"
    )
    if present:
        Attendance.objects.filter(meeting=meeting).update(status=Attendance.Status.PRESENT)
    if status != Meeting.Status.DRAFT:
        services.meeting_submit(
            meeting=meeting, by=by, now=filed or when + datetime.timedelta(days=1)
        )
    if status == Meeting.Status.ARCHIVED:
        services.meeting_archive(meeting=meeting, by=by)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def officers(world):
    """A branch committee for 第一党支部: the secretary plus an 组织委员 and a 宣传委员."""
    org = member_of(world.branch, username="zuzhi", name="李组织")
    PositionFactory(
        user=org, organisation=world.branch, title=Position.Title.ORGANISATION_COMMITTEE
    )
    pro = member_of(world.branch, username="xuanchuan", name="周宣传")
    PositionFactory(user=pro, organisation=world.branch, title=Position.Title.PROPAGANDA_COMMITTEE)
    return [world.secretary, org, pro]


@pytest.fixture
def many_branches(world):
    """Ten more branches under the committee, each with a group, two members and five
    submitted records (50 meetings)."""
    made = []
    for n in range(10):
        b = branch(world.committee, f"扩展第{n}党支部")
        g = group(b, f"扩展第{n}党小组")
        secretary = member_of(b, group_org=g, username=f"s{n}", name=f"书记{n}")
        PositionFactory(user=secretary, organisation=b, title=Position.Title.SECRETARY)
        member_of(b, group_org=g, username=f"m{n}", name=f"党员{n}")
        for k, kind in enumerate(
            [
                Meeting.Kind.COMMITTEE_MEETING,
                Meeting.Kind.THEMED_PARTY_DAY,
                Meeting.Kind.BRANCH_ASSEMBLY,
                Meeting.Kind.PARTY_LECTURE,
            ]
        ):
            record(b, kind, when=at(2026, 1 + (n + k) % 5, 3 + k), by=secretary, status="submitted")
        record(
            g, Meeting.Kind.GROUP_MEETING, when=at(2026, 2, 10), by=secretary, status="submitted"
        )
        made.append(b)
    return made
