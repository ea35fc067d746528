"""The requester's form and the visit form: every error at once (a summary at the top with links,
and by each field), nothing typed lost, every message in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assistance.models import HelpRequest, Visit
from assistance.tests import factories as f
from assistance.views import VERIFIED_KEY
from core.models import Region

pytestmark = pytest.mark.django_db

MOBILE = "13905748888"


def _verified_client() -> Client:
    client = Client()
    session = client.session
    session[VERIFIED_KEY] = {"mobile": MOBILE, "until": timezone.now().timestamp() + 600}
    session.save()
    return client


def _form(cast: Any, **changes: Any) -> dict[str, Any]:
    return {
        "org_kind": "enterprise",
        "org_name": "宁波市林工艺品有限公司",
        "credit_code": f.valid_credit_code(),
        "district": cast.region_a.pk,
        "street": Region.objects.get(code="330212002").pk,
        "address": "首南街道1号",
        "contact_name": "林总",
        "category": f.Category.objects.get(code="automation").pk,
        "title": "包装线用人多",
        "description": "包装线需要8个人，希望自动化改造",
        "urgency": "normal",
        "password": "Linzong-2026!x",
        "password2": "Linzong-2026!x",
        **changes,
    }


def test_every_error_of_the_request_form_shows_at_once_and_nothing_typed_is_lost(cast: Any) -> None:
    data = _form(
        cast,
        credit_code="91330212MA2H4B6X30",  # wrong check character
        title="",
        password="Ab1!",
        password2="Ab1!",
        photo=SimpleUploadedFile("line.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100),
    )
    response = _verified_client().post(reverse("assistance:apply_form"), data)
    assert response.status_code == 200
    assert HelpRequest.objects.count() == 0
    errors = response.context["form"].errors
    assert sorted(errors) == ["credit_code", "password", "title"]
    assert errors["title"] == ["请填写需求标题"]
    assert errors["password"] == ["密码太短，至少需要10位"]
    html = response.content.decode()
    # The summary comes first, each line a link to its field.
    summary = html.index("请修改以下内容后再提交")
    assert summary < html.index('id="id_org_kind"')
    for field in ("credit_code", "title", "password"):
        assert f'href="#id_{field}"' in html
    # What was typed comes back, passwords included; the photo is asked for again, in words.
    assert 'value="宁波市林工艺品有限公司"' in html and "包装线需要8个人，希望自动化改造</textarea>" in html
    assert html.count('value="Ab1!"') == 2
    assert "刚才选的照片或资料没有保存" in html
    # Everything in Chinese, and the password hint tells the real rule.
    assert "This password" not in html and "This field" not in html
    assert "含大写字母、小写字母、数字、符号中的至少三类" in html and "含字母和数字" not in html


def test_an_enterprise_without_credit_code_and_a_password_like_the_mobile_show_together(cast: Any) -> None:
    data = _form(cast, credit_code="", title="", password=f"{MOBILE}Ab", password2=f"{MOBILE}Ab")
    response = _verified_client().post(reverse("assistance:apply_form"), data)
    errors = response.context["form"].errors
    assert sorted(errors) == ["credit_code", "password", "title"]
    assert errors["credit_code"] == ["企业请填写统一社会信用代码"]
    assert errors["password"] == ["密码跟 用户名 太相似了。"]


def test_the_corrected_form_goes_through(cast: Any) -> None:
    client = _verified_client()
    client.post(reverse("assistance:apply_form"), _form(cast, title=""))
    response = client.post(reverse("assistance:apply_form"), _form(cast))
    r = HelpRequest.objects.get()
    assert response["Location"] == reverse("assistance:my_request", args=[r.pk])


def test_the_visit_form_keeps_its_text_on_a_date_error(cast: Any, client_for: Any) -> None:
    r = f.in_service(cast)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    text = "调整了绕线机张力控制，培训两名操作工"
    response = client_for("city").post(
        reverse("assistance:visit_create", args=[r.pk]),
        {"date": tomorrow.isoformat(), "work_done": text, f"hours_{cast.person_a.pk}": ""},
    )
    assert response.status_code == 200
    assert Visit.objects.filter(request=r).count() == 0
    errors = response.context["visit_form"].errors
    assert errors == {
        "date": ["上门日期不能晚于今天"],
        f"hours_{cast.person_a.pk}": ["请填写至少一位上门人员的服务时长"],
    }
    html = response.content.decode()
    assert html.index("请修改以下内容后再提交") < html.index(r.title)
    assert 'href="#id_date"' in html
    assert f"{text}</textarea>" in html and f'value="{tomorrow.isoformat()}"' in html

    ok = client_for("city").post(
        reverse("assistance:visit_create", args=[r.pk]),
        {"date": timezone.localdate().isoformat(), "work_done": text, f"hours_{cast.person_a.pk}": "3"},
    )
    assert ok["Location"] == reverse("assistance:request_detail", args=[r.pk])
    assert list(Visit.objects.filter(request=r).values_list("work_done", flat=True)) == [text]


def test_missing_and_mismatched_passwords_are_named(cast: Any) -> None:
    client = _verified_client()
    missing = client.post(reverse("assistance:apply_form"), _form(cast, password="", password2=""))
    assert missing.context["form"].errors == {"password": ["请设置登录密码"], "password2": ["请再次输入密码"]}
    assert 'class="required">设置登录密码</label>' in missing.content.decode()
    differ = client.post(reverse("assistance:apply_form"), _form(cast, password2="Linzong-2026!y"))
    assert differ.context["form"].errors == {"password2": ["两次输入的密码不一致"]}
