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
