"""The REST API: one NinjaAPI, each app adds its router from ``<app>/api.py`` (``router``).

Authentication: ``Authorization: Bearer <token>`` (core.ApiToken) or the browser session.
The OpenAPI schema is at /api/openapi.json, the browsable docs at /api/docs.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from ninja import NinjaAPI

from core import api_input
from core.api_auth import BearerToken, SessionAuthCsrf

api = NinjaAPI(
    title="Laomo 劳模工匠服务管理平台 API",
    version="1.0",
    urls_namespace="api",
    auth=[BearerToken(), SessionAuthCsrf()],
    parser=api_input.CheckedParser(),
)
api_input.install(api)

for _config in apps.get_app_configs():
    if _config.name.split(".")[0] not in {"core", "people", "census", "payments", "assistance"}:
        continue
    try:
        _module = import_module(f"{_config.name}.api")
    except ModuleNotFoundError:
        continue
    api.add_router(f"/{_config.label}/", _module.router)
