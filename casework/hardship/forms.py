"""Forms of the hardship part. Amounts are text here: the service parses them to the fen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.hardship import (
    STEP_ORDER,
    CloseReason,
    FileStatus,
    HardshipTerm,
    HelpKind,
    HelpStatus,
    Occasion,
    Step,
    TermKind,
)
from core.forms import CleanTextMixin
from core.models import Region, Role, User

DATE = forms.DateInput(attrs={"type": "date"})


ALL = _("全部")


def _blank(choices: Any, label: Any = ALL) -> list[tuple[str, Any]]:
    return [("", label), *list(choices)]


class FileSearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("姓名/编号"), required=False, max_length=40)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)
    category = forms.ModelChoiceField(
        label=_("困难类别"), queryset=HardshipTerm.objects.filter(kind=TermKind.CATEGORY), required=False
    )
    step = forms.ChoiceField(label=_("环节"), choices=_blank(Step.choices), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=_blank(FileStatus.choices), required=False)
    flagged = forms.BooleanField(label=_("待销档"), required=False)

    def __init__(self, *args: Any, districts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]

    def params(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q"),
            "district": d["district"].pk if d.get("district") else None,
            "category": d["category"].pk if d.get("category") else None,
            "step": d.get("step"),
            "status": d.get("status"),
            "flagged": d.get("flagged"),
        }


class PersonField(forms.CharField):
    """A registry person by number or by (unique) name; resolved by the view within the user's scope."""


class OpenFileForm(CleanTextMixin, forms.Form):
    person = PersonField(label=_("劳模（姓名或人员编号）"), max_length=40)
    category = forms.ModelChoiceField(
        label=_("困难类别"), queryset=HardshipTerm.objects.filter(kind=TermKind.CATEGORY, active=True)
    )
    causes = forms.ModelMultipleChoiceField(
        label=_("致困原因"),
        queryset=HardshipTerm.objects.filter(kind=TermKind.CAUSE, active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    applied_on = forms.DateField(label=_("申请日期"), widget=DATE, initial=timezone.localdate)
    summary = forms.CharField(label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    note = forms.CharField(label=_("申请意见"), max_length=500, required=False)


class AdvanceForm(CleanTextMixin, forms.Form):
    to_step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
    publicity_start = forms.DateField(label=_("公示开始"), widget=DATE, required=False)
    publicity_end = forms.DateField(label=_("公示结束"), widget=DATE, required=False)


class SendBackForm(CleanTextMixin, forms.Form):
    from_step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput, required=False)
    to_step = forms.ChoiceField(label=_("退回至"), choices=Step.choices)
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args: Any, current: str = Step.APPLY, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        idx = STEP_ORDER.index(current) if current in STEP_ORDER else 0
        self.fields["to_step"].choices = [(s, Step(s).label) for s in STEP_ORDER[:idx]]  # type: ignore[attr-defined]


class UploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("文件"))


class PhotoForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})
    )


class DetailsForm(CleanTextMixin, forms.Form):
    health_note = forms.CharField(label=_("健康状况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    finance_note = forms.CharField(label=_("经济状况说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MemberForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    relation = forms.CharField(label=_("关系"), max_length=20)
    age = forms.IntegerField(label=_("年龄"), min_value=0, max_value=130)
    health = forms.CharField(label=_("健康状况"), max_length=100, required=False)
    monthly_income = forms.CharField(label=_("月收入(元)"), max_length=20, initial="0")


class ObjectionForm(CleanTextMixin, forms.Form):
    received_on = forms.DateField(label=_("收到日期"), widget=DATE, initial=timezone.localdate)
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class ResolveForm(CleanTextMixin, forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.CharField(label=_("处理结果"), max_length=1000)


class HelpForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("帮扶类型"), choices=HelpKind.choices)
    amount = forms.CharField(label=_("金额(元)"), max_length=20)
    given_on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    source = forms.CharField(label=_("资金来源"), max_length=60, required=False)
    giver = forms.CharField(label=_("帮扶人/单位"), max_length=60, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class DecideForm(CleanTextMixin, forms.Form):
    help = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("意见"), max_length=100, required=False)


class RecheckForm(CleanTextMixin, forms.Form):
    recheck = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.TypedChoiceField(
        label=_("复核结论"),
        choices=[("1", _("继续帮扶")), ("0", _("建议销档"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("复核意见"), max_length=200)


class CloseForm(CleanTextMixin, forms.Form):
    reason = forms.ChoiceField(label=_("销档原因"), choices=_blank(CloseReason.choices, _("请选择")))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class HelpSearchForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("帮扶类型"), choices=_blank(HelpKind.choices), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=_blank(HelpStatus.choices), required=False)

    def __init__(self, *args: Any, districts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]

    def params(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "year": d.get("year"),
            "district": d["district"].pk if d.get("district") else None,
            "kind": d.get("kind"),
            "status": d.get("status"),
        }


class VisitSearchForm(HelpSearchForm):
    q = forms.CharField(label=_("姓名"), required=False, max_length=40)
    occasion = forms.ChoiceField(label=_("走访事由"), choices=_blank(Occasion.choices), required=False)
    kind = None  # type: ignore[assignment]
    status = None  # type: ignore[assignment]

    def params(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q"),
            "year": d.get("year"),
            "district": d["district"].pk if d.get("district") else None,
            "occasion": d.get("occasion"),
        }


def staff_users() -> Any:
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=[Role.CITY_STAFF, Role.DISTRICT_STAFF])
        .distinct()
        .order_by("username")
    )


class VisitForm(CleanTextMixin, forms.Form):
    person = PersonField(label=_("走访对象（姓名或人员编号）"), max_length=40)
    occasion = forms.ChoiceField(label=_("走访事由"), choices=Occasion.choices)
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE, initial=timezone.localdate)
    staff = forms.ModelMultipleChoiceField(
        label=_("走访人员"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    companions = forms.CharField(label=_("同行劳模（姓名，逗号分隔）"), max_length=200, required=False)
    cash = forms.CharField(label=_("慰问金(元)"), max_length=20, required=False)
    goods = forms.CharField(label=_("慰问品"), max_length=100, required=False)
    goods_value = forms.CharField(label=_("慰问品价值(元)"), max_length=20, required=False)
    notes = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_users()  # type: ignore[attr-defined]


class PlanForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=80)
    district = forms.ModelChoiceField(
        label=_("区县(市)"), queryset=Region.objects.none(), required=False, empty_label=_("全市")
    )
    occasion = forms.ChoiceField(label=_("走访事由"), choices=Occasion.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, initial=timezone.localdate)
    due = forms.DateField(label=_("完成期限"), widget=DATE)
    all_hardship = forms.BooleanField(label=_("纳入全部在档困难劳模"), required=False, initial=True)
    people = forms.CharField(label=_("另加走访对象（姓名，逗号分隔）"), max_length=500, required=False)

    def __init__(self, *args: Any, districts: Any = None, whole_city: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        if not whole_city:
            self.fields["district"].required = True


class TermForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("种类"), choices=TermKind.choices)
    name = forms.CharField(label=_("名称"), max_length=40)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0)


class PovertyLineForm(CleanTextMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    monthly = forms.CharField(label=_("低保标准(元/人·月)"), max_length=20)

    def __init__(self, *args: Any, districts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]


class ConfigForm(CleanTextMixin, forms.Form):
    cash_approval_above = forms.CharField(label=_("现金帮扶超过此金额需另一人复核(元)"), max_length=20)


class FiguresForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args: Any, districts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]
