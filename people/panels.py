"""A person's whole history with the association: each app adds a panel to the person page
through the ``person_panels`` extension point (``<app>/hooks.py``), returning a list of
``Panel``. Apps see only what the viewer may see (they receive the user)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from people import extensions


@dataclass
class Panel:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    #: a link to the app's own fuller page for this person, if it has one
    more_url: str = ""
    #: shown when there are no rows; empty means the usual 暂无数据 (translated in the template)
    empty_text: str = ""
    #: optional per-row links (same length as rows)
    row_urls: list[str] = field(default_factory=list)


def panels_for(*, user: Any, person: Any) -> list[Panel]:
    return [panel for make in extensions.person_panels.implementations() for panel in make(user=user, person=person)]
