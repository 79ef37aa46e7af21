from django.urls import path

from scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.table, name="table"),
    path("build/", views.build_start, name="build_start"),
    path("builds/<int:pk>/status/", views.build_status, name="build_status"),
    path("<int:pk>/", views.scorecard_detail, name="scorecard"),
    path("<int:pk>/review/", views.scorecard_review, name="review"),
    path("<int:pk>/confirm/", views.scorecard_confirm, name="confirm"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/remove/", views.indicator_remove, name="indicator_remove"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path(
        "inspections/<int:pk>/photos/<int:photo_pk>/",
        views.inspection_photo,
        name="inspection_photo",
    ),
    path("innovations/", views.innovations, name="innovations"),
    path("innovations/new/<int:branch_pk>/", views.innovation_create, name="innovation_create"),
    path("innovations/<int:pk>/", views.innovation_detail, name="innovation"),
    path("reports/", views.reports, name="reports"),
    path("reports/request/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/download/<str:kind>/", views.report_download, name="report_download"),
    path("commendations/", views.commendations, name="commendations"),
    path("commendations/propose/", views.commendations_propose, name="commendations_propose"),
    path("commendations/<int:pk>/decide/", views.commendation_decide, name="commendation_decide"),
    path("mine/", views.mine, name="mine"),
]
