"""Who may see and who may manage what: the one place every app asks.

A user's scope follows the organisation tree (DESIGN.md §2):

* a position in a 党委/党组 or 党总支 (committee members and their 组织/宣传 staff)
  gives sight of that organisation's whole subtree, and management of the node itself
  (its own meetings, its 中心组 study);
* a branch officer (书记, 副书记, 组织委员, 宣传委员, 纪检委员, 委员) manages the branch
  and its groups;
* a 党小组长 manages their group;
* a member sees themselves and their own branch and group pages;
* a superuser sees and manages everything.

The scope is read once per request and kept on the user object, so every list filter
built from it costs no further queries. Across requests it is cached under the change
stamps of the organisation, membership and position tables and today's date (a post
starts and ends on a date): a request then reads it with the stamps every page reads
anyway, instead of two queries; any change to those tables gives a new key, so a stale
scope is never served. Paths are treebeard materialised paths: a subtree is
``path LIKE 'prefix%'``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from portal import stamps
from portal.models import Membership, Organisation, Position

_CACHE_ATTR = "_portal_scope"
# The rows the scope was read from, kept beside it for pages that show them (the home page
# lists the user's posts and membership): no second query for the same rows.
_POSITIONS_ATTR = "_portal_scope_positions"
_MEMBERSHIP_ATTR = "_portal_scope_membership"

BRANCH_OFFICER_TITLES = frozenset(
    {
        Position.Title.SECRETARY,
        Position.Title.DEPUTY_SECRETARY,
        Position.Title.ORGANISATION_COMMITTEE,
        Position.Title.PROPAGANDA_COMMITTEE,
        Position.Title.DISCIPLINE_COMMITTEE,
        Position.Title.COMMITTEE_MEMBER,
    }
)


def _under(path: str, prefixes: frozenset[str]) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


def _or_all(conditions: list[Q]) -> Q:
    if not conditions:
        return Q(pk__in=[])
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    is_superuser: bool = False
    # Subtrees seen in full (committee and general-branch positions).
    oversee_paths: frozenset[str] = frozenset()
    # Subtrees managed (branch officers: the branch; group leaders: the group).
    manage_paths: frozenset[str] = frozenset()
    # Single nodes managed without their subtree (a committee's own records).
    manage_nodes: frozenset[str] = frozenset()
    # The managed subtrees that are Party groups (members are matched by group there).
    group_paths: frozenset[str] = frozenset()
    own_branch_id: int | None = None
    own_branch_path: str = ""
    own_group_path: str = ""
    # Paths of every organisation in which the user holds a current position.
    position_paths: frozenset[str] = field(default_factory=frozenset)

    def cache_key(self) -> str:
        """The scope as text that is the same in every process (sets sorted): what cached
        page parts a user may be shown are keyed by it (SECURITY.md)."""
        sets = (self.oversee_paths, self.manage_paths, self.manage_nodes, self.group_paths)
        parts = [str(self.user_id), "su" if self.is_superuser else ""]
        return "|".join(parts + [",".join(sorted(paths)) for paths in sets])

    # --- roles, for navigation and dashboards -----------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def oversees(self) -> bool:
        return self.is_superuser or bool(self.oversee_paths)

    @property
    def manages(self) -> bool:
        return self.is_superuser or bool(self.manage_paths or self.manage_nodes)

    @property
    def is_member(self) -> bool:
        return self.own_branch_id is not None

    # --- questions about one object, answered without a query --------------------------
    def can_see_organisation(self, organisation: Organisation) -> bool:
        if self.is_superuser:
            return True
        path = organisation.path
        return (
            _under(path, self.oversee_paths | self.manage_paths)
            or path in self.manage_nodes
            or path in (self.own_branch_path, self.own_group_path)
        )

    def can_manage_organisation(self, organisation: Organisation) -> bool:
        if self.is_superuser:
            return True
        return (
            _under(organisation.path, self.manage_paths) or organisation.path in self.manage_nodes
        )

    def can_see_membership(self, membership: Membership) -> bool:
        if self.is_superuser or membership.user_id == self.user_id:
            return True
        return self._covers_membership(membership, self.oversee_paths | self.manage_paths)

    def can_manage_membership(self, membership: Membership) -> bool:
        if self.is_superuser:
            return True
        return self._covers_membership(membership, self.manage_paths)

    @staticmethod
    def _covers_membership(membership: Membership, prefixes: frozenset[str]) -> bool:
        if _under(membership.branch.path, prefixes):
            return True
        group = membership.group
        return group is not None and _under(group.path, prefixes)

    # --- filters for lists ---------------------------------------------------------------
    def organisations_q(self, *, manage: bool = False, prefix: str = "") -> Q:
        """A filter for organisations (or, with ``prefix``, records that point at one)."""
        if self.is_superuser:
            return Q()
        subtrees = self.manage_paths if manage else self.oversee_paths | self.manage_paths
        nodes = set(self.manage_nodes)
        if not manage:
            nodes |= {p for p in (self.own_branch_path, self.own_group_path) if p}
        conditions = [Q(**{f"{prefix}path__startswith": p}) for p in sorted(subtrees)]
        if nodes:
            conditions.append(Q(**{f"{prefix}path__in": sorted(nodes)}))
        return _or_all(conditions)

    def members_q(self, *, manage: bool = False, prefix: str = "") -> Q:
        """A filter for memberships (``prefix`` reaches a Membership from another model)."""
        if self.is_superuser:
            return Q()
        subtrees = self.manage_paths if manage else self.oversee_paths | self.manage_paths
        # A member is in a subtree through their branch, except below a group, where their
        # group says it (matching by branch alone there keeps one join, not two).
        conditions = [
            Q(**{f"{prefix}group__path__startswith": path})
            if path in self.group_paths
            else Q(**{f"{prefix}branch__path__startswith": path})
            for path in sorted(subtrees)
        ]
        if not manage and self.user_id is not None:
            conditions.append(Q(**{f"{prefix}user_id": self.user_id}))
        return _or_all(conditions)


ANONYMOUS_SCOPE = Scope()


def scope_for(user: Any) -> Scope:
    """The scope of ``user``, read once and kept on the user object for the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(user_id=user.pk, is_superuser=True)
    else:
        key = f"scope:{user.pk}:{timezone.localdate().isoformat()}:{stamps.read(SCOPE_TABLES)}"
        found = cache.get(key)
        if found is None:
            found = _read_scope(user)
            cache.set(key, found, SCOPE_CACHE_SECONDS)
        scope, positions, own = found
        if own is not None:
            own.user = user
        setattr(user, _POSITIONS_ATTR, positions)
        setattr(user, _MEMBERSHIP_ATTR, own)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after a position or membership of ``user`` changed)."""
    for attr in (_CACHE_ATTR, _POSITIONS_ATTR, _MEMBERSHIP_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def own_positions(user: Any) -> list[Position]:
    """The user's current posts with their organisations (read with the scope)."""
    scope_for(user)
    found = getattr(user, _POSITIONS_ATTR, None)
    if found is None:
        found = list(Position.objects.current().filter(user=user).select_related("organisation"))
    return list(found)


def own_membership(user: Any) -> Membership | None:
    """The user's membership with branch and group (read with the scope)."""
    scope_for(user)
    if hasattr(user, _MEMBERSHIP_ATTR):
        found: Membership | None = getattr(user, _MEMBERSHIP_ATTR)
        return found
    return Membership.objects.for_list().filter(user=user).first()


# What a scope is read from: a change to any of these tables gives every scope a new key.
SCOPE_TABLES = ("portal_organisation", "portal_membership", "portal_position")
SCOPE_CACHE_SECONDS = 60 * 60


def _read_scope(user: Any) -> tuple[Scope, list[Position], Membership | None]:
    """The scope of a (non-super)user and the rows it was read from, in two queries."""
    oversee: set[str] = set()
    manage: set[str] = set()
    nodes: set[str] = set()
    groups: set[str] = set()
    held: set[str] = set()
    # Query 1: the user's current positions with their organisations.
    positions = list(Position.objects.current().filter(user=user).select_related("organisation"))
    for post in positions:
        title, path, kind = post.title, post.organisation.path, post.organisation.kind
        held.add(path)
        if kind in (Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH):
            oversee.add(path)
            nodes.add(path)
        elif kind == Organisation.Kind.BRANCH and title in BRANCH_OFFICER_TITLES:
            manage.add(path)
        elif kind == Organisation.Kind.GROUP and title == Position.Title.GROUP_LEADER:
            manage.add(path)
            groups.add(path)
    # Query 2: the user's own membership, with branch and group.
    own = Membership.objects.select_related("branch", "group").filter(user=user).first()
    branch_id = own.branch_id if own else None
    branch_path = own.branch.path if own else ""
    group_path = own.group.path if own and own.group else ""
    scope = Scope(
        user_id=user.pk,
        oversee_paths=frozenset(oversee),
        manage_paths=frozenset(manage),
        manage_nodes=frozenset(nodes),
        group_paths=frozenset(groups),
        own_branch_id=branch_id,
        own_branch_path=branch_path or "",
        own_group_path=group_path or "",
        position_paths=frozenset(held),
    )
    return scope, positions, own
