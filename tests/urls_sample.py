from django.urls import include, path

from laomo.urls import handler403, handler404, urlpatterns

urlpatterns = [*urlpatterns, path("sample/", include("tests.sample_app.urls"))]
__all__ = ["handler403", "handler404", "urlpatterns"]
