"""Pages: each part's (teams, incidents, operations), in the ``volunteering`` namespace."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "volunteering"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("volunteering.teams.urls")),
    path("", include("volunteering.incidents.urls")),
    path("", include("volunteering.operations.urls")),
]
