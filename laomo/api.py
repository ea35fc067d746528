"""The REST API: one NinjaAPI, each app adds its router from ``<app>/api.py`` (``router``).

Authentication: ``Authorization: Bearer <token>`` (core.ApiToken) or the browser session.
The OpenAPI schema is at /api/openapi.json, the browsable docs at /api/docs.
"""

from __future__ import annotations

from ninja import NinjaAPI, Router

from core import api_input
from core.api_auth import BearerToken, SessionAuthCsrf
from core.extensions import module_constants

api = NinjaAPI(
    title="Laomo 劳模工匠服务管理平台 API",
    version="1.0",
    urls_namespace="api",
    auth=[BearerToken(), SessionAuthCsrf()],
    parser=api_input.CheckedParser(),
)
api_input.install(api)

# Every installed app with an ``api.py`` is mounted at /api/<app label>/; its ``router`` must be a Router.
for _config, _router in module_constants("api", "router", Router):
    api.add_router(f"/{_config.label}/", _router)
