"""What the API takes in, checked before any endpoint sees it: no control characters or lone
surrogates in a JSON body or a query string (``core.controlchars``), a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` refused with 413, and each refusal a JSON ``{"detail": ...}``
the caller can act on (not django-ninja's bare "Cannot parse request body")."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser

from core.controlchars import code_of, first_control_character

# The largest ``offset`` a list endpoint takes: beyond any list we hold, within every database's integers.
MAX_OFFSET = 10**9


class InputRefused(ValueError):
    """A request body or query the API will not take; ``str()`` is the message."""


def _refuse_controls(value: Any, where: str) -> None:
    if isinstance(value, str):
        char = first_control_character(value, multiline=True)
        if char:
            raise InputRefused(
                gettext("%(field)s 含有不可见的控制字符（%(code)s），请删除后重新提交")
                % {"field": where or gettext("请求"), "code": code_of(char)}
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_controls(key, where)
            _refuse_controls(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_controls(item, f"{where}[{index}]")


class CheckedParser(Parser):
    """JSON bodies and query strings without control characters. Tab and line breaks pass in
    a JSON body (a note may have lines); the first refused value is named in the message."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputRefused(gettext("请求内容不是有效的 JSON：%(error)s") % {"error": exc}) from exc
        _refuse_controls(data, "")
        return data

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest) -> Any:
        for key, values in data.lists():
            try:
                _refuse_controls(key, "")
                for value in values:
                    _refuse_controls(value, key)
            except InputRefused as exc:
                raise HttpError(400, str(exc)) from exc
        return super().parse_querydict(data, list_fields, request)


def install(api: NinjaAPI) -> None:
    """The handlers that turn refused input into JSON 4xx answers."""

    # django-ninja's handler type admits the class as well as the instance; only instances come.
    def http_error(request: HttpRequest, exc: HttpError | type[HttpError]) -> HttpResponse:
        assert isinstance(exc, HttpError)
        # django-ninja wraps whatever parse_body raises in HttpError(400, "Cannot parse request body").
        detail = str(exc.__cause__) if isinstance(exc.__cause__, InputRefused) else str(exc)
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    def too_big(request: HttpRequest, exc: RequestDataTooBig | type[RequestDataTooBig]) -> HttpResponse:
        return api.create_response(request, {"detail": gettext("请求内容过大，请减少每次提交的数据量")}, status=413)

    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(RequestDataTooBig, too_big)
