"""The authorisation walk: every URL pattern of the project, as every kind of stranger.

Patterns come from the URL resolver, so a view added to any app is walked without editing
this file. Each pattern's parameters are filled with the ids of real objects owned by the
`world` fixture's branch (or its committee) — see tests/security/conftest.py — and each URL
is requested with GET and with POST (empty body) as:

* anonymous: the login page (302 to /accounts/login/), or 404/405;
* the member of that branch: never a server error;
* the secretary of the sibling branch, the outsider (another tree) and a committee member
  of another tree: never a server error, never 200 for a URL that names the branch's
  objects, never a page showing the branch's data (its marker text), and a request
  changes nothing (row counts of every model, and every field of every object, compared).

Admin URLs answer a non-staff user with the admin login. Public URLs are allow-listed
below, each with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.security.conftest import (
    BRANCH_MARKER,
    COMMITTEE_MARKER,
    Built,
    Route,
    all_routes,
    diff_counts,
    object_state,
    row_counts,
    scoped_counts,
)
from tests.security.walk import Target, targets

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"

# URLs anyone may open without logging in, and why. Keyed by URL name.
PUBLIC: dict[str, str] = {
    "login": "the login page itself",
    "logout": "logging out needs no session (POST only; GET is 405)",
    "password_reset": "password reset by e-mail must work without a session",
    "password_reset_done": "the page after asking for a reset link",
    "password_reset_confirm": "the e-mail link; the signed token is the credential",
    "password_reset_complete": "the page after a reset",
    "set_language": "the language switch works before login",
    "healthz": "load-balancer probe: says only whether the database and broker answer",
    "meetings:ical_feed": "calendar apps cannot log in: the signed token in the URL is the credential",
    "admin:login": "the admin's own login page",
    "admin:logout": "logging out needs no session",
    "admin:javascript-catalog": "the admin's translation strings (treebeard's jsi18n): no data",
}

ROUTES = [r for r in all_routes() if not r.is_admin or r.name in PUBLIC]
ADMIN_ROUTES = [r for r in all_routes() if r.is_admin and r.name not in PUBLIC]
APPS = sorted({r.app for r in ROUTES})
OUTSIDERS = ["other_secretary", "outsider", "foreign_committee"]


@dataclass
class Persona:
    name: str
    client: Client

    def request(self, method: str, url: str) -> tuple[int, str, bytes, str]:
        """(status, Location, body, error) — an exception in the view is an error."""
        try:
            response = getattr(self.client, method)(url)
        except Exception as exc:  # noqa: BLE001 - any exception is what we look for
            return 500, "", b"", f"{exc.__class__.__name__}: {exc}"
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        return response.status_code, response.get("Location", ""), body, ""


def persona_client(name: str, world: Any, foreign_committee_user: Any) -> Persona:
    client = Client()
    users = {
        "anonymous": None,
        "member": world.member,
        "secretary": world.secretary,
        "committee": world.committee_user,
        "other_secretary": world.other_secretary,
        "outsider": world.outsider,
        "foreign_committee": foreign_committee_user,
    }
    user = users[name]
    if user is not None:
        client.force_login(user)
    return Persona(name, client)


def _leaks(persona: str, body: bytes) -> list[str]:
    found = []
    if BRANCH_MARKER.encode() in body:
        found.append("the branch's data")
    if persona != "other_secretary" and COMMITTEE_MARKER.encode() in body:
        found.append("another tree's committee data")
    return found


def _allowed_200(persona: str, target: Target) -> bool:
    """May this outsider open a URL naming these objects? Only the sibling branch's
    secretary, and only objects the shared committee owns."""
    owners = target.owners - {"global"}
    if not owners:
        return True
    return persona == "other_secretary" and owners == {"committee"}


def walk(
    routes: list[Route],
    persona: Persona,
    built: Built,
    check: Callable[[Route, Target, str, tuple[int, str, bytes, str]], str | None],
    *,
    snapshot: bool,
) -> list[str]:
    """Request every URL of these routes with GET and POST; collect what `check` and the
    database say is wrong.

    With `snapshot`, a request must not change the built objects, and one naming the
    branch's objects must write no row at all; one naming none (a "new" page) may write
    the persona's own rows, but none in the world's branch or committee.
    """
    problems: list[str] = []
    world = built.world
    counts = row_counts() if snapshot else {}
    scoped = scoped_counts(world) if snapshot else {}
    state = object_state(built) if snapshot else {}
    for route in routes:
        for target in targets(route, built):
            for method in ("get", "post"):
                result = persona.request(method, target.url)
                where = f"{method.upper()} {target.url} ({route.name})"
                problem = check(route, target, method, result)
                if problem:
                    problems.append(f"{where}: {problem}")
                if not snapshot:
                    continue
                after = row_counts()
                changed = diff_counts(counts, after)
                if changed:
                    after_scoped = scoped_counts(world)
                    if target.owners - {"global"}:
                        problems.append(f"{where}: wrote rows {changed}")
                    elif in_scope := diff_counts(scoped, after_scoped):
                        problems.append(f"{where}: wrote rows of the branch {in_scope}")
                    scoped = after_scoped
                counts = after
                if method == "post":
                    after_state = object_state(built)
                    edited = sorted(str(k) for k in state if state[k] != after_state.get(k))
                    if edited:
                        problems.append(f"{where}: changed {edited}")
                    state = after_state
    return problems


def _server_error(result: tuple[int, str, bytes, str]) -> str | None:
    status, _, _, error = result
    if status >= 500:
        return f"server error {status} {error}".strip()
    return None


def test_every_pattern_is_walked(built):
    """The walk sees every app's views, and can fill the ids of every named object."""
    assert {"portal", "assessment", "committee"} <= set(APPS)
    assert not built.failures, f"models the walk could not build: {built.failures}"
    unfilled = [str(r) for r in ROUTES for t in targets(r, built) if "999999" in t.url]
    assert not unfilled, f"patterns filled with a dummy id: {unfilled}"


@pytest.mark.parametrize("app", APPS)
def test_anonymous_gets_the_login_page(app, world, built, foreign_committee_user):
    persona = persona_client("anonymous", world, foreign_committee_user)

    def check(route, target, method, result):
        if error := _server_error(result):
            return error
        status, location, body, _ = result
        if route.name in PUBLIC:
            leaks = _leaks("anonymous", body)
            return f"public page shows {leaks}" if leaks else None
        if status in (404, 405):
            return None
        if status == 302 and location.startswith(LOGIN):
            return None
        return f"answered {status} {location}".strip()

    routes = [r for r in ROUTES if r.app == app]
    problems = walk(routes, persona, built, check, snapshot=True)
    assert not problems, "\n".join(problems)


def outsider_check(persona_name: str) -> Callable[..., str | None]:
    def check(route, target, method, result):
        if error := _server_error(result):
            return error
        status, location, body, _ = result
        leaks = _leaks(persona_name, body)
        if leaks:
            return f"answered {status} showing {leaks}"
        if status == 200 and not _allowed_200(persona_name, target):
            return f"answered 200 for objects of {sorted(target.owners)}"
        if status == 302 and target.names_objects and not location.startswith(LOGIN):
            return f"redirected to {location} instead of 404"
        return None

    return check


@pytest.mark.parametrize("persona_name", OUTSIDERS)
@pytest.mark.parametrize("app", APPS)
def test_outsiders_get_nothing_of_the_branch(
    app, persona_name, world, built, foreign_committee_user
):
    persona = persona_client(persona_name, world, foreign_committee_user)
    routes = [r for r in ROUTES if r.app == app]
    problems = walk(routes, persona, built, outsider_check(persona_name), snapshot=True)
    assert not problems, "\n".join(problems)


def test_the_outsider_check_catches_a_leak(world, built, foreign_committee_user):
    """The same walk, run as the branch's own secretary with the outsider's rules, finds
    pages showing the branch's data: the check can fail."""
    persona = persona_client("secretary", world, foreign_committee_user)
    routes = [r for r in ROUTES if r.app == "portal"]
    problems = walk(routes, persona, built, outsider_check("outsider"), snapshot=False)
    assert any("answered 200" in p for p in problems)


@pytest.mark.parametrize("persona_name", ["member", "secretary", "committee"])
@pytest.mark.parametrize("app", APPS)
def test_insiders_never_get_a_server_error(app, persona_name, world, built, foreign_committee_user):
    persona = persona_client(persona_name, world, foreign_committee_user)

    def check(route, target, method, result):
        return _server_error(result)

    routes = [r for r in ROUTES if r.app == app]
    problems = walk(routes, persona, built, check, snapshot=False)
    assert not problems, "\n".join(problems)


def test_the_walk_reaches_the_branch_objects(world, built, foreign_committee_user):
    """The ids the walk fills in are real: the committee member opens most detail pages.

    Without this, a walk that filled every URL with a wrong id would pass by getting 404s.
    """
    persona = persona_client("committee", world, foreign_committee_user)
    opened: dict[str, int] = {}
    named: dict[str, int] = {}
    for route in ROUTES:
        for target in targets(route, built):
            if not target.owners - {"global"}:
                continue
            named[route.app] = named.get(route.app, 0) + 1
            status, *_ = persona.request("get", target.url)
            if status == 200:
                opened[route.app] = opened.get(route.app, 0) + 1
    unreached = sorted(app for app in named if not opened.get(app))
    assert not unreached, f"no object URL of {unreached} opened for the committee: {opened}"


@pytest.mark.parametrize("persona_name", ["anonymous", "member", "outsider"])
def test_admin_answers_non_staff_with_its_login(persona_name, world, built, foreign_committee_user):
    persona = persona_client(persona_name, world, foreign_committee_user)

    def check(route, target, method, result):
        if error := _server_error(result):
            return error
        status, location, _, _ = result
        if status == 302 and (location.startswith(ADMIN_LOGIN) or location.startswith(LOGIN)):
            return None
        if status in (404, 405):
            return None
        return f"answered {status} {location}".strip()

    # A redirect to the login page cannot write; the admin walk skips the snapshots.
    problems = walk(ADMIN_ROUTES, persona, built, check, snapshot=False)
    assert not problems, "\n".join(problems)
