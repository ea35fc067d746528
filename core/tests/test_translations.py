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
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from census.services import open_campaign
from core.errors import DomainError
from core.idnumber import IdNumberError, parse_id_number
from core.phone import PhoneError, normalize_mobile
from core.phonecodes import verify_phone_code
from core.services import create_user
from payments.services import save_benefit_kind
from payments.tests import helpers
from people.models import HonourTitle
from people.services import create_collective, merge_people

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


# --- messages built in Python: service refusals, error pages, charts -----------------------------


def _core_refusal(cast: Any) -> None:

    create_user(actor=None, username="city", password="Laomo-Test-2026!")


def _people_refusal(cast: Any) -> None:

    merge_people(actor=cast.city, keep=cast.person_a, duplicate=cast.person_a)


def _census_refusal(cast: Any) -> None:

    open_campaign(actor=cast.city, year=2026)
    open_campaign(actor=cast.city, year=2026)


def _payments_refusal(cast: Any) -> None:

    save_benefit_kind(actor=cast.city, kind=None, code="XMAS", name="节日慰问")
    save_benefit_kind(actor=cast.city, kind=None, code="XMAS", name="另一种慰问")


def _assistance_refusal(cast: Any) -> None:

    verify_phone_code(mobile="13905748888", purpose="apply", code="123456")


@pytest.mark.parametrize(
    ("refuse", "english", "chinese"),
    [
        (_core_refusal, "Username city already exists", "用户名 city 已存在"),
        (_people_refusal, "A record cannot be merged with itself", "不能与自己合并"),
        (_census_refusal, "The 2026 census already exists", "2026 年的普查已经存在"),
        (_payments_refusal, "Code “XMAS” is already in use", "编码“XMAS”已被使用"),
        (_assistance_refusal, "Please get a code first", "请先获取验证码"),
    ],
    ids=["core", "people", "census", "payments", "assistance"],
)
def test_service_refusals_speak_the_active_language(cast: Any, refuse: Any, english: str, chinese: str) -> None:

    for language, expected in (("en", english), ("zh-hans", chinese)):
        with translation.override(language), pytest.raises(DomainError) as refused:
            refuse(cast)
        assert refused.value.message == expected


def test_id_and_phone_problems_keep_chinese_for_the_importer_and_speak_the_page_language() -> None:
    """The importer's report is a Chinese document (``message``, ``hint``); pages and the API
    show ``text()`` in the reader's language, placeholders filled."""
    with translation.override("en"):
        with pytest.raises(IdNumberError) as short:
            parse_id_number("33020319650312")
        with pytest.raises(PhoneError) as phone:
            normalize_mobile("12345")
    assert (short.value.message, short.value.hint) == ("身份证号应为18位，这里是14位", "请核对是否多写或漏写了数字")
    with translation.override("en"):
        assert (
            short.value.text()
            == "An ID number has 18 characters; this one has 14. Check for a missing or an extra digit"
        )
        assert phone.value.problem() == "“12345” is not a valid mobile number"
    with translation.override("zh-hans"):
        assert short.value.text() == "身份证号应为18位，这里是14位。请核对是否多写或漏写了数字"
        assert phone.value.text() == "“12345”不是有效的手机号。手机号是以1开头的11位数字"


def test_a_bad_mobile_through_the_api_is_refused_in_english_with_the_cookie(cast: Any, client_for: Any) -> None:
    payload = json.dumps({"name": "测试", "region": cast.region_a.pk, "mobile": "12345"})
    english = _english(client_for("city")).post(reverse("api:people"), payload, content_type="application/json")
    assert english.status_code == 422
    assert english.json() == {
        "detail": "“12345” is not a valid mobile number. A mobile number has 11 digits and starts with 1",
        "field": "mobile",
    }


def test_api_refusal_body_is_english_with_the_cookie(cast: Any, client_for: Any) -> None:
    payload = json.dumps({"name": "测试", "region": 0})
    english = _english(client_for("city")).post(reverse("api:people"), payload, content_type="application/json")
    assert english.status_code == 422
    assert english.json() == {
        "detail": "The chosen region does not exist or is outside your jurisdiction",
        "field": "region",
    }
    chinese = client_for("city").post(reverse("api:people"), payload, content_type="application/json")
    assert chinese.json() == {"detail": "所选区域不存在或不在您的管辖范围内", "field": "region"}


def test_404_page_is_english_with_the_cookie(cast: Any, client_for: Any) -> None:
    url = reverse("people:detail", kwargs={"pk": cast.person_a.pk})  # 鄞州: outside district_b's scope
    english = _english(client_for("district_b")).get(url)
    assert english.status_code == 404
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>The page does not exist, or it is outside your data scope (404).</h1>" in html
    assert ">Back to home</a>" in html
    assert "页面不存在" not in html
    chinese = client_for("district_b").get(url).content.decode()
    assert "<h1>页面不存在，或不在您的数据范围内（404）。</h1>" in chinese


def test_403_page_is_english_with_the_cookie(cast: Any, client_for: Any) -> None:
    english = _english(client_for("worker_a")).get(reverse("people:list"))
    assert english.status_code == 403
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "<title>403 - Model Worker and Craftsman Service Platform</title>" in html
    assert (
        "<h1>You are not allowed to do this (403). To get access, please contact the system administrator.</h1>" in html
    )
    assert "无权" not in html
    chinese = client_for("worker_a").get(reverse("people:list")).content.decode()
    assert "<h1>无权进行此操作（403）。如需权限，请联系系统管理员。</h1>" in chinese


def test_csrf_failure_page_is_ours_and_english_with_the_cookie(db: None) -> None:
    client = _english(Client(enforce_csrf_checks=True))
    response = client.post(reverse("core:login"), {"username": "someone", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "The page has expired or the request could not be verified (403)." in html
    chinese = Client(enforce_csrf_checks=True).post(reverse("core:login"), {"username": "someone", "password": "x"})
    assert "页面已过期或请求来源无法验证（403）" in chinese.content.decode()


def test_500_page_follows_the_active_language() -> None:

    with translation.override("en"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Something went wrong (500). Please try again later;" in html
    with translation.override("zh-hans"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>系统出错了（500），请稍后重试；" in html


def test_home_chart_labels_are_english_with_the_cookie(cast: Any, client_for: Any) -> None:
    page = _english(client_for("city")).get(reverse("core:home"))
    chart = page.context["charts"][0]
    assert chart.title == "Model workers and craftsmen by district (by benefit level)"
    assert [s["name"] for s in chart.series] == ["National", "Provincial/ministerial", "City", "District"]
    chinese = client_for("city").get(reverse("core:home")).context["charts"][0]
    assert chinese.title == "各区县劳模工匠（按待遇级别）"
    assert [s["name"] for s in chinese.series] == ["全国级", "省部级", "市级", "区县级"]


def test_dashboard_chart_axes_are_english_with_the_cookie(cast: Any, client_for: Any) -> None:

    campaign = open_campaign(actor=cast.city, year=2026)
    census = _english(client_for("city")).get(reverse("census:campaign", kwargs={"pk": campaign.pk})).content.decode()
    # The labels travel in data- attributes: the page scripts are static files (the CSP).
    assert '<div id="census-chart" data-axis="People"' in census
    helpers.approved(cast)
    payments = _english(client_for("city")).get(reverse("payments:dashboard")).content.decode()
    assert '<div id="chart-amount" data-axis="Yuan"' in payments
    assert '<div id="chart-trend" data-axis="Yuan" data-series="Amount paid"' in payments
    chinese = client_for("city").get(reverse("payments:dashboard")).content.decode()
    assert '<div id="chart-amount" data-axis="元"' in chinese
