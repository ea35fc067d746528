from django.urls import path

from census import views

app_name = "census"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("open/", views.campaign_open, name="campaign_open"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("<int:pk>/records/", views.record_list, name="records"),
    path("<int:pk>/missing.xlsx", views.missing_export, name="missing_export"),
    path("<int:pk>/progress.xlsx", views.progress_export, name="progress_export"),
    path("records/<int:pk>/action/", views.record_action, name="record_action"),
    path("records/<int:pk>/propose/", views.record_propose, name="record_propose"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/abandon/", views.import_abandon, name="import_abandon"),
    path("imports/<int:pk>/columns/", views.import_columns, name="import_columns"),
    path("imports/<int:pk>/errors.xlsx", views.import_error_file, name="import_error_file"),
    path("template.xlsx", views.template_download, name="template"),
    path("l/<str:token>/", views.personal, name="personal"),
]
