from django.urls import path

from people import catalogue_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("export/", views.person_export, name="export"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/reveal-id/", views.person_reveal_id, name="reveal_id"),
    path("<int:pk>/reveal-bank/", views.person_reveal_bank, name="reveal_bank"),
    path("<int:pk>/deceased/", views.person_deceased, name="deceased"),
    path("<int:pk>/photo/", views.person_photo, name="photo"),
    path("<int:pk>/photo/upload/", views.person_photo_upload, name="photo_upload"),
    path("<int:pk>/photo/remove/", views.person_photo_remove, name="photo_remove"),
    path("<int:pk>/merge/", views.person_merge, name="merge"),
    path("<int:pk>/honours/add/", views.honour_add, name="honour_add"),
    path("<int:pk>/honours/<int:honour_pk>/revoke/", views.honour_revoke, name="honour_revoke"),
    path("<int:pk>/honours/<int:honour_pk>/remove/", views.honour_remove, name="honour_remove"),
    path("<int:pk>/skills/add/", views.skill_add, name="skill_add"),
    path("<int:pk>/skills/<int:skill_pk>/remove/", views.skill_remove, name="skill_remove"),
    path("collectives/", views.collective_list, name="collectives"),
    path("collectives/new/", views.collective_create, name="collective_create"),
    path("collectives/<int:pk>/edit/", views.collective_edit, name="collective_edit"),
    path("collectives/<int:pk>/delete/", views.collective_delete, name="collective_delete"),
    # 系统管理 → the registry's catalogues
    path("catalogues/honour-titles/", catalogue_views.honour_titles, name="honour_titles"),
    path("catalogues/honour-titles/new/", catalogue_views.honour_title_create, name="honour_title_create"),
    path("catalogues/honour-titles/<int:pk>/edit/", catalogue_views.honour_title_edit, name="honour_title_edit"),
    path("catalogues/trades/", catalogue_views.trades, name="trades"),
    path("catalogues/trades/new/", catalogue_views.trade_create, name="trade_create"),
    path("catalogues/trades/<int:pk>/edit/", catalogue_views.trade_edit, name="trade_edit"),
]
