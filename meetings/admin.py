"""The admin: compliance rules and exemptions are edited here; meeting records are shown,
and an archived record is read-only here as everywhere (only an amendment changes it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meetings.models import (
    AgendaItem,
    Amendment,
    Attachment,
    Attendance,
    ComplianceExemption,
    ComplianceRule,
    DemocraticReview,
    LifeMeetingEntry,
    Meeting,
    ReviewRating,
    Talk,
)


def _archived(obj: Any) -> bool:
    meeting = obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)
    return meeting is not None and meeting.status == Meeting.Status.ARCHIVED


class ReadOnlyWhenArchived:
    """For the meeting and its inlines: no change, add or delete once archived."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _archived(obj):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _archived(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _archived(obj):
            return False
        if obj is None and isinstance(self, admin.ModelAdmin):
            return super().has_add_permission(request)  # type: ignore[misc]
        return super().has_add_permission(request, obj)  # type: ignore[misc]


class AgendaInline(ReadOnlyWhenArchived, admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(ReadOnlyWhenArchived, admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ("user",)


class AttachmentInline(ReadOnlyWhenArchived, admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ("original_name", "size", "content_type", "uploaded_by", "uploaded_at")


class AmendmentInline(admin.TabularInline):
    model = Amendment
    extra = 0
    can_delete = False
    readonly_fields = ("version", "amended_by", "amended_at", "reason", "changes", "previous")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyWhenArchived, admin.ModelAdmin):
    list_display = ("held_on", "organisation", "kind", "topic", "status", "is_late")
    list_filter = ("kind", "status", "is_late")
    search_fields = ("topic", "organisation__name")
    date_hierarchy = "held_on"
    raw_id_fields = ("organisation", "host", "recorder", "lecturer", "created_by")
    readonly_fields = ("held_on", "status", "filed_at", "archived_at", "is_late", "version")
    inlines = [AgendaInline, AttendanceInline, AttachmentInline, AmendmentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and _archived(obj):
            return [f.name for f in Meeting._meta.fields]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        # The admin may not slip a change past the rule: re-check the stored status.
        if change and Meeting.objects.filter(pk=obj.pk, status=Meeting.Status.ARCHIVED).exists():
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        from django.utils import timezone

        obj.held_on = timezone.localdate(obj.starts_at)
        super().save_model(request, obj, form, change)


@admin.register(ComplianceRule)
class ComplianceRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "organisation_kind", "period", "minimum", "organisation", "note")
    list_filter = ("organisation_kind", "kind", "period")
    list_editable = ("period", "minimum")
    raw_id_fields = ("organisation",)


@admin.register(ComplianceExemption)
class ComplianceExemptionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "starts_on", "ends_on", "reason")
    list_filter = ("kind",)
    raw_id_fields = ("organisation",)


class ReviewRatingInline(admin.TabularInline):
    model = ReviewRating
    extra = 0
    raw_id_fields = ("member",)


@admin.register(DemocraticReview)
class DemocraticReviewAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year")
    raw_id_fields = ("organisation", "meeting")
    inlines = [ReviewRatingInline]


@admin.register(LifeMeetingEntry)
class LifeMeetingEntryAdmin(ReadOnlyWhenArchived, admin.ModelAdmin):
    list_display = ("meeting", "member")
    raw_id_fields = ("meeting", "member")


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ("held_on", "organisation", "initiator", "partner", "topic")
    raw_id_fields = ("organisation", "initiator", "partner")
