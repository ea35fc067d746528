from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.forms import CleanTextMixin
from core.idnumber import IdNumberError, parse_id_number
from payments.models import (
    DEFAULT_STATUSES,
    DEFAULT_TITLE_KINDS,
    LEVEL_AMOUNT_FIELDS,
    BankLayout,
    BenefitKind,
    CorrectionKind,
    ExclusionReason,
    PayoutResult,
    RuleSet,
    RuleVersion,
)
from payments.services import BANK_FIELDS
from people.models import HonourTitle, Level, Person, PersonStatus, TitleKind


class BenefitKindForm(CleanTextMixin, forms.Form):
    code = forms.SlugField(label=_("编码"), max_length=40, help_text=_("英文字母、数字、下划线，如 spring_festival"))
    name = forms.CharField(label=_("名称"), max_length=60)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


def _money(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0"), max_digits=12, decimal_places=2, initial=Decimal("0")
    )


class RuleForm(CleanTextMixin, forms.Form):
    """The content of one rule version."""

    amount_national = _money(_("全国级（元/人）"))
    amount_provincial = _money(_("省部级（元/人）"))
    amount_city = _money(_("市级（元/人）"))
    amount_district = _money(_("区县级（元/人）"))
    statuses = forms.MultipleChoiceField(
        label=_("符合条件的人员状态"),
        choices=PersonStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_STATUSES,
        help_text=_("去世、迁出人员默认不发"),
    )
    title_kinds = forms.MultipleChoiceField(
        label=_("计入待遇级别的荣誉类别"),
        choices=TitleKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_TITLE_KINDS,
    )
    hardship_topup = _money(_("困难劳模加发（元）"))
    age_threshold = forms.IntegerField(label=_("高龄线（周岁）"), min_value=50, max_value=120, required=False)
    age_topup = _money(_("高龄加发（元）"))
    excluded_titles = forms.ModelMultipleChoiceField(
        label=_("排除持有以下称号的人员"),
        queryset=HonourTitle.objects.filter(for_collectives=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    excluded_id_numbers = forms.CharField(
        label=_("排除的人员（身份证号，每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如已从其他渠道领取的人员"),
    )
    allow_repeat = forms.BooleanField(
        label=_("允许同一年度重复发放"),
        required=False,
        help_text=_("不勾选时，同一类别同一年度已在其他批次批准或发放的人员不再生成名单"),
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    def clean_excluded_id_numbers(self) -> list[int]:
        ids: list[int] = []
        for raw in self.cleaned_data["excluded_id_numbers"].split():
            try:
                number = parse_id_number(raw).number
            except IdNumberError as exc:
                raise forms.ValidationError(
                    gettext("“%(raw)s”：%(problem)s") % {"raw": raw, "problem": exc.problem()}
                ) from exc
            person = Person.objects.filter(id_number_hash=crypto.keyed_hash(number)).first()
            if person is None:
                raise forms.ValidationError(
                    gettext("人员库中没有身份证号为 %(masked)s 的人员") % {"masked": f"{raw[:4]}…{raw[-4:]}"}
                )
            ids.append(person.pk)
        return ids

    def rules(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            **{f: d[f] for f in LEVEL_AMOUNT_FIELDS.values()},
            "statuses": d["statuses"],
            "title_kinds": d["title_kinds"],
            "hardship_topup": d["hardship_topup"],
            "age_threshold": d["age_threshold"],
            "age_topup": d["age_topup"],
            "excluded_title_ids": [t.pk for t in d["excluded_titles"]],
            "excluded_person_ids": d["excluded_id_numbers"],
            "allow_repeat": d["allow_repeat"],
        }

    @classmethod
    def initial_from(cls, version: RuleVersion) -> dict[str, Any]:
        return {
            **{f: getattr(version, f) for f in LEVEL_AMOUNT_FIELDS.values()},
            "statuses": version.statuses,
            "title_kinds": version.title_kinds,
            "hardship_topup": version.hardship_topup,
            "age_threshold": version.age_threshold,
            "age_topup": version.age_topup,
            "excluded_titles": HonourTitle.objects.filter(pk__in=version.excluded_title_ids),
            # Full ID numbers are not put back on the page; the kept exclusions are listed instead.
            "excluded_id_numbers": "",
            "allow_repeat": version.allow_repeat,
        }


class RuleSetCreateForm(RuleForm):
    kind = forms.ModelChoiceField(label=_("慰问类别"), queryset=BenefitKind.objects.filter(active=True))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("规则名称"), max_length=100, required=False, help_text=_("留空则自动命名"))

    field_order = ["kind", "year", "name"]


class BankLayoutForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    bank_name = forms.CharField(label=_("代发银行"), max_length=60, required=False)
    sheet_title = forms.CharField(label=_("工作表名"), max_length=31, initial="代发明细")
    is_default = forms.BooleanField(label=_("设为默认"), required=False)

    def __init__(self, *args: Any, layout: BankLayout | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = {c["field"]: (i + 1, c["header"]) for i, c in enumerate(layout.columns)} if layout else {}
        self.column_rows = []
        for code, label in BANK_FIELDS.items():
            order, header = existing.get(code, (None, label))
            self.fields[f"use_{code}"] = forms.BooleanField(label=label, required=False, initial=order is not None)
            self.fields[f"order_{code}"] = forms.IntegerField(
                label=_("顺序"), min_value=1, max_value=50, required=False, initial=order
            )
            self.fields[f"header_{code}"] = forms.CharField(
                label=_("列标题"), max_length=30, initial=header, required=False
            )
            self.column_rows.append((code, label))

    def main_fields(self) -> list[Any]:
        return [self[n] for n in ("name", "bank_name", "sheet_title", "is_default")]

    def column_fields(self) -> list[tuple[str, Any, Any, Any]]:
        return [(label, self[f"use_{c}"], self[f"order_{c}"], self[f"header_{c}"]) for c, label in self.column_rows]

    def columns(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        chosen = [
            (d.get(f"order_{c}") or 99, i, c, d.get(f"header_{c}") or label)
            for i, (c, label) in enumerate(self.column_rows)
            if d.get(f"use_{c}")
        ]
        return [{"field": c, "header": h} for _o, _i, c, h in sorted(chosen)]


class RoundCreateForm(CleanTextMixin, forms.Form):
    rule_set = forms.ModelChoiceField(
        label=_("发放规则"), queryset=RuleSet.objects.select_related("kind").filter(kind__active=True)
    )
    title = forms.CharField(label=_("批次名称"), max_length=100, required=False, help_text=_("留空则自动命名"))
    reference_date = forms.DateField(
        label=_("基准日期"),
        # <input type=date> takes YYYY-MM-DD only, whatever the locale's display format.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("按此日期计算年龄"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference_date"].initial = timezone.localdate()


class ExcludeForm(CleanTextMixin, forms.Form):
    reason = forms.ChoiceField(label=_("剔除原因"), choices=ExclusionReason.choices)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class NoteForm(CleanTextMixin, forms.Form):
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class ResultForm(CleanTextMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("发放结果"), choices=[c for c in PayoutResult.choices if c[0] != PayoutResult.PENDING]
    )
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class CorrectionForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("更正类型"), choices=CorrectionKind.choices)
    new_amount = forms.DecimalField(
        label=_("更正后金额/补录金额（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )
    id_number = forms.CharField(label=_("补录人员身份证号"), max_length=30, required=False)
    reason = forms.CharField(label=_("更正原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["person"] = None
        if data.get("kind") == CorrectionKind.ADD:
            raw = data.get("id_number") or ""
            try:
                number = parse_id_number(raw).number
            except IdNumberError as exc:
                raise forms.ValidationError({"id_number": exc.problem()}) from exc
            data["person"] = Person.objects.active().filter(id_number_hash=crypto.keyed_hash(number)).first()
            if data["person"] is None:
                raise forms.ValidationError({"id_number": gettext("人员库中没有该身份证号的人员，请先登记")})
        return data


class DecisionForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("驳回"))])
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class ImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("银行回盘文件"), help_text=_("支持 .xlsx、.xls、.csv；须有“业务编号”和“状态”两列"))


class PayoutFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("姓名"), required=False)
    district = forms.TypedChoiceField(label=_("区县(市)"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("级别"), required=False, choices=[("", _("全部")), *Level.choices])
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部")),
            ("included", _("在册")),
            ("excluded", _("已剔除")),
            ("first_time", _("首次领取")),
            *[(c, label) for c, label in PayoutResult.choices],
        ],
    )

    def __init__(self, *args: Any, districts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("全部")), *[(d.pk, d.name) for d in districts]]  # type: ignore[attr-defined]


def today() -> dt.date:
    return timezone.localdate()
