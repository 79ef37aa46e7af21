from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import fragments, selectors
from portal.access import membership_for_user, organisation_for_user
from portal.dashboard import card_tables, cards_for
from portal.forms import (
    MemberFilterForm,
    NotificationPreferenceForm,
    OrganisationFilterForm,
    RosterImportForm,
    TokenForm,
)
from portal.models import Membership, Notification, NotificationPreference, Organisation, User
from portal.notifications import notifications_mark_read
from portal.paging import paginate
from portal.roster import RosterImportError, roster_export, roster_import
from portal.scoping import scope_for
from portal.services import notification_preference_set, two_factor_confirm


class AuthenticatedRequest(HttpRequest):
    """A request that passed ``login_required``: its user is a real account."""

    user: User


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # The body (the user's posts, branch, tree and every app's cards) is kept for the
    # minute under the stamps of all it reads (portal/fragments.py, portal/dashboard.py).
    now = fragments.minute()
    scope = scope_for(request.user)
    tables = card_tables()
    return render(
        request,
        "portal/home.html",
        {
            "dashboard": fragments.lazy(lambda: selectors.dashboard_for(request.user)),
            "cards": fragments.lazy(lambda: cards_for(request.user, scope, now)),
            "body_key": fragments.body_key(request, tables, at=now) if tables is not None else "",
        },
    )


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.oversees or scope.manages) and scope.own_branch_id is not None:
        # A plain member's organisations are their branch and group: show the branch.
        return redirect("portal:organisation", pk=scope.own_branch_id)
    form = OrganisationFilterForm(request.GET or None)
    organisations = Organisation.objects.visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["q"]:
            organisations = organisations.filter(name__icontains=form.cleaned_data["q"])
        if form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=form.cleaned_data["kind"])
    page = paginate(request, organisations.order_by("path"), per_page=100)
    rows = selectors.tree_rows(list(page))
    return render(
        request,
        "portal/organisation_list.html",
        {"form": form, "page": page, "rows": rows},
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_for_user(request.user, pk)
    scope = scope_for(request.user)
    context: dict[str, Any] = {
        "organisation": organisation,
        "ancestors": selectors.ancestors(organisation),
        "officers": selectors.current_officers(organisation),
        "children": selectors.organisation_children(organisation),
        "can_manage": scope.can_manage_organisation(organisation),
    }
    # The member roster is for those who oversee or manage the organisation; a plain
    # member sees their branch's officers and size, not colleagues' personal data.
    sees_roster = scope.is_superuser or any(
        organisation.path.startswith(p) for p in scope.oversee_paths | scope.manage_paths
    )
    context["sees_roster"] = sees_roster
    if sees_roster:
        memberships = selectors.members_of(organisation, selectors.member_list(request.user))
        form = MemberFilterForm(
            request.GET or None,
            organisations=Organisation.objects.filter(
                path__startswith=organisation.path, depth__lte=organisation.depth + 1
            ),
        )
        memberships = form.filter(memberships)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                roster_export(memberships),
                f"{organisation.name}-党员花名册-{timezone.localdate():%Y%m%d}.xlsx",
            )
        context["form"] = form
        context["page"] = paginate(request, memberships)
    else:
        context["member_total"] = selectors.members_of(
            organisation, Membership.objects.all()
        ).count()
    return render(request, "portal/organisation_detail.html", context)


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.oversees or scope.manages):
        return redirect("portal:member", pk=request.user.pk)

    def filtered() -> tuple[MemberFilterForm, Any]:
        form = MemberFilterForm(
            request.GET or None,
            organisations=Organisation.objects.visible_to(request.user),
            offered=selectors.filter_organisations(request.user, request.GET.get("organisation")),
        )
        return form, form.filter(selectors.member_list(request.user))

    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            roster_export(filtered()[1]), f"党员花名册-{timezone.localdate():%Y%m%d}.xlsx"
        )
    # The filter and the table are cached under the roster's stamps (portal/fragments.py).
    built = fragments.lazy(filtered)
    return render(
        request,
        "portal/member_list.html",
        {
            "form": fragments.lazy(lambda: built[0]),
            "page": fragments.lazy(lambda: paginate(request, built[1])),
            "body_key": fragments.body_key(request, ()),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for_user(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "portal/member_detail.html",
        {
            "membership": membership,
            "person": membership.user,
            "positions": selectors.member_profile_positions(membership),
            "can_manage": scope.can_manage_membership(membership),
        },
    )


@staff_member_required
def roster_import_view(request: HttpRequest) -> HttpResponse:
    """Roster import from the admin: all rows or none, every bad row listed."""
    form = RosterImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_import(file=form.cleaned_data["file"])
        except RosterImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported %(created)d new and updated %(updated)d members.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("admin:portal_membership_changelist")
    from django.contrib import admin

    context = {
        **admin.site.each_context(request),
        "form": form,
        "errors": errors,
        "title": _("Import members from a roster"),
    }
    return render(request, "admin/portal/roster_import.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers: 200 when both answer, else 503."""
    status: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        status["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    if settings.CELERY_TASK_ALWAYS_EAGER:
        status["broker"] = "in-process"
    else:
        from portal.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            status["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            status["broker"] = f"error: {exc.__class__.__name__}"
            healthy = False
    return JsonResponse(status, status=200 if healthy else 503)


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = Notification.objects.for_inbox(request.user)
    if unread_only:
        rows = rows.unread()
    return render(
        request,
        "portal/inbox.html",
        {"page": paginate(request, rows), "unread_only": unread_only},
    )


@login_required
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect("portal:inbox")
    # Not redirect(target): a link without a slash would be looked up as a view name.
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    changed = notifications_mark_read(user=request.user, ids=ids or None)
    messages.success(
        request,
        ngettext("%(n)d message marked read.", "%(n)d messages marked read.", changed)
        % {"n": changed},
    )
    return redirect("portal:inbox")


@login_required
def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    preference = NotificationPreference.objects.filter(
        user=request.user
    ).first() or NotificationPreference(user=request.user)
    form = NotificationPreferenceForm(
        request.POST or None, instance=preference, initial={"email": request.user.email}
    )
    if request.method == "POST" and form.is_valid():
        notification_preference_set(
            user=request.user,
            channel=form.cleaned_data["channel"],
            frequency=form.cleaned_data["frequency"],
            language=form.cleaned_data["language"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("portal:notification_settings")
    return render(request, "portal/notification_settings.html", {"form": form})


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("portal:home")


@login_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Pair an authenticator app: scan the code, type one code to confirm."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes; wait a few seconds and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            two_factor_confirm(user=request.user, device=device)
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_safe_next(request))
        else:
            form.add_error("token", _("That code is wrong or has expired; try the current one."))
    qr = segno.make(device.config_url, micro=False).svg_inline(scale=4)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": qr, "secret": secret, "next": _safe_next(request)},
    )


@login_required
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is wrong or has expired; try the current one."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )
