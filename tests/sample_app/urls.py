from django.urls import path

from tests.sample_app import views

app_name = "sample"

urlpatterns = [path("", views.visit_list, name="list")]
