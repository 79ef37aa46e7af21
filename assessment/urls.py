from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("questions/", views.question_list, name="questions"),
    path("questions/new/", views.question_create, name="question_create"),
    path("questions/import/", views.bank_import, name="bank_import"),
    path("questions/<int:pk>/", views.question_detail, name="question"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/retire/", views.question_retire, name="question_retire"),
    path("contests/", views.contest_list, name="contests"),
    path("contests/new/", views.contest_create, name="contest_create"),
    path("contests/<int:pk>/", views.contest_detail, name="contest"),
    path("contests/<int:pk>/edit/", views.contest_edit, name="contest_edit"),
    path("contests/<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("contests/<int:pk>/rules/<int:rule_pk>/remove/", views.rule_remove, name="rule_remove"),
    path("contests/<int:pk>/publish/", views.contest_publish, name="contest_publish"),
    path("contests/<int:pk>/close/", views.contest_close, name="contest_close"),
    path("contests/<int:pk>/start/", views.attempt_start, name="attempt_start"),
    path("contests/<int:pk>/league/", views.league, name="league"),
    path("contests/<int:pk>/analysis/", views.analysis, name="analysis"),
    path("contests/<int:pk>/answers.xlsx", views.answers_export, name="answers_export"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:pk>/answer/", views.attempt_answer, name="attempt_answer"),
    path("attempts/<int:pk>/save/", views.attempt_save, name="attempt_save"),
    path("shuxue/", views.shuxue_index, name="shuxue"),
    path("shuxue/rubrics/new/", views.rubric_create, name="rubric_create"),
    path("shuxue/rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric_edit"),
    path("shuxue/periods/new/", views.period_create, name="period_create"),
    path("shuxue/periods/<int:pk>/", views.period_detail, name="period"),
    path("shuxue/periods/<int:pk>/my-report/", views.report_edit, name="report_edit"),
    path("shuxue/reports/<int:pk>/", views.report_detail, name="report"),
]
