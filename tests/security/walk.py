"""Turning URL patterns into requestable URLs filled with the ids of real objects."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse

from tests.security.conftest import Built, Route, route_params

# How many id combinations to try for one pattern (a pattern whose parameter could be any
# of an app's models is tried with the ids of each, up to this many).
MAX_CANDIDATES = 6

# A harmless value for each converter that is not an object id.
HARMLESS = {"str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1)), "int": 999999}
# Parameters whose name says what a harmless value looks like.
NAMED_HARMLESS = {"kind": "xlsx", "token": "not-a-real-token", "app_label": "portal"}


@dataclass(frozen=True)
class Target:
    url: str
    owners: frozenset[str]  # "branch" / "committee" for each object the URL names

    @property
    def names_objects(self) -> bool:
        return bool(self.owners)


def _singular(word: str) -> str:
    word = word.lower().replace("-", "").replace("_", "")
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _base_word(route: Route, param: str) -> str:
    if param not in {"pk", "id", "object_id"}:
        return _singular(param.removesuffix("_pk").removesuffix("_id"))
    before = route.route.split(f":{param}>")[0].rsplit("<", 1)[0].strip("/")
    segment = before.rsplit("/", 1)[-1] if before else ""
    return _singular(segment)


def _ids_for(route: Route, param: str, built: Built) -> list[tuple[Any, str]]:
    """(id, owner) candidates for one integer parameter."""
    world = built.world
    base = _base_word(route, param)
    if base in {"branch", "organisation", "org", "group"}:
        return [(world.branch.pk, "branch")]
    if base == "committee":
        return [(world.committee.pk, "committee")]
    if base in {"user", "member", "person", "archive", "profile"}:
        return [(world.member.pk, "branch")]

    def owned(model: type[models.Model]) -> list[tuple[Any, str]]:
        return [(o.pk, built.owner[(model, o.pk)]) for o in built.objects.get(model, [])]

    def matching(model_list: list[type[models.Model]]) -> list[type[models.Model]]:
        exact = [m for m in model_list if m.__name__.lower() == base]
        if exact:
            return exact
        return [
            m
            for m in model_list
            if base and (m.__name__.lower().endswith(base) or m.__name__.lower().startswith(base))
        ]

    app_models = [m for m in built.objects if m._meta.app_label == route.app]
    found = matching(app_models) or matching(list(built.objects))
    if not found:
        # Unknown word: try each of the app's objects (ids dedup'd).
        found = app_models
    out: list[tuple[Any, str]] = []
    for model in found:
        for candidate in owned(model):
            if candidate not in out:
                out.append(candidate)
    return out or [(HARMLESS["int"], "")]


def targets(route: Route, built: Built) -> list[Target]:
    """The URLs to request for one pattern."""
    per_param: list[list[tuple[str, Any, str]]] = []
    for name, conv in route_params(route):
        if conv == "int" and name not in NAMED_HARMLESS:
            per_param.append([(name, pk, owner) for pk, owner in _ids_for(route, name, built)])
        else:
            value = NAMED_HARMLESS.get(name, HARMLESS.get(conv, "x"))
            per_param.append([(name, value, "")])
    out: list[Target] = []
    for combo in itertools.islice(itertools.product(*per_param), MAX_CANDIDATES):
        kwargs = {name: value for name, value, _ in combo}
        owners = frozenset(owner for _, _, owner in combo if owner)
        url = _url(route, kwargs)
        if url is not None:
            out.append(Target(url, owners))
    return out


def _url(route: Route, kwargs: dict[str, Any]) -> str | None:
    if route.name:
        try:
            return reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:
            if route.is_regex:
                return None
    text = route.route
    for name, value in kwargs.items():
        for conv in ("int", "str", "slug", "path", "uuid"):
            text = text.replace(f"<{conv}:{name}>", str(value))
        text = text.replace(f"<{name}>", str(value))
    return "/" + text if "<" not in text and "(?" not in text else None
