"""Machinery for the security tests: every URL of the project, and one object per model.

Nothing here names an app: URL patterns come from the resolver and objects are built by
inspecting each project app's models, so an app that lands later is covered by the same
tests without editing them.

Objects are owned by the `world` fixture's branch (or, where a field names a committee,
its committee) and carry a marker in every free-text field: a page that shows the marker
to a persona outside that branch has leaked another branch's data.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from portal.models import Organisation, Position, User
from tests.factories import PositionFactory, member_of

ROOT = Path(settings.BASE_DIR)

# Markers written into every free-text field of the objects built below.
BRANCH_MARKER = "机密标记支部"
COMMITTEE_MARKER = "机密标记党委"
PUBLIC_MARKER = "公共资料"

# Framework and bookkeeping tables whose rows change with any request (sessions) or that
# record failures by design (axes).
UNCOUNTED_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}


def project_apps() -> list[str]:
    """The labels of the project's own apps: those whose code lives in this repository."""
    labels = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if ROOT in path.parents and ".venv" not in path.parts:
            labels.append(config.label)
    return labels


# --- URL patterns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern, flattened: its full route, name and the view behind it."""

    route: str  # e.g. "meetings/<int:pk>/edit/"
    name: str  # e.g. "meetings:edit"
    callback: Callable[..., Any]
    converters: tuple[tuple[str, str], ...]  # (parameter, converter class name)
    is_regex: bool

    @property
    def app(self) -> str:
        module = getattr(self.callback, "__module__", "") or ""
        return module.split(".")[0]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def __str__(self) -> str:
        return f"{self.name or '?'} [{self.route}]"


def _pattern_text(pattern: Any) -> str:
    return str(pattern.pattern)


def _walk(resolvers: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
    for entry in resolvers:
        text = _pattern_text(entry)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + text, ns)
        elif isinstance(entry, URLPattern):
            converters = dict(getattr(entry.pattern, "converters", {}))
            yield Route(
                route=prefix + text,
                name=f"{namespace}{entry.name}" if entry.name else "",
                callback=entry.callback,
                converters=tuple((k, type(v).__name__) for k, v in converters.items()),
                is_regex=text.startswith("^") or "(?P<" in text,
            )


def all_routes() -> list[Route]:
    """Every URL pattern of the project, from the resolver, recursively."""
    return list(_walk(get_resolver().url_patterns, "", ""))


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def route_params(route: Route) -> list[tuple[str, str]]:
    """(name, converter) for each <converter:name> in the route, in order."""
    return [(m["name"], m["conv"] or "str") for m in _PARAM.finditer(route.route)]


# --- Objects ------------------------------------------------------------------------------------


@dataclass
class Built:
    """What the object builder made: every object, with the scope that owns it."""

    world: Any
    objects: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    owner: dict[tuple[type[models.Model], Any], str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def add(self, obj: models.Model, owner: str) -> None:
        self.objects.setdefault(type(obj), []).append(obj)
        self.owner[(type(obj), obj.pk)] = owner

    def ids(self, model: type[models.Model]) -> list[Any]:
        return [o.pk for o in self.objects.get(model, [])]


_counter = itertools.count(1)
_LATER_WORDS = ("end", "close", "deadline", "due", "until", "finish", "expire")


def _is_later(name: str) -> bool:
    return any(word in name for word in _LATER_WORDS)


def _org_for(field_name: str, world: Any) -> tuple[Organisation, str]:
    if "committee" in field_name or "issuer" in field_name:
        return world.committee, "committee"
    return world.branch, "branch"


def _value_for(
    f: models.Field,
    world: Any,
    built: Built,
    marker: str,
    *,
    fill_optional: bool,
    optional_fks: str,
    people: Iterator[User],
) -> tuple[bool, Any, str | None]:
    """(set it?, value, owner it implies) for one concrete field.

    optional_fks: "all" fills every nullable foreign key, "none" none of them, and a field
    name fills only that one (for "exactly one of" constraints).
    """
    name = f.name
    if f.is_relation:
        target = f.related_model
        if f.null and optional_fks != "all" and optional_fks != name:
            return False, None, None
        if target is Organisation:
            org, owner = _org_for(name, world)
            return True, org, owner
        if target is User:
            # Alternate people, for "two different people" constraints.
            return True, next(people), None
        made = built.objects.get(target)  # type: ignore[arg-type]
        if made:
            parent = made[0]
            return True, parent, built.owner.get((target, parent.pk))  # type: ignore[arg-type]
        if f.null:
            return False, None, None
        raise LookupError(f"no {target.__name__} to point {name} at")
    if f.has_default() or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return False, None, None
    if (f.null or f.blank) and not fill_optional:
        return False, None, None
    if f.choices:
        return True, f.choices[0][0], None
    today = timezone.localdate()
    if isinstance(f, models.DateTimeField):
        now = timezone.now()
        return True, now + datetime.timedelta(days=30) if _is_later(name) else now, None
    if isinstance(f, models.DateField):
        return True, today + datetime.timedelta(days=30) if _is_later(name) else today, None
    if isinstance(f, models.FileField):
        return True, ContentFile(b"%PDF-1.4\n% " + marker.encode(), name="marker.pdf"), None
    if isinstance(f, models.DecimalField):
        return True, decimal.Decimal("1"), None
    if isinstance(f, (models.IntegerField, models.FloatField)):
        if "year" in name:
            return True, today.year, None
        return True, 1, None
    if isinstance(f, models.BooleanField):
        return True, False, None
    if isinstance(f, models.JSONField):
        return True, {}, None
    if isinstance(f, models.UUIDField):
        import uuid

        return True, uuid.uuid4(), None
    if isinstance(f, (models.SlugField,)):
        return True, f"marker-{next(_counter)}"[: f.max_length], None
    if isinstance(f, (models.EmailField,)):
        return True, f"marker{next(_counter)}@example.com", None
    if isinstance(f, (models.CharField, models.TextField)):
        if name in {"url", "link", "next"}:
            return True, "/", None
        text = f"{marker}{next(_counter)}"
        return True, text[: f.max_length] if f.max_length else text, None
    if isinstance(f, models.DurationField):
        return True, datetime.timedelta(minutes=30), None
    if isinstance(f, models.GenericIPAddressField):
        return True, "127.0.0.1", None
    return False, None, None


def _build_one(
    model: type[models.Model], world: Any, built: Built, *, fill_optional: bool, optional_fks: str
) -> models.Model:
    # Decide the owner first from the organisation fields, so markers match it.
    # An object belongs to the organisation it names, else to its parent object's owner,
    # else (a person's own record) to the member's branch; one that names neither is shared
    # reference data (a topic list, a reminder setting) that anyone may see.
    owner = "global"
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    orgs = [f for f in relations if f.related_model is Organisation and not f.null]
    parents = [f for f in relations if f.related_model in built.objects and not f.null]
    if orgs:
        owner = _org_for(orgs[0].name, world)[1]
    elif parents:
        first = built.objects[parents[0].related_model][0]  # type: ignore[index]
        owner = built.owner[(parents[0].related_model, first.pk)]  # type: ignore[index]
    elif any(f.related_model is User and not f.null for f in relations):
        owner = "branch"
    marker = {"committee": COMMITTEE_MARKER, "branch": BRANCH_MARKER}.get(owner, PUBLIC_MARKER)
    values: dict[str, Any] = {}
    people = itertools.cycle([world.member, world.secretary])
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        ok, value, _ = _value_for(
            f,
            world,
            built,
            marker,
            fill_optional=fill_optional,
            optional_fks=optional_fks,
            people=people,
        )
        if ok:
            values[f.name] = value
    with transaction.atomic():
        obj = model(**values)
        obj.save()
    built.add(obj, owner)
    return obj


def _dependency_order(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    order: list[type[models.Model]] = []
    pending = list(models_)
    while pending:
        progressed = False
        for model in list(pending):
            needs = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and not f.null and f.related_model is not model
            }
            if all(n in order or n not in pending for n in needs):
                order.append(model)
                pending.remove(model)
                progressed = True
        if not progressed:
            order.extend(pending)
            break
    return order


# Models that the world fixture already makes, or that cannot be made generically.
SKIPPED_MODELS = {"portal.User", "portal.Organisation", "portal.Membership"}


def build_objects(world: Any) -> Built:
    """One object per model of every project app, owned by the world's branch or committee."""
    built = Built(world=world)
    candidates = [
        m
        for label in project_apps()
        for m in apps.get_app_config(label).get_models()
        if m._meta.label not in SKIPPED_MODELS and not m._meta.proxy and m._meta.managed
    ]
    for model in _dependency_order(candidates):
        errors = []
        nullable_fks = [f.name for f in model._meta.concrete_fields if f.is_relation and f.null]
        # Leave optional plain fields empty first (they often hold internal codes), then
        # fill them for models whose constraints want them.
        strategies = [
            (fill, fks) for fill in (False, True) for fks in ("all", *nullable_fks, "none")
        ]
        for fill_optional, optional_fks in strategies:
            try:
                _build_one(
                    model, world, built, fill_optional=fill_optional, optional_fks=optional_fks
                )
                break
            except (IntegrityError, LookupError, ValueError, TypeError) as exc:
                errors.append(f"{exc.__class__.__name__}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a model's save() may refuse in any way
                errors.append(f"{exc.__class__.__name__}: {exc}")
        else:
            built.failures[model._meta.label] = "; ".join(errors)
    _close_cycles(built)
    return built


def _close_cycles(built: Built) -> None:
    """Point nullable links left empty (a question's current version, made after it) at
    the object made later, as the apps' services would have."""
    for model, objs in built.objects.items():
        for f in model._meta.concrete_fields:
            if not (f.is_relation and f.null) or f.related_model not in built.objects:
                continue
            targets = built.objects[f.related_model]  # type: ignore[index]
            for obj in objs:
                if getattr(obj, f.attname) is None:
                    candidates = [
                        t
                        for t in targets
                        if any(
                            getattr(t, g.attname) == obj.pk
                            for g in t._meta.concrete_fields
                            if g.is_relation and g.related_model is model
                        )
                    ]
                    if candidates:
                        try:
                            with transaction.atomic():
                                model._base_manager.filter(pk=obj.pk).update(
                                    **{f.attname: candidates[0].pk}
                                )
                            setattr(obj, f.attname, candidates[0].pk)
                        except IntegrityError:
                            pass


@pytest.fixture
def foreign_committee_user(world) -> User:
    """A committee member of ANOTHER tree (邻市党委): sees that tree, nothing of ours."""
    person = member_of(world.other_branch, username="foreign_committee", name="孙邻委")
    PositionFactory(
        user=person, organisation=world.other_committee, title=Position.Title.COMMITTEE_MEMBER
    )
    return person


@pytest.fixture
def built(world, foreign_committee_user) -> Built:
    return build_objects(world)


# --- Database snapshots -------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (sessions and lockout records aside)."""
    counts = {}
    for model in apps.get_models():
        if model._meta.db_table in UNCOUNTED_TABLES or not model._meta.managed:
            continue
        if model._meta.proxy:
            continue
        counts[model._meta.label] = model._default_manager.using("default").count()
    return counts


def scoped_counts(world: Any) -> dict[str, int]:
    """Rows per model that belong to the world's branch (its subtree) or its committee."""
    from django.db.models import Q

    counts = {}
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        org_fks = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Organisation
        ]
        if not org_fks:
            continue
        condition = Q(pk__in=[])
        for name in org_fks:
            condition |= Q(**{f"{name}__path__startswith": world.branch.path})
            condition |= Q(**{name: world.committee})
        counts[model._meta.label] = model._default_manager.filter(condition).count()
    return counts


def object_state(built: Built) -> dict[tuple[str, Any], tuple[Any, ...]]:
    """Every field of every built object, read again from the database."""
    state = {}
    for model, objs in built.objects.items():
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.filter(pk__in=[o.pk for o in objs]).values_list(*names)
        for row in rows:
            state[(model._meta.label, row[0])] = tuple(str(v) for v in row)
    return state


def diff_counts(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before.get(k, 0), v) for k, v in after.items() if before.get(k, 0) != v}
