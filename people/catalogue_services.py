"""Writes to the two editable catalogues: honour titles (荣誉称号) and trades (工种).

Titles are referenced by honours and trades by skills, so neither is ever deleted: a title that
is no longer awarded is switched off (``active``), and every change is logged with before/after.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import diff, log_action
from core.errors import DomainError
from core.models import Actor
from people.models import HonourTitle, Level, TitleKind, Trade

TITLE_FIELDS = (
    "name",
    "kind",
    "level",
    "enjoys_level",
    "awarding_body",
    "aliases",
    "for_collectives",
    "sort",
    "active",
)
TRADE_FIELDS = ("code", "name", "category", "sort")


def _title_snapshot(title: HonourTitle) -> dict[str, Any]:
    return {f: getattr(title, f) for f in TITLE_FIELDS}


def _clean_aliases(raw: str) -> str:
    parts = [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",")]
    return ",".join(dict.fromkeys(p for p in parts if p))


def _check_title(data: dict[str, Any], *, exclude_pk: int | None) -> dict[str, Any]:
    clean = dict(data)
    clean["name"] = str(clean.get("name", "")).strip()
    if not clean["name"]:
        raise DomainError(_("称号名称不能为空"), field="name")
    if clean.get("kind") not in TitleKind.values:
        raise DomainError(_("请选择称号类别"), field="kind")
    if clean.get("level") not in Level.values:
        raise DomainError(_("请选择称号级别"), field="level")
    enjoys = clean.get("enjoys_level") or ""
    if enjoys and enjoys not in Level.values:
        raise DomainError(_("享受待遇级别无效"), field="enjoys_level")
    if enjoys == clean["level"]:
        raise DomainError(_("享受待遇级别与称号级别相同时请留空"), field="enjoys_level")
    clean["enjoys_level"] = enjoys
    clean["aliases"] = _clean_aliases(str(clean.get("aliases", "")))
    clean["awarding_body"] = str(clean.get("awarding_body", "")).strip()
    others = HonourTitle.objects.exclude(pk=exclude_pk) if exclude_pk else HonourTitle.objects.all()
    if others.filter(name=clean["name"]).exists():
        raise DomainError(_("称号“%(name)s”已存在") % {"name": clean["name"]}, field="name")
    names = {clean["name"], *filter(None, clean["aliases"].split(","))}
    for other in others.only("name", "aliases"):
        taken = {other.name, *filter(None, other.aliases.split(","))}
        clash = names & taken
        if clash:
            raise DomainError(
                _("“%(names)s”已是称号“%(title)s”的名称或别名，导入时会无法区分")
                % {"names": "、".join(sorted(clash)), "title": other.name},
                field="aliases",
            )
    return clean


@transaction.atomic
def create_honour_title(*, actor: Actor, data: dict[str, Any]) -> HonourTitle:
    clean = _check_title(data, exclude_pk=None)
    title = HonourTitle.objects.create(**{f: clean[f] for f in TITLE_FIELDS if f in clean})
    log_action(actor, "people.honour_title.created", title, changes=_title_snapshot(title))
    return title


@transaction.atomic
def update_honour_title(*, actor: Actor, title: HonourTitle, data: dict[str, Any]) -> HonourTitle:
    title = HonourTitle.objects.select_for_update().get(pk=title.pk)
    clean = _check_title(data, exclude_pk=title.pk)
    before = _title_snapshot(title)
    for f in TITLE_FIELDS:
        if f in clean:
            setattr(title, f, clean[f])
    title.save()
    log_action(actor, "people.honour_title.updated", title, changes=diff(before, _title_snapshot(title)))
    return title


def _check_trade(data: dict[str, Any], *, exclude_pk: int | None) -> dict[str, Any]:
    code = str(data.get("code", "")).strip()
    clean: dict[str, Any] = {
        "code": code,
        "name": str(data.get("name", "")).strip(),
        "category": str(data.get("category", "")).strip(),
        "sort": int(data.get("sort") or 0),
    }
    if not code or not code.isalnum():
        raise DomainError(_("编码不能为空，只能是字母和数字"), field="code")
    if not clean["name"]:
        raise DomainError(_("工种名称不能为空"), field="name")
    others = Trade.objects.exclude(pk=exclude_pk) if exclude_pk else Trade.objects.all()
    if others.filter(code=clean["code"]).exists():
        raise DomainError(_("编码 %(code)s 已被使用") % {"code": clean["code"]}, field="code")
    if others.filter(name=clean["name"]).exists():
        raise DomainError(_("工种“%(name)s”已存在") % {"name": clean["name"]}, field="name")
    return clean


@transaction.atomic
def create_trade(*, actor: Actor, data: dict[str, Any]) -> Trade:
    clean = _check_trade(data, exclude_pk=None)
    trade = Trade.objects.create(**clean)
    log_action(actor, "people.trade.created", trade, changes=clean)
    return trade


@transaction.atomic
def update_trade(*, actor: Actor, trade: Trade, data: dict[str, Any]) -> Trade:
    trade = Trade.objects.select_for_update().get(pk=trade.pk)
    clean = _check_trade(data, exclude_pk=trade.pk)
    before = {f: getattr(trade, f) for f in TRADE_FIELDS}
    for f, v in clean.items():
        setattr(trade, f, v)
    trade.save()
    log_action(actor, "people.trade.updated", trade, changes=diff(before, clean))
    return trade
