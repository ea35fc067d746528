"""Pages: each part's (journeys, checkups), in the ``trips`` namespace."""

from django.urls import URLPattern, URLResolver

from trips.parts import PARTS

app_name = "trips"

urlpatterns: list[URLPattern | URLResolver] = PARTS.urlpatterns()
