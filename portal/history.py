"""A model worker's own history with the association, on 我的服务 in large type: each app adds
its part through ``portal_sections(*, user, person)`` in its ``<app>/hooks.py``, returning a list
of ``Section`` (read through its own selectors, only what ``user`` may see of ``person``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps


@dataclass
class Item:
    title: str
    lines: list[str] = field(default_factory=list)
    #: a short status word shown beside the title (已发放, 确认无误…)
    tag: str = ""


@dataclass
class Section:
    title: str
    items: list[Item]
    #: where the section stands on the page (honours first, messages last)
    order: int = 50
    #: shown when there are no items; empty means the usual 暂无记录 (translated in the template)
    empty_text: str = ""
    #: a link to the app's own fuller phone page, if it has one
    more_url: str = ""
    more_label: str = ""


def sections_for(*, user: Any, person: Any) -> list[Section]:
    sections: list[Section] = []
    for config in apps.get_app_configs():
        try:
            hooks = import_module(f"{config.name}.hooks")
        except ModuleNotFoundError:
            continue
        make = getattr(hooks, "portal_sections", None)
        if make is not None:
            sections.extend(make(user=user, person=person))
    return sorted(sections, key=lambda s: s.order)
