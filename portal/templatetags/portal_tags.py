from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (keeps filters across pages)."""
    query = context["request"].GET.copy()
    query.pop("export", None)
    for key, value in changes.items():
        query[key] = value
    return str(query.urlencode())
