from typing import Any

from core import notify
from core.tests.matrix import LOGIN_REQUIRED, SIGNED_IN, Route


def _message_of_worker_a(cast: Any) -> dict[str, int]:
    """A message for worker_a alone: everyone else gets 404."""
    return {"pk": notify.send(channel="inapp", recipient=cast.worker_a, body="帮扶邀请").pk}


_OWN = {**LOGIN_REQUIRED, **dict.fromkeys(SIGNED_IN, 404)}

ROUTES = [
    Route("portal:home", expect={**LOGIN_REQUIRED, **dict.fromkeys(SIGNED_IN, 200)}),
    # The phone sign-in: for anonymous visitors; anyone signed in goes on to the home page.
    Route("portal:login", expect={"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
    Route("portal:login_code", expect={"anonymous": 302, **dict.fromkeys(SIGNED_IN, 302)}),
    Route("portal:messages", expect={**LOGIN_REQUIRED, **dict.fromkeys(SIGNED_IN, 200)}),
    Route("portal:message", setup=_message_of_worker_a, expect={**_OWN, "worker_a": 200}),
    Route("portal:message_open", method="post", setup=_message_of_worker_a, expect={**_OWN, "worker_a": 302}),
    Route("portal:messages_read_all", method="post", expect={**LOGIN_REQUIRED, **dict.fromkeys(SIGNED_IN, 302)}),
]
