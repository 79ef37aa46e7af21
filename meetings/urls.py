from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("list/", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("import/", views.meeting_import, name="import"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/submit/", views.meeting_submit, name="submit"),
    path("<int:pk>/archive/", views.meeting_archive, name="archive"),
    path("<int:pk>/return/", views.meeting_return, name="return"),
    path("<int:pk>/amend/", views.meeting_amend, name="amend"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/checkin/", views.checkin_display, name="checkin_display"),
    path("<int:pk>/checkin/<str:token>/", views.checkin, name="checkin"),
    path("<int:pk>/life/", views.life_entries, name="life"),
    path("branches/<int:pk>/calendar/", views.branch_calendar, name="calendar"),
    path("branches/<int:pk>/ledger/", views.ledger, name="ledger"),
    path("branches/<int:pk>/review/", views.review, name="review"),
    path("review/self/", views.self_assessment, name="self_assessment"),
    path("committees/<int:pk>/", views.committee_calendar, name="committee"),
    path("talks/", views.talk_list, name="talks"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("talks/<int:pk>/", views.talk_detail, name="talk"),
    path("calendar-feed/", views.ical_page, name="ical"),
    path("calendar-feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
