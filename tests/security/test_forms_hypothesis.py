"""Hostile input, property-based (hypothesis): every view that accepts POST, posted random
and hostile values as the member, the secretary and the committee.

The views come from the URL resolver and their fields from the page each one renders
(every <input>, <select> and <textarea> name), topped up with the fields of the forms the
app declares in its forms module, so a new form or view is covered without editing this
file. For each URL: no server error, and when the answer is the form again with errors
(200), nothing was written (row counts of every model unchanged).

HYPOTHESIS_EXAMPLES (default 2) sets the examples per URL and persona; the run is
derandomised so CI is repeatable.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import Built, Route, all_routes, diff_counts, project_apps, row_counts
from tests.security.test_url_access import PUBLIC
from tests.security.walk import targets

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "2"))

HOSTILE = [
    "",
    " ",
    "x" * 20000,
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE portal_user; --",
    "' OR '1'='1",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-99-99",
    "2026-13-01T25:61",
    "１２３",
    "𝕏🙂中文",
    "\u202e\u200b",
    "../../etc/passwd",
    "%s%s%n{{7*7}}",
    "[]",
    "1.5",
    "𠀀" * 3000,
]

FIELD_NAME = re.compile(
    r"""<(?:input|select|textarea)\b[^>]*?\bname=["']([^"']+)["'][^>]*>""", re.IGNORECASE
)
FILE_FIELD = re.compile(
    r"""<input\b[^>]*?type=["']file["'][^>]*?name=["']([^"']+)["']|<input\b[^>]*?name=["']([^"']+)["'][^>]*?type=["']file["']""",
    re.IGNORECASE,
)
SKIPPED_FIELDS = {"csrfmiddlewaretoken", "language", "next"}


def declared_forms() -> dict[str, list[type[forms.BaseForm]]]:
    """Every Form/ModelForm subclass defined in each project app's forms module."""
    found: dict[str, list[type[forms.BaseForm]]] = {}
    for label in project_apps():
        try:
            module = importlib.import_module(f"{label}.forms")
        except ModuleNotFoundError:
            continue
        found[label] = [
            obj
            for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__
        ]
    return found


FORMS = declared_forms()
ROUTES = [r for r in all_routes() if not r.is_admin and r.name not in PUBLIC]
APPS = sorted({r.app for r in ROUTES})


def declared_fields(app: str) -> set[str]:
    names: set[str] = set()
    for form_class in FORMS.get(app, []):
        names |= set(getattr(form_class, "base_fields", {}))
    return names


def page_fields(client: Client, url: str) -> tuple[set[str], set[str]]:
    """(field names, file field names) of the forms on the page at url."""
    try:
        response = client.get(url)
    except Exception:  # noqa: BLE001 - the walk reports GET errors; here we only want fields
        return set(), set()
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set(), set()
    text = response.content.decode(errors="replace")
    files = {a or b for a, b in FILE_FIELD.findall(text)}
    names = set(FIELD_NAME.findall(text)) - SKIPPED_FIELDS
    return names - files, files


def values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers().map(str),
        st.lists(st.sampled_from(HOSTILE[:12]), min_size=2, max_size=3),
    )


def uploads() -> st.SearchStrategy[Any]:
    names = st.sampled_from(
        ["a.pdf", "../../evil.pdf", "x.php.jpg", "空.docx", "a" * 300 + ".png", ".htaccess"]
    )
    content = st.one_of(
        st.binary(max_size=200),
        st.just(b"<?php system($_GET['c']); ?>"),
        st.just(b"%PDF-1.4\n<script>alert(1)</script>"),
        st.just(b"MZ\x90\x00" + b"\x00" * 64),
    )
    return st.builds(lambda n, c: SimpleUploadedFile(n, c), names, content)


def is_form_error_page(response: Any) -> bool:
    return response.status_code == 200 and "html" in response.get("Content-Type", "")


def post_hostile(
    route: Route, url: str, client: Client, fields: set[str], files: set[str]
) -> list[str]:
    problems: list[str] = []
    strategy = st.fixed_dictionaries(
        {},
        optional={**{n: values() for n in sorted(fields)}, **{n: uploads() for n in sorted(files)}},
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=strategy)
    def run(data: dict[str, Any]) -> None:
        before = row_counts()
        try:
            response = client.post(url, data)
        except Exception as exc:  # noqa: BLE001 - a server error is what we look for
            problems.append(
                f"POST {url} ({route.name}) {sorted(data)}: {exc.__class__.__name__}: {exc}"
            )
            return
        if response.status_code >= 500:
            problems.append(f"POST {url} ({route.name}): {response.status_code}")
        elif is_form_error_page(response):
            written = diff_counts(before, row_counts())
            if written:
                problems.append(f"POST {url} ({route.name}) answered 200 but wrote {written}")

    run()
    return problems


@pytest.mark.parametrize("persona", ["member", "secretary", "committee"])
@pytest.mark.parametrize("app", APPS)
def test_hostile_posts_never_break_or_half_write(app, persona, world, built: Built):
    user = {
        "member": world.member,
        "secretary": world.secretary,
        "committee": world.committee_user,
    }[persona]
    client = Client()
    client.force_login(user)
    extra = declared_fields(app)
    problems: list[str] = []
    for route in (r for r in ROUTES if r.app == app):
        for target in targets(route, built)[:1]:
            fields, files = page_fields(client, target.url)
            if not fields and not files:
                fields = extra
            problems += post_hostile(route, target.url, client, fields, files)
    assert not problems, "\n".join(problems)


def test_forms_are_discovered():
    assert FORMS.get("portal") and FORMS.get("committee") and FORMS.get("assessment")


def test_pages_offer_their_fields(world):
    """The attack reads real field names from the pages (so a hostile post reaches the form)."""
    client = Client()
    client.force_login(world.member)
    fields, _ = page_fields(client, "/notifications/settings/")
    assert {"channel", "language"} & fields or len(fields) >= 2
