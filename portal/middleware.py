"""Request plumbing for security: the client's address, and two-factor enforcement."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from portal.scoping import scope_for


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting only the proxies we run (TRUSTED_PROXY_COUNT).

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is
    the entry that many places from the end; anything before it may be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    return hops[-count] if len(hops) >= count else remote


def needs_two_factor(user: object) -> bool:
    """Committee members, committee staff and administrators, when the operator says so."""
    if not settings.OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_staff", False) or scope_for(user).oversees)


class TwoFactorMiddleware:
    """Send a privileged user who has not passed two-factor to set it up or enter a code."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            needs_two_factor(user)
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = "portal:two_factor_verify" if has_device else "portal:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, recording the address the lockout trusts.

    The stock one takes the first X-Forwarded-For entry, which any client can forge.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request) or None
