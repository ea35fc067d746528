from django.urls import path

from core import views as inbox
from portal import views

PORTAL = {"site": "portal"}

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    # 我的消息: the staff inbox's views in large type
    path("messages/", inbox.messages_list, PORTAL, name="messages"),
    path("messages/read-all/", inbox.messages_read_all, PORTAL, name="messages_read_all"),
    path("messages/<int:pk>/", inbox.message_detail, PORTAL, name="message"),
    path("messages/<int:pk>/open/", inbox.message_open, PORTAL, name="message_open"),
]
