"""Helpers for long repeated page parts written in Python instead of a template loop (a
league of thousands of members, a table of 1,000 branches): the same markup, without the
template engine's per-variable work. Every value is escaped; numbers read as ``{{ value }}``
shows them."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize


def escape(value: Any) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper (called thousands of
    times a page): the same text."""
    return html.escape(str(value))


def numbers() -> Callable[[Any], str]:
    """A function showing a number as ``{{ value }}`` does (settings read once a page)."""
    plain_ints = not settings.USE_THOUSAND_SEPARATOR

    def shown(value: Any) -> str:
        if plain_ints and type(value) is int:
            return str(value)
        return escape(localize(value))

    return shown


_SENTINEL = 987654321


def url_for_each(name: str) -> Callable[[int], str]:
    """A function giving ``reverse(name, args=[pk])`` for any pk, reversing once a page."""
    pattern = reverse(name, args=[_SENTINEL])
    before, after = pattern.split(str(_SENTINEL), 1)
    return lambda pk: f"{before}{pk}{after}"
