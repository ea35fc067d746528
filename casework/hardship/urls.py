"""casework.hardship: pages (included by ``casework/urls.py``, in the ``casework`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from casework.hardship import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("hardship/", views.file_list, name="hardship_list"),
    path("hardship/new/", views.file_create, name="hardship_create"),
    path("hardship/<int:pk>/", views.file_detail, name="hardship_detail"),
    path("hardship/<int:pk>/sensitive/", views.file_sensitive, name="hardship_sensitive"),
    path("hardship/<int:pk>/authorisation/", views.file_authorisation, name="hardship_authorisation"),
    path("hardship/<int:pk>/act/", views.file_act, name="hardship_act"),
    path("hardship/help/", views.help_list, name="hardship_help_list"),
    path("hardship/rechecks/", views.recheck_list, name="hardship_rechecks"),
    path("hardship/figures/", views.figures, name="hardship_figures"),
    path("hardship/settings/", views.settings_page, name="hardship_settings"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/photos/", views.visit_photo_add, name="visit_photo_add"),
    path("visits/photo/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("visits/plans/", views.plan_list, name="visit_plan_list"),
    path("visits/plans/new/", views.plan_create, name="visit_plan_create"),
    path("visits/plans/<int:pk>/", views.plan_detail, name="visit_plan_detail"),
    path("visits/plans/<int:pk>/add/", views.plan_target_add, name="visit_plan_target_add"),
    path("visits/plans/targets/<int:pk>/remove/", views.plan_target_remove, name="visit_plan_target_remove"),
]
