"""Personas shared by every test: a committee member, a branch secretary, a member, and
outsiders (a member of another tree, and the secretary of a sibling branch).

    示范党委 (committee)              邻市党委 (another tree)
    ├── 第一党支部 (branch)            └── 邻市党支部
    │   └── 第一党小组 (group)              └── outsider
    │       secretary, member
    └── 第二党支部 (branch)
        other_secretary
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from portal.models import Organisation, Position, User
from tests.factories import PositionFactory, branch, committee, group, member_of

# Real Celery workers and an SMTP server, for the tests about tasks.
pytest_plugins = ["tests.support.workers", "tests.support.browser"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a database flushed between tests starts its
    change stamps again (portal/stamps.py), so an entry from an earlier test could match."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    committee: Organisation
    branch: Organisation
    group: Organisation
    sibling_branch: Organisation
    other_committee: Organisation
    other_branch: Organisation
    committee_user: User
    secretary: User
    member: User
    other_secretary: User
    outsider: User


@pytest.fixture
def world(db) -> World:
    top = committee("示范党委")
    first = branch(top, "第一党支部")
    first_group = group(first, "第一党小组")
    second = branch(top, "第二党支部")
    other_top = committee("邻市党委")
    other = branch(other_top, "邻市党支部")

    committee_user = member_of(first, username="committee", name="张委员")
    PositionFactory(user=committee_user, organisation=top, title=Position.Title.COMMITTEE_MEMBER)
    secretary = member_of(first, group_org=first_group, username="secretary", name="王书记")
    PositionFactory(user=secretary, organisation=first, title=Position.Title.SECRETARY)
    member = member_of(first, group_org=first_group, username="member", name="刘党员")
    other_secretary = member_of(second, username="other_secretary", name="陈书记")
    PositionFactory(user=other_secretary, organisation=second, title=Position.Title.SECRETARY)
    outsider = member_of(other, username="outsider", name="赵外人")
    return World(
        committee=top,
        branch=first,
        group=first_group,
        sibling_branch=second,
        other_committee=other_top,
        other_branch=other,
        committee_user=committee_user,
        secretary=secretary,
        member=member,
        other_secretary=other_secretary,
        outsider=outsider,
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for
