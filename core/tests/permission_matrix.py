"""Routes of core and how each member of the cast must be answered."""

from typing import Any

from core import notify
from core.tests.matrix import ALL_200, LOGIN_REQUIRED, PUBLIC, Route, allow

STAFF_AND_ADMINS = ("city", "district_a", "district_b", "auditor", "sysadmin", "secadmin")

ROUTES = [
    Route(
        "core:home",
        expect={
            **allow(*STAFF_AND_ADMINS),
            "team_leader": 302,
            "worker_a": 302,
            "worker_b": 302,
            "requester": 302,
            "anonymous": 302,
        },
    ),
    Route("core:login", expect=PUBLIC),
    Route("core:otp", expect={**LOGIN_REQUIRED, **dict.fromkeys(ALL_200, 302)}),
    Route("core:logout", method="post", expect=dict.fromkeys(ALL_200, 302) | {"anonymous": 302}),
    Route("core:healthz", expect=PUBLIC),
    Route(
        "core:job",
        kwargs={"job_id": "00000000-0000-0000-0000-000000000000"},
        expect={**LOGIN_REQUIRED, **dict.fromkeys(ALL_200, 404)},
    ),
    Route(
        "core:job_download",
        kwargs={"job_id": "00000000-0000-0000-0000-000000000000"},
        expect={**LOGIN_REQUIRED, **dict.fromkeys(ALL_200, 404)},
    ),
    Route("set_language", method="post", expect=dict.fromkeys(PUBLIC, 302)),
    Route("api:openapi-json", expect=PUBLIC),
    Route("api:openapi-view", expect=PUBLIC),
]

ROUTES += [
    Route("api:api-root", expect=dict.fromkeys(PUBLIC, 404)),
]


def _message_of_worker_a(cast: Any) -> dict[str, int]:
    """A message for worker_a alone: everyone else gets 404, whatever their scope."""
    return {"pk": notify.send(channel="inapp", recipient=cast.worker_a, body="帮扶邀请").pk}


OWN_MESSAGE = {**dict.fromkeys(ALL_200, 404), **LOGIN_REQUIRED}

ROUTES += [
    Route("core:messages", expect={**LOGIN_REQUIRED, **dict.fromkeys(ALL_200, 200)}),
    Route("core:message", setup=_message_of_worker_a, expect={**OWN_MESSAGE, "worker_a": 200}),
    Route("core:message_open", method="post", setup=_message_of_worker_a, expect={**OWN_MESSAGE, "worker_a": 302}),
    Route("core:messages_read_all", method="post", expect=dict.fromkeys(PUBLIC, 302)),
]

ROUTES += [
    # 待办: staff and the separated administrators (whose list is empty), nobody else
    Route("core:todo", expect=allow(*STAFF_AND_ADMINS)),
]
