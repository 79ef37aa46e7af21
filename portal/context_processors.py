from typing import Any

from django.http import HttpRequest

from portal.scoping import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's scope, so the navigation shows each role only what it may use."""
    return {"scope": scope_for(getattr(request, "user", None))}
