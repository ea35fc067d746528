"""casework.petitions: pages (included by ``casework/urls.py``, in the ``casework`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from casework.petitions import phone, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("petitions/", views.case_list, name="petitions_list"),
    path("petitions/export/", views.case_export, name="petitions_export"),
    path("petitions/figures/", views.figures, name="petitions_figures"),
    path("petitions/new/", views.case_create, name="petitions_create"),
    path("petitions/<int:pk>/", views.case_detail, name="petitions_detail"),
    path("petitions/<int:pk>/accept/", views.case_accept, name="petitions_accept"),
    path("petitions/<int:pk>/extend/", views.case_extend, name="petitions_extend"),
    path("petitions/<int:pk>/close/", views.case_close, name="petitions_close"),
    path("petitions/<int:pk>/extension/", views.extension_decide, name="petitions_extension_decide"),
    path("petitions/<int:pk>/review/", views.case_review, name="petitions_review"),
    path("petitions/<int:pk>/transfer/", views.case_transfer, name="petitions_transfer"),
    path("petitions/settings/", views.settings_page, name="petitions_settings"),
]
urlpatterns += phone.urlpatterns  # the petitioner's phone pages, material and 重复件 (casework/petitions/phone.py)
