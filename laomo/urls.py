from django.urls import include, path

from laomo.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("core.urls")),
    path("system/", include("core.system.urls")),
    path("people/", include("people.urls")),
    path("census/", include("census.urls")),
    path("payments/", include("payments.urls")),
    path("assistance/", include("assistance.urls")),
    path("casework/", include("casework.urls")),
    path("volunteering/", include("volunteering.urls")),
    path("trips/", include("trips.urls")),
    path("p/", include("portal.urls")),
]
# No /media/ route: uploaded files (photos, attachments) are served by scoped views only.

handler403 = "core.views.forbidden"
handler404 = "core.views.not_found"
