from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.rendering import escape, numbers, url_for_each

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ dict|get:key }}`` for a key held in a variable."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


STATUS_CLASSES = {"archived": "text-bg-secondary", "submitted": "text-bg-primary"}


@register.simple_tag
def status_badges(meeting: Any) -> SafeString:
    """The status badge and, for a record filed late, the 补记 badge (as _status.html)."""
    badge = format_html(
        '<span class="badge {}" data-testid="meeting-status">{}</span>',
        STATUS_CLASSES.get(meeting.status, "text-bg-light border"),
        meeting.get_status_display(),
    )
    if not meeting.is_late:
        return badge
    return format_html(
        '{} <span class="badge text-bg-warning" data-testid="late-badge" title="{}">{}</span>',
        badge,
        _("Filed long after the meeting"),
        _("Late record"),
    )


@register.simple_tag
def meeting_row(meeting: Any) -> SafeString:
    """One row of a meeting list: a link with kind, topic, badges, time, organisation, host
    and 应到/实到. Built with format_html, not a template per row: a list page of meetings
    spent most of its time in the template engine."""
    host = format_html(" · {} {}", _("Host"), meeting.host.name) if meeting.host_id else ""
    when = dateformat.format(timezone.localtime(meeting.starts_at), "Y年n月j日 H:i")
    return format_html(
        '<a class="list-group-item list-group-item-action" href="{}" data-testid="meeting-row">'
        '<div class="d-flex justify-content-between flex-wrap gap-1"><strong>{}：{}</strong>{}'
        '</div><div class="small text-muted">{} · {}{} · {}</div></a>',
        reverse("meetings:detail", args=[meeting.pk]),
        meeting.get_kind_display(),
        meeting.topic,
        status_badges(meeting),
        when,
        meeting.organisation.name,
        host,
        _("expected %(e)s, present %(p)s")
        % {"e": meeting.expected_count, "p": meeting.present_count},
    )


@register.simple_tag
def committee_rows(summaries: Any, kinds: Any, year: int) -> SafeString:
    """The rows of the committee's compliance table, one per branch (1,000 for a province),
    built in Python: the template loop took ~100 ms for them on a cache miss."""
    shown = numbers()
    calendar_url = url_for_each("meetings:calendar")
    query = f"?year={shown(year)}"
    out = []
    for s in summaries:
        missed = s.missed_total
        strong = "text-danger fw-bold" if missed else ""
        cells = "".join(
            f"<td>{shown(n) if (n := s.missed.get(kind)) else '·'}</td>" for kind, _label in kinds
        )
        out.append(
            '<tr data-testid="committee-row">'
            f'<td><a href="{calendar_url(s.branch.pk)}{query}">{escape(s.branch.name)}</a></td>'
            f'<td class="{strong}">{shown(missed)}</td>{cells}<td>{shown(s.due_total)}</td></tr>'
        )
    if not out:
        out.append(f'<tr><td colspan="10" class="text-muted">{escape(_("No branches."))}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped
