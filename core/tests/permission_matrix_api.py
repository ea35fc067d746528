"""Routes of the regions API (core/api.py): every signed-in member gets the tree of what they may
see (possibly empty); a region outside one's scope is 404."""

from __future__ import annotations

from typing import Any

from core import notify
from core.tests.matrix import SIGNED_IN, Route


def _region_a(cast: Any) -> dict[str, int]:
    return {"region_id": cast.region_a.pk}


ROUTES = [
    Route("api:regions", expect={**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    Route(
        "api:region",
        kwargs=_region_a,
        expect={**dict.fromkeys(SIGNED_IN, 404), "city": 200, "district_a": 200, "anonymous": 401},
    ),
]


def _message_of_worker_a(cast: Any) -> dict[str, int]:

    return {"message_id": notify.send(channel="inapp", recipient=cast.worker_a, body="帮扶邀请").pk}


_OWN = {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401}

ROUTES += [
    Route("api:messages", expect={**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    Route("api:messages_read_all", method="post", expect={**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    Route("api:message", setup=_message_of_worker_a, expect={**_OWN, "worker_a": 200}),
    Route("api:message_read", method="post", setup=_message_of_worker_a, expect={**_OWN, "worker_a": 200}),
]
