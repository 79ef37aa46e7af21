"""Reads for the organisation pages and dashboards, each a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, Q, QuerySet, When

from portal import stamps
from portal.models import Membership, Organisation, Position
from portal.scoping import own_membership, own_positions, scope_for


@dataclass
class TreeRow:
    organisation: Organisation
    direct_members: int
    total_members: int

    @property
    def indent(self) -> int:
        return self.organisation.depth - 1


# Member counts are kept under the change stamps of memberships and the tree (a new member,
# a transfer or a moved branch shows at once); the expiry only bounds the cache's size.
MEMBER_COUNTS_SECONDS = 600


def member_counts(organisations: list[Organisation]) -> dict[str, tuple[int, int]]:
    """{path: (direct members, members in the whole subtree)} for ``organisations``.

    The counts of the outermost subtrees shown are computed once per change of memberships
    or the tree and kept in the cache (portal/stamps.py): one query when cached, three when
    not. Computing them counts members per branch id (and group id, when groups are
    listed): index-only scans, no join (joining 50,000 memberships to their organisations'
    paths cost 36 ms for a province), summed up the ancestor paths in Python.
    """
    if not organisations:
        return {}
    # One LIKE per outermost visible subtree.
    outer: list[str] = []
    for path in sorted({o.path for o in organisations}):
        if not any(path.startswith(p) for p in outer):
            outer.append(path)
    with_groups = any(o.kind == Organisation.Kind.GROUP for o in organisations)
    stamped = stamps.read(["portal_membership", "portal_organisation"])
    key = f"portal:member-counts:{','.join(outer)}:{with_groups}:{stamped}"
    counted: tuple[dict[str, int], dict[str, int]] | None = cache.get(key)
    if counted is None:
        counted = _count_members(outer, with_groups=with_groups)
        cache.set(key, counted, MEMBER_COUNTS_SECONDS)
    direct, total = counted
    return {o.path: (direct.get(o.path, 0), total.get(o.path, 0)) for o in organisations}


def _count_members(outer: list[str], *, with_groups: bool) -> tuple[dict[str, int], dict[str, int]]:
    """({path: direct members}, {path: members in its subtree}) for every organisation in
    the subtrees at ``outer``: two queries."""
    subtree = Q(*[Q(path__startswith=p) for p in outer], _connector=Q.OR)
    organisations = Organisation.objects.filter(subtree)
    if not with_groups:
        organisations = organisations.exclude(kind=Organisation.Kind.GROUP)
    paths = dict(organisations.values_list("pk", "path"))
    # Grouping by group too costs a hash over every member: only when groups are listed.
    fields = ("branch_id", "group_id") if with_groups else ("branch_id",)
    rows = (
        Membership.objects.filter(branch_id__in=list(paths))
        .values_list(*fields)
        .annotate(n=Count("*"))
        .order_by()
    )
    direct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    steplen = Organisation.steplen
    for row in rows:
        branch_path, n = paths[row[0]], row[-1]
        direct[branch_path] += n
        for depth in range(1, len(branch_path) // steplen + 1):
            total[branch_path[: depth * steplen]] += n
        if with_groups and row[1] in paths:
            direct[paths[row[1]]] += n
            total[paths[row[1]]] += n
    return dict(direct), dict(total)


def organisation_tree(organisations: QuerySet[Organisation]) -> list[TreeRow]:
    """Tree rows, in tree order, with member counts: two queries."""
    return tree_rows(list(organisations.order_by("path")))


def tree_rows(nodes: list[Organisation]) -> list[TreeRow]:
    """Rows for organisations already loaded, with member counts: one query."""
    counts = member_counts(nodes)
    return [TreeRow(o, *counts.get(o.path, (0, 0))) for o in nodes]


# Officers listed as a branch lists them: 书记 first, 党小组长 and staff last.
TITLE_RANK = Case(
    *[When(title=title, then=rank) for rank, title in enumerate(Position.Title.values)],
    default=99,
)


def current_officers(organisation: Organisation) -> QuerySet[Position]:
    return (
        Position.objects.current()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by(TITLE_RANK, "started_on")
    )


def ancestors(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__in=organisation.ancestor_paths()).order_by("depth")


def member_list(user: Any) -> QuerySet[Membership]:
    """The memberships ``user`` may see, ready for a list row (one joined query)."""
    return Membership.objects.visible_to(user).for_list()


@dataclass
class Dashboard:
    scope: Any
    membership: Membership | None
    branch_officers: list[Position]
    committee_rows: list[TreeRow]
    managed_rows: list[TreeRow]
    positions: list[Position]


def top_levels(scope: Any, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Each overseen or managed organisation and the level below it (not the whole tree)."""
    if scope.is_superuser:
        return organisations.filter(depth__lte=2)
    paths = scope.oversee_paths | scope.manage_paths
    outermost = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    if not outermost:
        return organisations.none()
    step = Organisation.steplen
    return organisations.filter(
        Q(
            *[Q(path__startswith=p, depth__lte=len(p) // step + 1) for p in outermost],
            _connector=Q.OR,
        )
    )


def filter_organisations(user: Any, selected: Any = None) -> list[Organisation]:
    """The organisations a list's filter offers, in tree order: the top levels of what
    ``user`` sees and, once one is chosen, its ancestors and the level below it, so a
    province committee drills down city by city instead of scrolling 4,000 options. One
    query, two when ``selected`` (the raw value from the request) names an organisation.
    """
    visible = Organisation.objects.visible_to(user)
    offered = Q(pk__in=top_levels(scope_for(user), visible).values("pk"))
    chosen = None
    if str(selected or "").isdigit():
        chosen = visible.filter(pk=int(selected)).first()
    if chosen is not None:
        offered |= Q(path__in=[*chosen.ancestor_paths(), chosen.path])
        offered |= Q(path__startswith=chosen.path, depth=chosen.depth + 1)
    return list(visible.filter(offered).order_by("path"))


def filter_choices(organisations: list[Organisation], empty_label: Any) -> list[tuple[Any, Any]]:
    """``<select>`` choices for :func:`filter_organisations`, indented by depth."""
    top = min((o.depth for o in organisations), default=1)
    return [
        ("", empty_label),
        *((o.pk, "\u3000" * (o.depth - top) + o.name) for o in organisations),
    ]


def dashboard_for(user: Any) -> Dashboard:
    """What the home page shows each role; a fixed number of queries whatever the tree size."""
    scope = scope_for(user)
    membership = own_membership(user) if scope.is_member else None
    officers: list[Position] = []
    if membership is not None:
        officers = list(current_officers(membership.branch))
    committee_rows: list[TreeRow] = []
    if scope.oversees:
        # The overseen organisations and the level below them: a province committee sees
        # its city committees, a city committee its branches (the full tree is a page away).
        tops = Organisation.objects.exclude(kind=Organisation.Kind.GROUP)
        committee_rows = organisation_tree(
            top_levels(replace(scope, manage_paths=frozenset()), tops)
        )
    managed_rows: list[TreeRow] = []
    if scope.manage_paths:
        managed_rows = organisation_tree(
            Organisation.objects.filter(scope.organisations_q(manage=True))
        )
    positions = own_positions(user)
    return Dashboard(scope, membership, officers, committee_rows, managed_rows, positions)


def member_profile_positions(membership: Membership) -> QuerySet[Position]:
    """Every post the member has held, current and ended, newest first."""
    return (
        Position.objects.filter(user_id=membership.user_id)
        .select_related("organisation")
        .order_by("-started_on")
    )


def organisation_children(organisation: Organisation) -> list[TreeRow]:
    return organisation_tree(
        Organisation.objects.filter(
            path__startswith=organisation.path, depth=organisation.depth + 1
        )
    )


def members_of(
    organisation: Organisation, memberships: QuerySet[Membership]
) -> QuerySet[Membership]:
    if organisation.kind == Organisation.Kind.GROUP:
        return memberships.filter(group=organisation)
    return memberships.filter(branch__path__startswith=organisation.path)


__all__ = [
    "Dashboard",
    "TreeRow",
    "ancestors",
    "current_officers",
    "dashboard_for",
    "member_counts",
    "member_list",
    "member_profile_positions",
    "members_of",
    "organisation_children",
    "organisation_tree",
    "tree_rows",
]


def secretaries_of(organisation_ids: Iterable[int]) -> dict[int, list[int]]:
    """{organisation id: user ids of its current 书记 and 副书记}: who answers for it. One query."""
    people: dict[int, list[int]] = {}
    rows = (
        Position.objects.current()
        .filter(
            organisation_id__in=set(organisation_ids),
            title__in=[Position.Title.SECRETARY, Position.Title.DEPUTY_SECRETARY],
        )
        .values_list("organisation_id", "user_id")
    )
    for organisation_id, user_id in rows:
        people.setdefault(organisation_id, []).append(user_id)
    return people


def members_under(paths: Iterable[str]) -> list[tuple[int, str]]:
    """(user id, path) of every member below any of ``paths``, where path is the member's
    group path when they have a group, else their branch path; so ``path.startswith(p)``
    tells whether the member is below ``p`` for a branch, committee or group alike. One query."""
    unique = sorted(set(paths))
    if not unique:
        return []
    condition = Q(
        *[Q(branch__path__startswith=p) | Q(group__path__startswith=p) for p in unique],
        _connector=Q.OR,
    )
    return [
        (user_id, group_path or branch_path)
        for user_id, branch_path, group_path in Membership.objects.filter(condition).values_list(
            "user_id", "branch__path", "group__path"
        )
    ]
