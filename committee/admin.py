from django.contrib import admin

from committee.models import Assignment, AssignmentEvent, Post, PostEvent, PostPhoto, Task


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ("organisation", "assignee")
    readonly_fields = ("state", "reported_at", "decided_at")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "issuer", "due_on", "created_by", "created_at")
    list_filter = ("due_on",)
    search_fields = ("title",)
    raw_id_fields = ("issuer", "created_by")
    inlines = [AssignmentInline]


@admin.register(AssignmentEvent)
class AssignmentEventAdmin(admin.ModelAdmin):
    list_display = ("assignment", "kind", "actor", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("assignment", "actor")


class PostPhotoInline(admin.TabularInline):
    model = PostPhoto
    extra = 0


class PostEventInline(admin.TabularInline):
    model = PostEvent
    extra = 0
    raw_id_fields = ("actor",)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "kind", "state", "featured", "published_at")
    list_filter = ("state", "kind", "featured")
    search_fields = ("title",)
    raw_id_fields = ("organisation", "author")
    inlines = [PostPhotoInline, PostEventInline]
