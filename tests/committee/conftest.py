"""Fixtures for the committee tools, on top of the shared ``world`` personas.

``world.committee_user`` oversees 示范党委; ``world.secretary`` manages 第一党支部;
``world.other_secretary`` manages 第二党支部; ``world.outsider`` is in 邻市党委's tree.
"""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from committee import services
from committee.models import Assignment, Post, Task

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def frozen():
    """Noon on 2026-11-27 in Shanghai."""
    with time_machine.travel(
        datetime.datetime(2026, 11, 27, 4, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield TODAY


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def make_task(world, *, due_on=None, organisations=None, people=(), title="开展读书会") -> Task:
    return services.task_create(
        issuer=world.committee,
        created_by=world.committee_user,
        title=title,
        evidence_expected="会议记录和照片",
        due_on=due_on or TODAY + datetime.timedelta(days=10),
        organisations=organisations
        if organisations is not None
        else [world.branch, world.sibling_branch],
        people=people,
    )


@pytest.fixture
def task(world, frozen) -> Task:
    return make_task(world)


@pytest.fixture
def branch_assignment(task, world) -> Assignment:
    return Assignment.objects.get(task=task, organisation=world.branch)


def make_post(
    world, *, organisation=None, author=None, title="经验交流", publish=False, **kw
) -> Post:
    post = services.post_submit(
        organisation=organisation or world.branch,
        author=author or world.secretary,
        kind=kw.get("kind", Post.Kind.EXPERIENCE),
        title=title,
        body=kw.get("body", "支部坚持每月集中学习。"),
        photos=kw.get("photos", ()),
    )
    if publish:
        services.post_review(post=post, actor=world.committee_user, publish=True)
    return post
