"""信访: the petitioner's phone page (code, own cases only, stage and deadlines, add material),
staff's side of the material, and files served only through permission-checked views."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import PetitionAttachment, PetitionCase
from casework.petitions import phone, services
from core import notify
from core.errors import DomainError
from core.models import AuditEntry, Notification
from tests.cast import login

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
MOBILE = "13812345678"


@pytest.fixture
def sms(settings: Any) -> list[tuple[str, str]]:
    settings.SMS_BACKEND = "core.notify.MemorySmsBackend"
    notify.MemorySmsBackend.outbox = []
    return notify.MemorySmsBackend.outbox


def _case(cast: Any, **kw: Any) -> PetitionCase:
    args = {
        "channel": "call",
        "name": "赵大海",
        "matter": "公司拖欠三个月工资",
        "district": cast.region_a,
        "mobile": MOBILE,
        "received_on": timezone.localdate() - dt.timedelta(days=3),
    }
    return services.register_case(actor=cast.district_a, **(args | kw))


def _sign_in(client: Client, sms: list, mobile: str = MOBILE, capture: Any = None) -> None:
    with capture(execute=True):
        r = client.post(reverse("casework:petitions_phone"), {"mobile": mobile})
    assert r.status_code == 302
    code = sms[-1][1].split("验证码是")[1][:6]
    assert sms[-1][0] == mobile
    r = client.post(reverse("casework:petitions_phone_verify"), {"code": code})
    assert r["Location"] == reverse("casework:petitions_phone_cases")


def test_petitioner_sees_only_their_own_cases(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    mine = _case(cast)
    older = _case(cast, received_on=timezone.localdate() - dt.timedelta(days=300), matter="咨询劳模津贴")
    services.close_case(actor=cast.city, case=older, answer="已电话答复：每月10日发放。", satisfaction="satisfied")
    theirs = _case(cast, mobile="13900000000", name="钱二")
    client = Client()
    _sign_in(client, sms, capture=django_capture_on_commit_callbacks)
    page = client.get(reverse("casework:petitions_phone_cases")).content.decode()
    assert (mine.number in page, older.number in page, theirs.number in page) == (True, True, False)
    detail = client.get(reverse("casework:petitions_phone_case", args=[mine.pk])).content.decode()
    assert "告知受理期限" in detail and f"{mine.notice_due:%Y}年{mine.notice_due.month}月" in detail
    assert 'aria-current="step"' in detail and "补充材料" in detail
    closed = client.get(reverse("casework:petitions_phone_case", args=[older.pk])).content.decode()
    assert "已电话答复：每月10日发放。" in closed and "提交材料" not in closed
    # anyone else's case, by id: 404, as is a file of it
    assert client.get(reverse("casework:petitions_phone_case", args=[theirs.pk])).status_code == 404
    item = services.add_attachment(
        actor=None, case=theirs, note="x", upload=SimpleUploadedFile("a.png", PNG), by_petitioner=True
    )
    assert client.get(reverse("casework:petitions_phone_file", args=[item.pk])).status_code == 404


def test_wrong_code_and_expired_session_go_back(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    case = _case(cast)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casework:petitions_phone"), {"mobile": MOBILE})
    r = client.post(reverse("casework:petitions_phone_verify"), {"code": "000000"})
    assert r.status_code == 200 and "验证码不正确" in r.content.decode()
    assert client.get(reverse("casework:petitions_phone_case", args=[case.pk])).status_code == 302
    # a code for technical help does not open the petition pages (purpose)
    assert phone.PURPOSE == "petition"
    code = sms[-1][1].split("验证码是")[1][:6]
    client.post(reverse("casework:petitions_phone_verify"), {"code": code})
    assert client.get(reverse("casework:petitions_phone_case", args=[case.pk])).status_code == 200
    session = client.session
    session[phone.VERIFIED_KEY] = {"mobile": MOBILE, "until": timezone.now().timestamp() - 1}
    session.save()
    r = client.get(reverse("casework:petitions_phone_case", args=[case.pk]))
    assert r["Location"] == reverse("casework:petitions_phone")
    # sign out forgets the number
    client.post(reverse("casework:petitions_phone_signout"))
    assert phone.VERIFIED_KEY not in client.session


def test_code_requests_are_rate_limited(cast: Any, sms: list, django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casework:petitions_phone"), {"mobile": MOBILE})
        r = client.post(reverse("casework:petitions_phone"), {"mobile": MOBILE})
    assert r.status_code == 200 and "秒后再试" in r.content.decode()
    assert len(sms) == 1
    r = client.post(reverse("casework:petitions_phone"), {"mobile": "12345"})
    assert r.status_code == 200 and len(sms) == 1


def test_petitioner_adds_a_note_and_a_photo_and_staff_see_it(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    case = _case(cast)
    PetitionCase.objects.filter(pk=case.pk).update(handler=cast.district_a)
    client = Client()
    _sign_in(client, sms, capture=django_capture_on_commit_callbacks)
    url = reverse("casework:petitions_phone_case", args=[case.pk])
    r = client.post(url, {"note": "补充：工资条照片", "file": SimpleUploadedFile("工资条.png", PNG)})
    assert r.status_code == 302
    r = client.post(url, {"note": "", "file": SimpleUploadedFile("合同.pdf", PDF)})
    assert r.status_code == 302
    items = list(PetitionAttachment.objects.filter(case=case))
    assert [(i.note, i.content_type, i.by_petitioner, i.added_by) for i in items] == [
        ("补充：工资条照片", "image/png", True, None),
        ("", "application/pdf", True, None),
    ]
    assert AuditEntry.objects.filter(action="petitions.attachment.added").count() == 2
    # the handler is told (in-app, linked to the case)
    told = Notification.objects.filter(recipient=cast.district_a, channel="inapp", subject__contains=case.number)
    assert [m.link for m in told] == [reverse("casework:petitions_detail", args=[case.pk])] * 2
    page = client.get(url).content.decode()
    assert "补充：工资条照片" in page and reverse("casework:petitions_phone_file", args=[items[0].pk]) in page
    r = client.get(reverse("casework:petitions_phone_file", args=[items[0].pk]))
    assert r.status_code == 200 and r.getvalue() == PNG
    # staff: on the case page, and the file through the scoped view (district_b: 404)
    staff = login(Client(), cast.district_a)
    detail = staff.get(reverse("casework:petitions_detail", args=[case.pk])).content.decode()
    assert "补充：工资条照片" in detail and "信访人补充" in detail
    file_url = reverse("casework:petitions_attachment", args=[items[0].pk])
    assert staff.get(file_url).status_code == 200
    assert login(Client(), cast.district_b).get(file_url).status_code == 404
    assert login(Client(), cast.worker_a).get(file_url).status_code == 403
    assert Client().get(file_url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.png", b"\xff\xd8\xff\xe0 not a png", "文件内容与扩展名不符"),
        ("a.exe", b"MZ", "只能上传照片"),
        ("a.png", b"", "空文件"),
    ],
)
def test_bad_files_are_refused_with_a_message(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any, name: str, content: bytes, message: str
) -> None:
    case = _case(cast)
    client = Client()
    _sign_in(client, sms, capture=django_capture_on_commit_callbacks)
    r = client.post(
        reverse("casework:petitions_phone_case", args=[case.pk]),
        {"note": "看看", "file": SimpleUploadedFile(name, content)},
    )
    page = r.content.decode()
    assert r.status_code == 200 and message in page
    assert "看看" in page  # what was typed is kept
    assert case.attachments.count() == 0


def test_material_rules(cast: Any, settings: Any) -> None:
    case = _case(cast)
    with pytest.raises(DomainError, match="补充说明"):
        services.add_attachment(actor=None, case=case, note="  ", by_petitioner=True)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="10MB"):
        services.add_attachment(actor=None, case=case, upload=big, by_petitioner=True)
    services.close_case(actor=cast.city, case=case, answer="已答复", satisfaction="")
    with pytest.raises(DomainError, match="已办结"):
        services.add_attachment(actor=None, case=case, note="再补充", by_petitioner=True)
    # staff may still file material on a closed case
    item = services.add_attachment(actor=cast.city, case=case, note="回访记录")
    assert (item.added_by, item.by_petitioner) == (cast.city, False)


def test_staff_add_material_on_the_case_page(cast: Any) -> None:
    case = _case(cast)
    staff = login(Client(), cast.district_a)
    url = reverse("casework:petitions_attach", args=[case.pk])
    r = staff.post(url, {"note": "电话记录：已联系企业", "file": SimpleUploadedFile("记录.pdf", PDF)}, follow=True)
    assert "材料已添加" in r.content.decode() and "电话记录：已联系企业" in r.content.decode()
    r = staff.post(url, {"note": ""}, follow=True)
    assert "请填写补充说明" in r.content.decode()
    assert PetitionAttachment.objects.filter(case=case).count() == 1
    assert login(Client(), cast.district_b).post(url, {"note": "x"}).status_code == 404


def test_no_case_for_the_number_and_a_closed_case_refuses_material(
    cast: Any, sms: list, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    _sign_in(client, sms, mobile="13911110000", capture=django_capture_on_commit_callbacks)
    page = client.get(reverse("casework:petitions_phone_cases")).content.decode()
    assert "没有找到用这个手机号登记的信访件" in page
    case = _case(cast, mobile="13911110000")
    services.close_case(actor=cast.city, case=case, answer="已答复", satisfaction="basic")
    r = client.post(reverse("casework:petitions_phone_case", args=[case.pk]), {"note": "再补充"}, follow=True)
    assert "此件已办结，不能再补充材料" in r.content.decode()
    assert case.attachments.count() == 0
