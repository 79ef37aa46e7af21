"""Factories that keep one organisation per object graph.

Organisations go through ``organisation_create`` (treebeard needs add_root/add_child),
so a factory-made tree has the same shape rules as one made in the admin.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import factory

from portal.models import Membership, Organisation, Position, User
from portal.services import organisation_create

_numbers = itertools.count(1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"党组织{n}")
    kind = Organisation.Kind.COMMITTEE
    parent = None

    @classmethod
    def _create(
        cls, model_class: Any, *args: Any, parent: Any = None, **kwargs: Any
    ) -> Organisation:
        return organisation_create(parent=parent, **kwargs)


def committee(name: str = "示范党委") -> Organisation:
    return OrganisationFactory(name=name, kind=Organisation.Kind.COMMITTEE)


def branch(parent: Organisation, name: str | None = None) -> Organisation:
    return OrganisationFactory(
        parent=parent, kind=Organisation.Kind.BRANCH, name=name or f"第{next(_numbers)}党支部"
    )


def group(parent: Organisation, name: str | None = None) -> Organisation:
    return OrganisationFactory(
        parent=parent, kind=Organisation.Kind.GROUP, name=name or f"{parent.name}党小组"
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    password = factory.django.Password("pass-word-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    branch = None
    group = None
    status = Membership.Status.FULL
    joined_party_on = datetime.date(2010, 7, 1)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    user = factory.SubFactory(UserFactory)
    organisation = None
    title = Position.Title.SECRETARY
    started_on = datetime.date(2020, 1, 1)


def member_of(
    branch_org: Organisation, *, group_org: Organisation | None = None, **user: Any
) -> User:
    person = UserFactory(**user)
    MembershipFactory(user=person, branch=branch_org, group=group_org)
    return person
