from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from portal.models import (
    Membership,
    Notification,
    NotificationPreference,
    Organisation,
    Position,
    ReminderSetting,
    User,
)
from portal.roster import roster_export
from portal.views import xlsx_response


class OrganisationMoveForm(MoveNodeForm):
    """Treebeard's add/move form, refusing shapes the tree may not have."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        ref_id = data.get("_ref_node_id")
        position = data.get("_position") or ""
        parent: Organisation | None = None
        if ref_id:
            ref = Organisation.objects.filter(pk=ref_id).first()
            if ref is not None:
                parent = ref if position.endswith("child") else ref.get_parent()
        if kind:
            if parent is None and kind != Organisation.Kind.COMMITTEE:
                raise ValidationError(_("Only a Party committee can stand at the top of the tree."))
            if parent is not None and kind not in Organisation.ALLOWED_CHILDREN[parent.kind]:
                raise ValidationError(
                    _("A %(child)s cannot be placed under a %(parent)s.")
                    % {
                        "child": Organisation.Kind(kind).label,
                        "parent": Organisation.Kind(parent.kind).label,
                    }
                )
        return data


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    form = movenodeform_factory(
        Organisation, form=OrganisationMoveForm, exclude=("path", "depth", "numchild")
    )
    list_display = ("name", "kind", "code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ("branch", "group")
    extra = 0


class PositionInline(admin.TabularInline):
    model = Position
    autocomplete_fields = ("organisation",)
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal information"),
            {"fields": ("name", "gender", "birth_date", "phone", "employee_number", "email")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "phone", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "name", "phone", "employee_number", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "gender")
    search_fields = ("username", "name", "phone", "employee_number")
    ordering = ("username",)
    inlines = (MembershipInline, PositionInline)


@admin.action(description=_("Export the selected members as a roster (.xlsx)"))
def export_roster(modeladmin: Any, request: HttpRequest, queryset: Any) -> HttpResponse:
    return xlsx_response(roster_export(queryset), f"党员花名册-{timezone.localdate():%Y%m%d}.xlsx")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "branch",
        "group",
        "status",
        "joined_party_on",
        "department",
        "is_leading_cadre",
    )
    list_filter = ("status", "is_leading_cadre", "branch")
    search_fields = ("user__name", "user__phone", "department", "branch__name")
    autocomplete_fields = ("user", "branch", "group")
    list_select_related = ("user", "branch", "group")
    actions = (export_roster,)
    change_list_template = "admin/portal/membership/change_list.html"


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "title", "started_on", "ended_on")
    list_filter = ("title", "organisation__kind")
    search_fields = ("user__name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")
    date_hierarchy = "started_on"


admin.site.site_header = _("Learning Party Organisation Portal · administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Administration")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by sweeps; failed e-mails show their reason."""

    list_display = (
        "title",
        "recipient",
        "kind",
        "period",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
    )
    list_filter = ("email_state", "kind", "created_at")
    search_fields = ("title", "recipient__name", "recipient__username", "subject")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ("retry_failed",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry_failed(self, request: HttpRequest, queryset: Any) -> None:
        changed = queryset.filter(email_state=Notification.EmailState.FAILED).update(
            email_state=Notification.EmailState.PENDING,
            email_attempts=0,
            email_next_attempt_at=None,
        )
        self.message_user(request, _("%(n)d e-mails queued again.") % {"n": changed})


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    list_display = ("kind", "label", "enabled", "days")
    list_editable = ("enabled", "days")

    @admin.display(description=_("reminder"))
    def label(self, obj: ReminderSetting) -> str:
        from portal.notifications import SWEEPS

        definition = SWEEPS.get(obj.kind)
        return str(definition.label) if definition else "—"

    def get_queryset(self, request: HttpRequest) -> Any:
        # Make sure every registered sweep has its row to edit.
        from portal.notifications import SWEEPS, reminder_days

        for kind in SWEEPS:
            reminder_days(kind)
        return super().get_queryset(request)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "channel", "frequency", "language")
    list_filter = ("channel", "frequency", "language")
    search_fields = ("user__name", "user__username")
    autocomplete_fields = ("user",)
