from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from portal import audit, views

portal_patterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("members/", views.member_list, name="members"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/", views.notification_open, name="notification"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("accounts/2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
]

urlpatterns = [
    path("admin/portal/roster-import/", views.roster_import_view, name="roster_import"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("committee/", include("committee.urls")),
    path("learning/", include("learning.urls")),
    path("assessment/", include("assessment.urls")),
    path("meetings/", include("meetings.urls")),
    path("scorecards/", include("scorecards.urls")),
    path("", include((portal_patterns, "portal"))),
]

if getattr(settings, "BENCHMARK_VIEWS", False):
    from bench.views import bare

    urlpatterns.insert(0, path("bench/bare/", bare, name="bench_bare"))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
