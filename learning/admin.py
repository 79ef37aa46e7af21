from django.contrib import admin

from learning import models


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class BranchPlanItemInline(admin.TabularInline):
    model = models.BranchPlanItem
    extra = 0


@admin.register(models.BranchPlan)
class BranchPlanAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "title", "status"]
    list_filter = ["status", "year"]
    inlines = [BranchPlanItemInline]
    raw_id_fields = ["organisation", "filed_by", "reviewed_by"]


@admin.register(models.StudyPlan)
class StudyPlanAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "year", "target_hours", "status"]
    list_filter = ["status", "year"]
    raw_id_fields = ["user", "organisation", "reviewed_by"]


@admin.register(models.Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(models.StudyLog)
class StudyLogAdmin(admin.ModelAdmin):
    list_display = ["user", "studied_on", "minutes", "method", "status"]
    list_filter = ["status", "method"]
    raw_id_fields = ["user", "organisation", "material", "decided_by"]


@admin.register(models.Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "organisation", "status", "grade", "originality_flagged"]
    list_filter = ["status", "grade", "originality_flagged", "is_exemplar"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organisation", "material", "reviewed_by", "activity"]


@admin.register(models.ResearchReport)
class ResearchReportAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "adopted_on"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "created_by", "reviewed_by"]


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "starts_on"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(models.CentreGroupSession)
class CentreGroupSessionAdmin(admin.ModelAdmin):
    list_display = ["topic", "organisation", "held_on", "kind"]
    raw_id_fields = ["organisation", "task"]


class _ReadOnlyInline(admin.TabularInline):
    """History rows: shown beside their record, never edited (they are the history)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ReflectionVersionInline(_ReadOnlyInline):
    model = models.ReflectionVersion
    fields = ["number", "title", "grade", "review_comment", "reviewed_by"]


class CommentInline(_ReadOnlyInline):
    model = models.Comment
    fk_name = "reflection"
    fields = ["author", "text", "created_at"]
    readonly_fields = ["created_at"]


class ReportOutcomeInline(admin.TabularInline):
    model = models.ReportOutcome
    extra = 0
    raw_id_fields = ["recorded_by"]


class CentreGroupSpeechInline(admin.StackedInline):
    model = models.CentreGroupSpeech
    extra = 0
    raw_id_fields = ["speaker"]


ReflectionAdmin.inlines = [ReflectionVersionInline, CommentInline]
ResearchReportAdmin.inlines = [ReportOutcomeInline]
CentreGroupSessionAdmin.inlines = [CentreGroupSpeechInline]


@admin.register(models.Assignment)
class MaterialAssignmentAdmin(admin.ModelAdmin):
    list_display = ["material", "organisation", "requirement", "due_on", "assigned_by"]
    list_filter = ["requirement", "due_on"]
    search_fields = ["material__title", "organisation__name"]
    raw_id_fields = ["material", "organisation", "assigned_by"]
    list_select_related = ["material", "organisation", "assigned_by"]


@admin.register(models.MaterialRead)
class MaterialReadAdmin(admin.ModelAdmin):
    list_display = ["material", "user", "read_at"]
    search_fields = ["material__title", "user__name"]
    raw_id_fields = ["material", "user"]
    list_select_related = ["material", "user"]


@admin.register(models.CentreGroupTask)
class CentreGroupTaskAdmin(admin.ModelAdmin):
    list_display = ["topic", "organisation", "year"]
    list_filter = ["year"]
    search_fields = ["topic"]
    raw_id_fields = ["organisation"]


@admin.register(models.Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author", "reflection", "material", "created_at"]
    search_fields = ["text", "author__name"]
    raw_id_fields = ["author", "reflection", "material"]
    list_select_related = ["author", "reflection", "material"]
