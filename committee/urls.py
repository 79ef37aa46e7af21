from django.urls import path

from committee import views

app_name = "committee"

urlpatterns = [
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("assignments/", views.assignment_table, name="assignments"),
    path("assignments/matrix/", views.assignment_matrix, name="assignment_matrix"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/report/", views.assignment_report, name="assignment_report"),
    path("assignments/<int:pk>/review/", views.assignment_review, name="assignment_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("board/", views.board, name="board"),
    path("board/manage/", views.board_manage, name="board_manage"),
    path("board/new/", views.post_create, name="post_create"),
    path("board/<int:pk>/", views.post_detail, name="post"),
    path("board/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("board/<int:pk>/review/", views.post_review, name="post_review"),
    path("board/<int:pk>/feature/", views.post_feature, name="post_feature"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
