from django.urls import path

from core.system import views

app_name = "system"

urlpatterns = [
    # 用户管理
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    # 我的接口令牌 (every member of staff, for their own account)
    path("my/tokens/", views.my_tokens, name="my_tokens"),
    path("my/tokens/<int:pk>/revoke/", views.my_token_revoke, name="my_token_revoke"),
    # 安全管理
    path("security/logins/", views.login_log, name="login_log"),
    path("security/online/", views.online, name="online"),
    path("security/online/<int:pk>/end/", views.online_end, name="online_end"),
    path("security/accounts/", views.account_security, name="account_security"),
    path("security/unlock/", views.unlock, name="unlock"),
    path("security/admins/<int:pk>/toggle/", views.admin_toggle, name="admin_toggle"),
    path("security/admins/roles/<int:pk>/revoke/", views.admin_role_revoke, name="admin_role_revoke"),
    path("security/users/<int:pk>/otp-reset/", views.otp_reset, name="otp_reset"),
    # 操作日志
    path("audit/", views.audit, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("audit/<int:pk>/", views.audit_detail, name="audit_detail"),
    # 区域管理
    path("regions/", views.regions, name="regions"),
    path("regions/new/", views.region_create, name="region_create"),
    path("regions/<int:pk>/edit/", views.region_edit, name="region_edit"),
    path("regions/import/", views.region_import, name="region_import"),
    path("regions/import/template/", views.region_template, name="region_template"),
    # 数据字典、目录
    path("dicts/", views.dicts, name="dicts"),
    path("dicts/new/", views.dict_create, name="dict_create"),
    path("dicts/<int:pk>/edit/", views.dict_edit, name="dict_edit"),
    # 工作日历
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/load/", views.calendar_load, name="calendar_load"),
    path("calendar/set/", views.calendar_set, name="calendar_set"),
]
