"""Pages: each part's (journeys, checkups), in the ``trips`` namespace."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "trips"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("trips.journeys.urls")),
    path("", include("trips.checkups.urls")),
]
