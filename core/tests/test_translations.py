"""English as the second language: the language cookie switches pages to English, Chinese stays the
default, and locale/en/LC_MESSAGES/django.po is complete (no empty or fuzzy entries, placeholders kept)
with the committed django.mo matching it."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdif]|%[sdif]|\{[A-Za-z0-9_]*\}")


def _po_entries() -> list[dict[str, Any]]:
    """Reads the .po without a library: one dict per entry with flags, msgid, msgid_plural, msgstr list."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    key = ""
    for line in [*PO_PATH.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"flags": [], "msgid": "", "msgid_plural": None, "msgstr": [], "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] = [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                key, value = match.group(1), json.loads(match.group(2))
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)
                elif key in ("msgid", "msgid_plural"):
                    entry[key] = value
            else:
                value = json.loads(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][-1] += value
                elif key in ("msgid", "msgid_plural"):
                    entry[key] += value
    return [e for e in entries if not e["obsolete"] and e["msgid"]]


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- pages ---------------------------------------------------------------------------------------


def test_login_page_is_english_with_the_cookie_and_chinese_without(db: None) -> None:
    english = _english(Client()).get(reverse("core:login")).content.decode()
    assert "<title>Sign in - Model Worker and Craftsman Service Platform</title>" in english
    assert '<label for="id_username">Username</label>' in english
    assert '<label for="id_password">Password</label>' in english
    assert "用户名" not in english

    chinese = Client().get(reverse("core:login")).content.decode()
    assert '<label for="id_username">用户名</label>' in chinese
    assert "Username" not in chinese


def test_browser_accept_language_alone_does_not_switch_to_english(db: None) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(reverse("core:login")).content.decode()
    assert '<label for="id_username">用户名</label>' in page


def test_staff_page_is_english_with_the_cookie(cast: Any, client_for: Any) -> None:
    page = _english(client_for("city")).get(reverse("people:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert '<button type="submit" class="btn btn-primary">Search</button>' in html
    assert ">Reset</a>" in html
    assert "<title>People list - Model Worker and Craftsman Service Platform</title>" in html
    assert ">Sign out</button>" in html  # base.html
    for chinese in ("搜索", "重置", "人员列表", "系统提示"):
        assert chinese not in html


def test_staff_page_is_chinese_without_the_cookie(cast: Any, client_for: Any) -> None:
    html = client_for("city").get(reverse("people:list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<button type="submit" class="btn btn-primary">搜索</button>' in html
    assert ">重置</a>" in html
    assert ">Search<" not in html


def test_language_switch_sets_the_cookie_and_back(cast: Any, client_for: Any) -> None:
    client = client_for("city")
    client.post(reverse("set_language"), {"language": "en", "next": reverse("people:list")})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert ">Reset</a>" in client.get(reverse("people:list")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("people:list")})
    assert ">重置</a>" in client.get(reverse("people:list")).content.decode()


# --- the catalogue -------------------------------------------------------------------------------


def test_po_has_no_empty_or_fuzzy_entries() -> None:
    entries = _po_entries()
    assert len(entries) > 900
    empty = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert empty == []
    assert fuzzy == []


def test_po_translations_keep_their_placeholders() -> None:
    wrong = []
    for entry in _po_entries():
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        forms = entry["msgstr"]
        if entry["msgid_plural"] is not None:
            # The singular may spell the number out ("One item in total"); the plural keeps it.
            forms = forms[1:]
            assert set(PLACEHOLDER.findall(entry["msgstr"][0])) <= set(expected), entry["msgid"]
        wrong += [entry["msgid"] for form in forms if sorted(PLACEHOLDER.findall(form)) != expected]
    assert wrong == []


def test_translations_add_no_ascii_double_quotes() -> None:
    """{% blocktranslate %} text is not escaped and often sits in data-confirm="…": English quotes
    names with “ ” like the Chinese does, so an attribute is never cut short."""
    added = [e["msgid"] for e in _po_entries() if '"' not in e["msgid"] and any('"' in form for form in e["msgstr"])]
    assert added == []


def test_confirm_dialog_text_survives_in_its_attribute(cast: Any, client_for: Any) -> None:
    from people.models import HonourTitle
    from people.services import create_collective

    create_collective(
        actor=None,
        name="宁波港第三码头",
        region=cast.region_a,
        title=HonourTitle.objects.get(name="宁波市模范集体"),
        year=2020,
    )
    html = _english(client_for("city")).get(reverse("people:collectives")).content.decode()
    assert 'data-confirm="Are you sure you want to delete “宁波港第三码头”?"' in html


def test_committed_mo_matches_the_po() -> None:
    """The .mo is committed so that a machine without gettext shows English: it must not lag the .po."""
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in _po_entries():
        if entry["msgid_plural"] is None:
            got = [catalog.gettext(entry["msgid"])]
        else:
            got = [catalog.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
        if got != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == []


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "One item in total"), (2, "2 in total"), (1234, "1234 in total")],
)
def test_plural_forms_in_english(count: int, expected: str) -> None:
    with translation.override("en"):
        text = translation.ngettext("共 %(counter)s 条", "共 %(counter)s 条", count) % {"counter": count}
    assert text == expected


def test_fixed_terms() -> None:
    with translation.override("en"):
        assert [
            translation.gettext(s) for s in ("暂无数据", "操作", "新增", "修改", "删除", "导入", "导出", "系统提示")
        ] == ["No data", "Actions", "Add", "Edit", "Delete", "Import", "Export", "Notice"]
        assert translation.gettext("长辈版·大字") == "Large text"
        assert translation.gettext("劳模工匠") == "Model workers and craftsmen"
    with translation.override("zh-hans"):
        assert translation.gettext("暂无数据") == "暂无数据"
