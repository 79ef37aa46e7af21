"""Indicator sets and their indicators, inspections, innovations and the rest in the admin.

A frozen indicator set (one that scored scorecards) is read-only here: the committee's
indicator page copies it to a new version instead, so past quarters keep their rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from scorecards.models import (
    Commendation,
    EvaluationReport,
    Indicator,
    IndicatorSet,
    Innovation,
    Inspection,
    InspectionPhoto,
    InspectionScore,
    Scorecard,
    ScorecardBuild,
    ScorecardLine,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["position", "code", "name", "dimension", "kind", "metric", "weight", "max_points"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_frozen) and super().has_change_permission(
            request, obj
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_frozen) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_frozen) and super().has_delete_permission(
            request, obj
        )


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    list_display = ["name", "committee", "year", "quarter", "version", "is_frozen"]
    list_filter = ["is_frozen", "year"]
    inlines = [IndicatorInline]
    readonly_fields = ["is_frozen", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_frozen:
            return ["committee", "year", "quarter", "version", "name", "is_frozen", "created_at"]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_frozen) and super().has_delete_permission(
            request, obj
        )


class InspectionScoreInline(admin.TabularInline):
    model = InspectionScore
    extra = 0
    readonly_fields = ["indicator", "points", "max_points"]
    can_delete = False


class InspectionPhotoInline(admin.TabularInline):
    model = InspectionPhoto
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["branch", "method", "visited_on", "inspector"]
    list_filter = ["method"]
    raw_id_fields = ["branch", "inspector"]
    inlines = [InspectionScoreInline, InspectionPhotoInline]


@admin.register(Innovation)
class InnovationAdmin(admin.ModelAdmin):
    list_display = ["title", "branch", "year", "quarter", "status", "score"]
    list_filter = ["status", "kind", "year"]
    raw_id_fields = ["branch", "filed_by", "scored_by"]


class ScorecardLineInline(admin.TabularInline):
    model = ScorecardLine
    extra = 0
    readonly_fields = ["indicator", "value", "points", "max_points", "evidence", "note"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    """Read-only: scorecards change only through the build, review and confirmation."""

    list_display = ["branch", "year", "quarter", "version", "state", "total", "rank"]
    list_filter = ["state", "year", "quarter"]
    search_fields = ["branch__name"]
    inlines = [ScorecardLineInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ScorecardBuild)
class ScorecardBuildAdmin(admin.ModelAdmin):
    list_display = ["committee", "year", "quarter", "run", "status", "progress", "created_at"]
    list_filter = ["status"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvaluationReport)
class EvaluationReportAdmin(admin.ModelAdmin):
    list_display = ["committee", "year", "quarter", "status", "ready_at"]
    list_filter = ["status"]


@admin.register(Commendation)
class CommendationAdmin(admin.ModelAdmin):
    list_display = ["kind", "organisation", "user", "year", "quarter", "status"]
    list_filter = ["kind", "status", "year"]
    raw_id_fields = ["organisation", "user", "scorecard", "committee", "decided_by"]
