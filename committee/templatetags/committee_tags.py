"""``{% state_badge assignment %}``: an assignment's state (and overdue) badges.

The markup of ``committee/_state.html``, written in Python: the tables show it on every
row and the matrix in every cell (10,000 at province scale), where an ``{% include %}``
each cost more than the rest of the row.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_CLASSES = {
    "accepted": "text-bg-success",
    "reported": "text-bg-info",
    "returned": "text-bg-warning",
}


@register.simple_tag
def state_badge(assignment: Any) -> SafeString:
    html = (
        f'<span class="badge {_CLASSES.get(assignment.state, "text-bg-secondary")}" '
        f'data-testid="assignment-state">{escape(assignment.get_state_display())}</span>'
    )
    if assignment.is_overdue:
        html += (
            ' <span class="badge text-bg-danger" data-testid="overdue">'
            f"{escape(gettext('Overdue'))}</span>"
        )
    return mark_safe(html)  # noqa: S308 - the label and the text are escaped above


def _url_parts(name: str) -> tuple[str, str]:
    """The URL of ``name`` for any id, as the text before and after the id."""
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return head, tail


@register.simple_tag
def matrix_cells(cells: list[Any]) -> SafeString:
    """A matrix row's cells: each assignment's state badges linking to it, or a dash.

    Written in Python: ten tasks by a thousand branches are 10,000 cells.
    """
    head, tail = _url_parts("committee:assignment")
    badges: dict[tuple[str, bool], str] = {}
    parts = []
    for cell in cells:
        if cell is None:
            parts.append('<td class=""><span class="text-muted">—</span></td>')
            continue
        overdue = cell.is_overdue
        badge = badges.get((cell.state, overdue))
        if badge is None:
            badge = badges[cell.state, overdue] = state_badge(cell)
        parts.append(
            f'<td class="{"table-danger" if overdue else ""}"><a href="{head}{cell.pk}{tail}" '
            f'class="text-decoration-none">{badge}\n</a></td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - badges escaped by state_badge, ids are ints
