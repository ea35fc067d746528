"""volunteering.teams: pages (included by ``volunteering/urls.py``, in the ``volunteering`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from volunteering.teams import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("activities/<int:pk>/confirm/", views.activity_confirm, name="activity_confirm"),
    path("figures/", views.figures, name="team_figures"),
    path("p/activities/report/", views.my_report, name="my_report"),
]
