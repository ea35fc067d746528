"""A person's own history with the association, as they see it on their phone (我的服务, in large
type): each app adds its part through the ``person_history`` extension point
(``portal_sections(*, user, person)`` in ``<app>/hooks.py``), a list of ``Section``."""

from __future__ import annotations

from dataclasses import dataclass, field


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
