"""A person's whole history with the association: each app adds a panel to the person page
through ``person_panels(*, user, person)`` in its ``<app>/hooks.py``, returning a list of
``Panel``. Apps see only what the viewer may see (they receive the user)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps


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
    panels: list[Panel] = []
    for config in apps.get_app_configs():
        if config.name == "people":
            continue
        try:
            hooks = import_module(f"{config.name}.hooks")
        except ModuleNotFoundError:
            continue
        make = getattr(hooks, "person_panels", None)
        if make is not None:
            panels.extend(make(user=user, person=person))
    return panels
