"""The permission matrix machinery: every named route × every member of the cast → status.

Each app lists its routes in ``<app>/tests/permission_matrix.py`` as ``ROUTES``. A route that
exists in the URL configuration but in no matrix fails ``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.cast import CAST_NAMES

SIGNED_IN = tuple(n for n in CAST_NAMES if n != "anonymous")
ALL_200 = SIGNED_IN
PUBLIC = dict.fromkeys(CAST_NAMES, 200)
# Pages answer anonymous visitors with a redirect to the login page; the API with 401.
LOGIN_REQUIRED = {"anonymous": 302}
API_LOGIN_REQUIRED = {"anonymous": 401}


def allow(*names: str, status: int = 200, others: int = 403, anonymous: int = 302) -> dict[str, int]:
    """``names`` get ``status``; every other signed-in member gets ``others``."""
    result = {n: (status if n in names else others) for n in SIGNED_IN}
    result["anonymous"] = anonymous
    return result


@dataclass
class Route:
    name: str
    expect: dict[str, int]
    method: str = "get"
    #: URL kwargs, or a function of the cast giving them (for objects the cast owns).
    kwargs: dict[str, Any] | Callable[[Any], dict[str, Any]] = field(default_factory=dict)
    data: dict[str, Any] | None = None
    #: Prepare objects first: a function of the cast returning the URL kwargs.
    setup: Callable[[Any], dict[str, Any]] | None = None
    content_type: str | None = None

    def __post_init__(self) -> None:
        missing = set(CAST_NAMES) - set(self.expect)
        if missing:
            raise ValueError(f"{self.name}: no expected status for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}]"
