"""The registry pages through the real HTTP stack: filters, sorting, paging, scope, masking, writes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from people.models import Collective, Honour, HonourTitle, Person, PersonStatus, Skill, Trade
from people.services import add_honour, update_person
from people.tests.factories import make_id, make_person
from tests.cast import WORKER_A_ID, WORKER_B_ID, Cast

LIST = reverse("people:list")


def row_names(html: str) -> list[str]:
    """Names in the list's rows, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="/people/\d+/">([^<]+)</a>', body)


def test_list_shows_only_the_district(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("district_a").get(LIST).content.decode()
    assert row_names(html) == ["万亚勇"]
    assert "共 1 条" in html
    html = client_for("city").get(LIST).content.decode()
    assert row_names(html) == ["单秀英", "万亚勇"]


def test_list_district_dropdown_is_limited_to_the_scope(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("district_a").get(LIST).content.decode()
    select = html.split('name="district"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option[^>]*>([^<]+)</option>", select) == ["全部", "鄞州区"]


def test_list_filters_by_pinyin_initials(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("city").get(LIST, {"q": "sxy"}).content.decode()
    assert row_names(html) == ["单秀英"]


def test_list_filters_combined(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    p = make_person("周师傅", cast.region_a, status="retired", hardship=True)
    add_honour(actor=None, person=p, title=HonourTitle.objects.get(name="港城工匠"), year=2022)
    client = client_for("city")
    assert row_names(client.get(LIST, {"status": "retired", "hardship": "1"}).content.decode()) == ["周师傅"]
    assert row_names(client.get(LIST, {"level": "city"}).content.decode()) == ["周师傅"]
    assert row_names(client.get(LIST, {"district": cast.region_b.pk}).content.decode()) == ["单秀英"]
    today = dt.date.today()
    age_a = today.year - 1965 - ((today.month, today.day) < (3, 12))  # person_a was born 1965-03-12
    assert row_names(client.get(LIST, {"age_min": age_a, "age_max": age_a}).content.decode()) == ["万亚勇"]
    assert row_names(client.get(LIST, {"gender": "F"}).content.decode()) == ["单秀英"]


def test_list_shows_empty_message(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("district_a").get(LIST, {"q": "不存在的人"}).content.decode()
    assert row_names(html) == []
    assert "暂无数据" in html
    assert "共 0 条" in html


def test_list_bad_age_range_says_why(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("city").get(LIST, {"age_min": 70, "age_max": 60}).content.decode()
    assert "年龄上限不能小于下限" in html


def test_list_sorting_and_pagination(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        make_person(f"测试{chr(0x4E00 + i)}", cast.region_a, id_number=make_id(dt.date(1980, 1, 1 + i), i + 1))
    client = client_for("district_a")
    page1 = client.get(LIST, {"size": 10, "sort": "-birth"}).content.decode()
    assert "共 13 条" in page1
    names1 = row_names(page1)
    assert len(names1) == 10
    assert names1[0] == "测试" + chr(0x4E00 + 11)  # youngest first
    page2 = client.get(LIST, {"size": 10, "sort": "-birth", "page": 2}).content.decode()
    assert row_names(page2) == ["测试" + chr(0x4E00 + 1), "测试" + chr(0x4E00), "万亚勇"]
    # A page past the end shows the last page; an unknown size falls back to 20.
    assert row_names(client.get(LIST, {"size": 10, "sort": "-birth", "page": 99}).content.decode())[-1] == "万亚勇"
    assert len(row_names(client.get(LIST, {"size": 7}).content.decode())) == 13
    # The sort link of the current column flips the direction and keeps the filters.
    assert 'href="?size=10&amp;sort=birth"' in page1


def test_list_query_count_does_not_depend_on_rows(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    client.get(LIST)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for i in range(2):
        p = make_person(f"加{i}", cast.region_a)
        add_honour(actor=None, person=p, title=HonourTitle.objects.get(name="港城工匠"), year=2020 + i)
    with CaptureQueriesContext(connection) as three:
        html = client.get(LIST).content.decode()
    assert len(row_names(html)) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_masking_in_list_and_detail(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    update_person(actor=None, person=cast.person_a, bank_account="6222021234567890123", bank_name="工商银行")
    client = client_for("city")
    for url in (LIST, reverse("people:detail", kwargs={"pk": cast.person_a.pk})):
        html = client.get(url).content.decode()
        assert WORKER_A_ID not in html
        assert WORKER_B_ID not in html
        assert "3302**********0013" in html
        assert "6222021234567890123" not in html
    assert "138****0001" in client.get(LIST).content.decode()
    assert "13805740001" not in client.get(LIST).content.decode()
    assert (
        "6222 **** **** 0123" in client.get(reverse("people:detail", kwargs={"pk": cast.person_a.pk})).content.decode()
    )


def test_xss_names_are_escaped(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    payload = '<script>alert("x")</script>'
    person = make_person(payload, cast.region_a, employer='"><img src=x onerror=alert(1)>')
    client = client_for("district_a")
    for url in (LIST, reverse("people:detail", kwargs={"pk": person.pk})):
        html = client.get(url).content.decode()
        assert payload not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_detail_outside_scope_is_404_and_without_permission_403(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("people:detail", kwargs={"pk": cast.person_a.pk})
    assert client_for("district_b").get(url).status_code == 404
    assert client_for("worker_a").get(url).status_code == 403
    assert client_for("auditor").get(url).status_code == 403
    assert client_for("district_a").get(url).status_code == 200


def test_detail_shows_honours_skills_history(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    pk = cast.person_a.pk
    title = HonourTitle.objects.get(name="全国五一劳动奖章")
    r = client.post(reverse("people:honour_add", kwargs={"pk": pk}), {"title": title.pk, "year": 2019})
    assert r.status_code == 302
    trade = Trade.objects.get(name="焊工")
    client.post(
        reverse("people:skill_add", kwargs={"pk": pk}), {"trade": trade.pk, "grade": "1", "specialties": "氩弧焊"}
    )
    html = client.get(reverse("people:detail", kwargs={"pk": pk})).content.decode()
    honours = html.split('id="honours"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td>([^<]*)</td>", honours.split("<tbody>", 1)[1])
    assert cells[:6] == ["全国五一劳动奖章", "全国级", "省部级", "2019", "中华全国总工会", "—"]
    assert "氩弧焊" in html and "高级技师" in html
    history = html.split('id="history"', 1)[1]
    assert "添加技能" in history and "添加荣誉" in history


def test_honour_add_error_is_shown(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    pk = cast.person_a.pk
    title = HonourTitle.objects.get(name="港城工匠")
    client.post(reverse("people:honour_add", kwargs={"pk": pk}), {"title": title.pk, "year": 2020})
    r = client.post(reverse("people:honour_add", kwargs={"pk": pk}), {"title": title.pk, "year": 2020}, follow=True)
    assert "“万亚勇”已有 2020 年的“港城工匠”" in r.content.decode()
    assert Honour.objects.filter(person_id=pk).count() == 1


def test_honour_revoke_and_remove(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    honour = add_honour(actor=None, person=cast.person_a, title=HonourTitle.objects.get(name="港城工匠"), year=2020)
    client = client_for("district_a")
    kw = {"pk": cast.person_a.pk, "honour_pk": honour.pk}
    client.post(reverse("people:honour_revoke", kwargs=kw), {"reason": "证书作废"})
    honour.refresh_from_db()
    assert (honour.revoked, honour.revoked_reason) == (True, "证书作废")
    assert Person.objects.get(pk=cast.person_a.pk).top_level == ""
    client.post(reverse("people:honour_remove", kwargs=kw))
    assert not Honour.objects.filter(pk=honour.pk).exists()
    # Someone else's honour through this person's URL does not exist.
    other = add_honour(actor=None, person=cast.person_b, title=HonourTitle.objects.get(name="港城工匠"), year=2020)
    r = client.post(reverse("people:honour_remove", kwargs={"pk": cast.person_a.pk, "honour_pk": other.pk}))
    assert r.status_code == 404


def test_skill_remove(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    pk = cast.person_a.pk
    client.post(reverse("people:skill_add", kwargs={"pk": pk}), {"trade": Trade.objects.get(name="电工").pk})
    skill = Skill.objects.get(person_id=pk)
    client.post(reverse("people:skill_remove", kwargs={"pk": pk, "skill_pk": skill.pk}))
    assert Skill.objects.filter(person_id=pk).count() == 0


def test_reveal_id_logs_an_audit_entry(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("people:reveal_id", kwargs={"pk": cast.person_a.pk})
    r = client_for("district_a").post(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert WORKER_A_ID in r.content.decode()
    entry = AuditEntry.objects.get(action="people.person.id_revealed")
    assert (entry.actor, entry.object_id) == (cast.district_a, str(cast.person_a.pk))
    assert client_for("district_a").get(url).status_code == 405
    assert client_for("district_b").post(url).status_code == 404
    assert AuditEntry.objects.filter(action="people.person.id_revealed").count() == 1


def test_reveal_bank_needs_its_own_permission(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    update_person(actor=None, person=cast.person_a, bank_account="6222021234567890123")
    url = reverse("people:reveal_bank", kwargs={"pk": cast.person_a.pk})
    assert client_for("district_a").post(url).status_code == 403
    r = client_for("city").post(url)
    assert "6222021234567890123" in r.content.decode()
    assert AuditEntry.objects.filter(action="people.person.bank_revealed", actor=cast.city).count() == 1


def test_create_person_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    number = make_id(dt.date(1975, 4, 30), 8, male=False)
    client = client_for("district_a")
    data = {
        "name": "林美华",
        "id_number": number.lower(),
        "region": cast.region_a.pk,
        "status": "working",
        "mobile": "+86 139-0574-1234",
        "landline": "0574 87654321",
        "employer": "宁波银行",
    }
    r = client.post(reverse("people:create"), data)
    person = Person.objects.get(name="林美华")
    assert r.status_code == 302 and r["Location"] == reverse("people:detail", kwargs={"pk": person.pk})
    assert (person.gender, person.birth_date, person.mobile, person.landline) == (
        "F",
        dt.date(1975, 4, 30),
        "13905741234",
        "0574-87654321",
    )
    assert person.district == cast.region_a


def test_create_person_page_explains_errors(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    number = make_id(dt.date(1975, 4, 30), 8, male=False)
    r = client.post(
        reverse("people:create"),
        {"name": "林美华", "id_number": number, "region": cast.region_a.pk, "status": "working", "gender": "M"},
    )
    assert r.status_code == 200
    assert "性别与身份证号第17位不一致（奇数为男，偶数为女）" in r.content.decode()
    r = client.post(
        reverse("people:create"),
        {"name": "林美华", "region": cast.region_a.pk, "status": "working", "mobile": "12345"},
    )
    assert "“12345”不是有效的手机号。手机号是以1开头的11位数字" in r.content.decode()
    # A district outside the scope is not a valid choice.
    r = client.post(reverse("people:create"), {"name": "林美华", "region": cast.region_b.pk, "status": "working"})
    assert "选择一个有效的选项" in r.content.decode() or "Select a valid choice" in r.content.decode()
    assert not Person.objects.filter(name="林美华").exists()


def test_edit_person_keeps_id_when_left_blank(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    url = reverse("people:edit", kwargs={"pk": cast.person_a.pk})
    html = client.get(url).content.decode()
    assert WORKER_A_ID not in html
    r = client.post(
        url,
        {"name": "万亚勇", "gender": "M", "region": cast.region_a.pk, "status": "retired", "employer": "退休"},
    )
    assert r.status_code == 302
    person = Person.objects.get(pk=cast.person_a.pk)
    assert (person.status, person.employer, person.id_last4) == ("retired", "退休", WORKER_A_ID[-4:])
    entry = AuditEntry.objects.get(action="people.person.updated")
    assert entry.changes["status"] == ["working", "retired"]
    assert "id_number" not in entry.changes


def test_mark_deceased_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    url = reverse("people:deceased", kwargs={"pk": cast.person_a.pk})
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    r = client.post(url, {"date": future})
    assert "去世日期不能晚于今天" in r.content.decode()
    r = client.post(url, {"date": "2025-02-03", "note": "家属来电"})
    assert r.status_code == 302
    person = Person.objects.get(pk=cast.person_a.pk)
    assert (person.status, person.status_date) == (PersonStatus.DECEASED, dt.date(2025, 2, 3))


def test_merge_flow(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    duplicate = make_person("万亚勇", cast.region_a, address="钱湖北路1号")
    client = client_for("district_a")
    url = reverse("people:merge", kwargs={"pk": cast.person_a.pk})
    html = client.get(url).content.decode()  # proposes same-name records
    assert f'href="?duplicate={duplicate.pk}"' in html
    html = client.get(url, {"q": "wyy"}).content.decode()
    assert f'href="?duplicate={duplicate.pk}"' in html
    html = client.get(url, {"duplicate": duplicate.pk}).content.decode()
    assert "钱湖北路1号" in html and "确认合并" in html
    # district_a cannot reach a record of 海曙 as the duplicate.
    assert client.get(url, {"duplicate": cast.person_b.pk}).status_code == 404
    r = client.post(url, {"duplicate": duplicate.pk})
    assert r.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == cast.person_a.pk
    assert Person.objects.get(pk=cast.person_a.pk).address == "钱湖北路1号"
    assert row_names(client.get(LIST).content.decode()) == ["万亚勇"]


def test_collective_pages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_a")
    title = HonourTitle.objects.get(name="宁波市模范集体")
    r = client.post(
        reverse("people:collective_create"),
        {"name": "鄞州区<b>急救</b>中心", "region": cast.region_a.pk, "title": title.pk, "year": 2021},
    )
    assert r.status_code == 302
    collective = Collective.objects.get()
    html = client.get(reverse("people:collectives")).content.decode()
    assert "鄞州区&lt;b&gt;急救&lt;/b&gt;中心" in html
    assert "暂无数据" in client_for("district_b").get(reverse("people:collectives")).content.decode()
    r = client.post(
        reverse("people:collective_edit", kwargs={"pk": collective.pk}),
        {"name": "鄞州区急救中心", "region": cast.region_a.pk, "title": title.pk, "year": 2021},
    )
    assert Collective.objects.get().name == "鄞州区急救中心"
    # A title for individuals is not offered for a collective.
    r = client.post(
        reverse("people:collective_create"),
        {
            "name": "某车间",
            "region": cast.region_a.pk,
            "title": HonourTitle.objects.get(name="港城工匠").pk,
            "year": 2021,
        },
    )
    assert r.status_code == 200
    client.post(reverse("people:collective_delete", kwargs={"pk": collective.pk}))
    assert not Collective.objects.exists()


@pytest.mark.parametrize("member", ["worker_a", "requester", "auditor", "sysadmin"])
def test_list_is_403_without_people_view(cast: Cast, client_for, member: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(member).get(LIST).status_code == 403
