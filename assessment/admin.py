"""Read-mostly admin views: contests and banks are run from the portal's own pages, where
the rules (versions, frozen rubrics, the server's clock) are enforced."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from assessment.models import (
    Attempt,
    AttemptItem,
    Contest,
    DrawRule,
    Question,
    QuestionVersion,
    Rubric,
    RubricCriterion,
    RubricLevel,
    ShuxuePeriod,
    ShuxueRating,
    ShuxueRatingScore,
    ShuxueReport,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(ReadOnlyInline):
    model = QuestionVersion
    fields = ["number", "kind", "stem", "answer", "accepted_answers", "created_at"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "topic", "difficulty", "is_active"]
    list_filter = ["difficulty", "is_active"]
    search_fields = ["topic", "current__stem"]
    fields = ["organisation", "topic", "difficulty", "is_active"]
    readonly_fields = ["organisation"]
    inlines = [VersionInline]
    list_select_related = ["current", "organisation"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # questions are written through the bank pages, which version them


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "opens_at", "closes_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["contest", "user", "branch", "number", "status", "percent", "counts"]
    list_filter = ["status", "counts"]
    search_fields = ["user__name", "contest__title"]
    list_select_related = ["contest", "user", "branch"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "frozen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ShuxuePeriod)
class ShuxuePeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "year", "opens_on", "closes_on"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DrawRuleInline(ReadOnlyInline):
    model = DrawRule
    fields = ["topic", "difficulty", "count", "points"]


class AttemptItemInline(ReadOnlyInline):
    model = AttemptItem
    fields = [
        "position",
        "version",
        "option_order",
        "response",
        "answered_at",
        "is_correct",
        "points",
    ]


class CriterionInline(ReadOnlyInline):
    model = RubricCriterion
    fields = ["position", "name"]


class RatingInline(ReadOnlyInline):
    model = ShuxueRating
    fields = ["rater", "role", "percent"]


class RatingScoreInline(ReadOnlyInline):
    model = ShuxueRatingScore
    fields = ["criterion", "level", "points", "remark"]


ContestAdmin.inlines = [DrawRuleInline]
AttemptAdmin.inlines = [AttemptItemInline]
RubricAdmin.inlines = [CriterionInline]


@admin.register(RubricLevel)
class RubricLevelAdmin(admin.ModelAdmin):
    """Levels of a rubric's criteria; read-only like the rubric (frozen once used)."""

    list_display = ["criterion", "name", "points"]
    list_select_related = ["criterion"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ShuxueReport)
class ShuxueReportAdmin(admin.ModelAdmin):
    list_display = ["period", "user", "branch", "status", "score", "grade"]
    list_filter = ["status", "grade"]
    search_fields = ["user__name", "period__title"]
    list_select_related = ["period", "user", "branch"]
    inlines = [RatingInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ShuxueRating)
class ShuxueRatingAdmin(admin.ModelAdmin):
    list_display = ["report", "rater", "role"]
    list_filter = ["role"]
    list_select_related = ["report", "rater"]
    inlines = [RatingScoreInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
