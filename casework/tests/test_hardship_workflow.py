"""Hardship files: the steps, send-back, publicity, help ledger with four eyes, re-checks, closing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.hardship import home, hooks, selectors, services
from casework.models.hardship import (
    FileEvent,
    FileStatus,
    HardshipConfig,
    HelpRecord,
    HelpStatus,
    Recheck,
    Step,
)
from casework.tests import hardship_factories as hf
from core.errors import DomainError
from core.models import AuditEntry
from people.services import mark_deceased

pytestmark = pytest.mark.django_db


def test_a_file_goes_through_every_step_and_each_is_recorded(cast):
    file = hf.new_file(cast)
    assert file.step == Step.APPLY and file.number.startswith("KN")
    file = hf.move_to(cast, file, Step.FILED)
    assert file.filed_on == timezone.localdate()
    actions = list(FileEvent.objects.filter(file=file).values_list("step", flat=True))
    assert actions == ["apply", "apply", "verify", "home_visit", "home_visit", "finance", "publicity", "approval"]
    assert all(e.actor_id == cast.city.pk for e in FileEvent.objects.filter(file=file))
    # the first yearly re-check is set on filing
    assert Recheck.objects.filter(file=file, year=timezone.localdate().year + 1).exists()
    assert AuditEntry.objects.filter(action="casework.hardship.advanced", object_id=str(file.pk)).count() == 6


def test_a_step_out_of_order_is_refused_clearly(cast):
    file = hf.new_file(cast)
    with pytest.raises(DomainError, match="下一步应为「基层核实」"):
        services.advance_file(actor=cast.city, file=file, to_step=Step.APPROVAL)
    with pytest.raises(DomainError, match="不能办理「申请」"):
        services.advance_file(actor=cast.city, file=file, to_step=Step.APPLY)
    file.refresh_from_db()
    assert file.step == Step.APPLY


def test_home_visit_needs_the_signed_authorisation_photo_or_pdf(cast):
    file = hf.move_to(cast, hf.new_file(cast), Step.HOME_VISIT)
    with pytest.raises(DomainError, match="授权书"):
        services.advance_file(actor=cast.city, file=file, to_step=Step.FINANCE)
    with pytest.raises(DomainError, match=r"照片.*PDF"):
        services.upload_authorisation(actor=cast.city, file=file, upload=SimpleUploadedFile("a.txt", b"hello"))
    with pytest.raises(DomainError, match="不符"):
        services.upload_authorisation(actor=cast.city, file=file, upload=SimpleUploadedFile("a.pdf", b"not a pdf"))
    services.upload_authorisation(actor=cast.city, file=file, upload=hf.png("signed.png"))
    file = services.advance_file(actor=cast.city, file=file, to_step=Step.FINANCE)
    assert file.step == Step.FINANCE


def test_send_back_needs_a_reason_and_goes_to_an_earlier_step(cast):
    file = hf.move_to(cast, hf.new_file(cast), Step.HOME_VISIT)
    with pytest.raises(DomainError, match="原因"):
        services.send_back(actor=cast.city, file=file, to_step=Step.VERIFY, reason=" ")
    with pytest.raises(DomainError, match="之前的环节"):
        services.send_back(actor=cast.city, file=file, to_step=Step.FINANCE, reason="x")
    file = services.send_back(actor=cast.city, file=file, to_step=Step.APPLY, reason="材料不全")
    assert file.step == Step.APPLY
    event = FileEvent.objects.filter(file=file).last()
    assert event is not None and event.note == "材料不全" and event.step == Step.HOME_VISIT


def test_publicity_needs_dates_a_finished_period_and_resolved_objections(cast):
    file = hf.move_to(cast, hf.new_file(cast), Step.FINANCE)
    services.add_member(actor=cast.city, file=file, name="李", relation="子", age=30, health="", monthly_income="0")
    with pytest.raises(DomainError, match="公示开始和结束"):
        services.advance_file(actor=cast.city, file=file, to_step=Step.PUBLICITY)
    today = timezone.localdate()
    file = services.advance_file(
        actor=cast.city,
        file=file,
        to_step=Step.PUBLICITY,
        publicity_start=today,
        publicity_end=today + dt.timedelta(days=6),
    )
    with pytest.raises(DomainError, match="公示期未满"):
        services.advance_file(actor=cast.city, file=file, to_step=Step.APPROVAL)
    objection = services.add_objection(actor=cast.city, file=file, received_on=today, text="收入不实")
    type(file).objects.filter(pk=file.pk).update(publicity_end=today - dt.timedelta(days=1))
    file.refresh_from_db()
    with pytest.raises(DomainError, match="未处理的公示异议"):
        services.advance_file(actor=cast.city, file=file, to_step=Step.APPROVAL)
    services.resolve_objection(actor=cast.city, objection=objection, resolution="经核实不成立")
    assert services.advance_file(actor=cast.city, file=file, to_step=Step.APPROVAL).step == Step.APPROVAL


def test_income_per_head_against_the_districts_poverty_line(cast):
    file = hf.move_to(cast, hf.new_file(cast), Step.FINANCE)
    services.add_member(
        actor=cast.city, file=file, name="李", relation="子", age=30, health="", monthly_income="1000.50"
    )
    services.add_member(actor=cast.city, file=file, name="王", relation="配偶", age=58, health="", monthly_income="800")
    services.save_poverty_line(actor=cast.city, district=cast.region_a, year=timezone.localdate().year, monthly="1100")
    assert services.income_per_head(file) == Decimal("900.25")
    line = services.poverty_line_for(file)
    assert line is not None and line.monthly == Decimal("1100.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-1", "负数"), ("10.005", "分"), ("abc", "格式"), ("0", "大于0"), ("NaN", "格式")],
)
def test_bad_amounts_are_refused(cast, amount, message):
    file = hf.filed_file(cast)
    with pytest.raises(DomainError, match=message):
        services.add_help(actor=cast.city, file=file, kind="cash", amount=amount, given_on=timezone.localdate())
    assert not HelpRecord.objects.filter(file=file).exists()


def test_help_needs_a_filed_open_file(cast):
    file = hf.new_file(cast)
    with pytest.raises(DomainError, match="先建档后帮扶"):
        services.add_help(actor=cast.city, file=file, kind="goods", amount="100", given_on=timezone.localdate())
    file = hf.move_to(cast, file, Step.FILED)
    services.close_file(actor=cast.city, file=file, reason="relieved")
    with pytest.raises(DomainError, match="已销档"):
        services.add_help(actor=cast.city, file=file, kind="goods", amount="100", given_on=timezone.localdate())


def test_cash_above_the_amount_needs_a_second_person(cast):
    HardshipConfig.objects.filter(pk=HardshipConfig.current().pk).update(cash_approval_above=Decimal("1000"))
    file = hf.filed_file(cast)
    small = services.add_help(actor=cast.city, file=file, kind="cash", amount="1000.00", given_on=timezone.localdate())
    assert small.status == HelpStatus.APPROVED
    big = services.add_help(actor=cast.city, file=file, kind="cash", amount="1000.01", given_on=timezone.localdate())
    assert big.status == HelpStatus.PENDING
    with pytest.raises(DomainError, match="另一人"):
        services.decide_help(actor=cast.city, record=big, approve=True)
    with pytest.raises(DomainError, match="原因"):
        services.decide_help(actor=cast.district_a, record=big, approve=False)
    done = services.decide_help(actor=cast.district_a, record=big, approve=True)
    assert done.status == HelpStatus.APPROVED and done.approved_by_id == cast.district_a.pk
    with pytest.raises(DomainError, match="已复核"):
        services.decide_help(actor=cast.district_a, record=big, approve=True)
    totals = selectors.help_totals(HelpRecord.objects.filter(file=file))
    assert totals == {"times": 2, "people": 1, "yuan": Decimal("2000.01")}


def test_closing_needs_a_reason_and_keeps_the_history(cast):
    file = hf.filed_file(cast)
    services.add_help(actor=cast.city, file=file, kind="goods", amount="200", given_on=timezone.localdate())
    with pytest.raises(DomainError, match="销档原因"):
        services.close_file(actor=cast.city, file=file, reason="")
    with pytest.raises(DomainError, match="其他"):
        services.close_file(actor=cast.city, file=file, reason="other", note="")
    events_before = FileEvent.objects.filter(file=file).count()
    file = services.close_file(actor=cast.city, file=file, reason="moved", note="迁往杭州")
    assert file.status == FileStatus.CLOSED and file.close_reason == "moved"
    assert FileEvent.objects.filter(file=file).count() == events_before + 1
    assert HelpRecord.objects.filter(file=file).count() == 1
    with pytest.raises(DomainError, match="已销档"):
        services.advance_file(actor=cast.city, file=file, to_step=Step.FILED)
    # a new file may be opened after the old one is closed
    assert hf.new_file(cast).status == FileStatus.OPEN


def test_one_open_file_per_person(cast):
    hf.new_file(cast)
    with pytest.raises(DomainError, match="已有在档"):
        hf.new_file(cast)


def test_yearly_rechecks_overdue_on_the_work_list_and_todo(cast):
    file = hf.filed_file(cast)
    today = timezone.localdate()
    type(file).objects.filter(pk=file.pk).update(filed_on=today.replace(year=today.year - 2))
    Recheck.objects.filter(file=file).delete()
    assert services.create_yearly_rechecks(today=today) == 1
    assert services.create_yearly_rechecks(today=today) == 0
    recheck = Recheck.objects.get(file=file, year=today.year)
    Recheck.objects.filter(pk=recheck.pk).update(due=today - dt.timedelta(days=3))
    assert list(selectors.rechecks_for(cast.district_a, overdue_only=True)) == [recheck]
    assert list(selectors.rechecks_for(cast.district_b, overdue_only=True)) == []
    items = {i.label: i for i in home.todo_items(cast.district_a)}
    assert items["困难档案年度复核"].overdue == 1
    with pytest.raises(DomainError, match="复核意见"):
        services.complete_recheck(actor=cast.city, recheck=recheck, note="")
    services.complete_recheck(actor=cast.city, recheck=recheck, note="仍困难")
    assert Recheck.objects.filter(file=file, year=today.year + 1).exists()
    assert selectors.rechecks_for(cast.district_a, overdue_only=True).count() == 0


def test_the_recheck_list_exports_what_it_shows_and_logs_it(cast, client):
    from openpyxl import load_workbook  # noqa: PLC0415 - only this test reads a workbook

    from tests.cast import login  # noqa: PLC0415

    file = hf.filed_file(cast)
    today = timezone.localdate()
    Recheck.objects.filter(file=file).delete()
    Recheck.objects.create(file=file, year=today.year, due=today - dt.timedelta(days=3))
    login(client, cast.district_a)
    response = client.get("/casework/hardship/rechecks/", {"overdue": "1", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("档案编号", "姓名") and rows[1][1] == cast.person_a.name and rows[1][5] == "已逾期"
    assert AuditEntry.objects.filter(action="casework.hardship.rechecks_exported").count() == 1
    login(client, cast.district_b)
    rows = list(
        load_workbook(
            io.BytesIO(client.get("/casework/hardship/rechecks/", {"export": "xlsx"}).content)
        ).active.iter_rows(values_only=True)
    )
    assert len(rows) == 1  # another district: the header only


def test_a_person_who_dies_gets_the_open_file_flagged(cast, django_capture_on_commit_callbacks):
    file = hf.filed_file(cast)
    with django_capture_on_commit_callbacks(execute=True):
        mark_deceased(actor=cast.city, person=cast.person_a, date=timezone.localdate())
    file.refresh_from_db()
    assert file.close_flagged and file.status == FileStatus.OPEN
    assert FileEvent.objects.filter(file=file, action__contains="去世").exists()
    services.close_file(actor=cast.city, file=file, reason="deceased")
    file.refresh_from_db()
    assert not file.close_flagged


def test_merge_moves_files_and_visits(cast):
    file = hf.new_file(cast, person=cast.person_b)
    visit = hf.visit(cast, person=cast.person_b)
    hooks.on_person_merged(keep=cast.person_a, duplicate=cast.person_b)
    file.refresh_from_db()
    visit.refresh_from_db()
    assert file.person_id == cast.person_a.pk and visit.person_id == cast.person_a.pk
