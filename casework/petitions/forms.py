"""信访: forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import DeadlineKey, PetitionCategory, PetitionChannel, PetitionKind, Satisfaction
from core.forms import CleanTextMixin
from core.idnumber import IdNumberError, parse_id_number
from core.models import Region, RegionKind, User
from core.scope import regions_visible_to


class CaseForm(CleanTextMixin, forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=PetitionChannel.choices)
    kind = forms.ChoiceField(label=_("类型"), choices=PetitionKind.choices, initial=PetitionKind.APPEAL, required=False)
    category = forms.ModelChoiceField(label=_("分类"), queryset=PetitionCategory.objects.none(), required=False)
    person = forms.CharField(
        label=_("人员库中的劳模工匠（选填）"),
        help_text=_("信访人是劳模工匠时填写其人员编号或姓名；姓名、手机号未填时取人员库中的。"),
        required=False,
        max_length=40,
    )
    name = forms.CharField(label=_("信访人"), max_length=50, required=False)
    mobile = forms.RegexField(label=_("手机号"), regex=r"^1\d{10}$", required=False, max_length=11)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=18)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none())
    received_on = forms.DateField(label=_("登记日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    matter = forms.CharField(label=_("信访事项"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = regions_visible_to(user).filter(kind=RegionKind.DISTRICT)  # type: ignore[attr-defined]
        self.fields["category"].queryset = PetitionCategory.objects.filter(active=True)  # type: ignore[attr-defined]

    def clean_id_number(self) -> str:
        value = (self.cleaned_data.get("id_number") or "").strip()
        if not value:
            return ""
        try:
            return parse_id_number(value).number
        except IdNumberError as exc:
            raise forms.ValidationError(_("身份证号不正确。")) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and not (data.get("person") or "").strip():
            self.add_error("name", _("请填写信访人，或选择人员库中的劳模工匠。"))
        return data


class CloseForm(CleanTextMixin, forms.Form):
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=[("", "—"), *Satisfaction.choices], required=False)


class ExtendForm(CleanTextMixin, forms.Form):
    days = forms.IntegerField(label=_("延期天数"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("延期理由"), max_length=200)


class DecideExtensionForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(label=_("审批"), choices=[("approve", _("批准")), ("refuse", _("不予批准"))])
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class ReviewForm(CleanTextMixin, forms.Form):
    requested_on = forms.DateField(label=_("申请日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    matter = forms.CharField(
        label=_("申请理由"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(CleanTextMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none())
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("转办理由"), max_length=200)

    def __init__(self, *args: Any, user: Any, handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = regions_visible_to(user).filter(kind=RegionKind.DISTRICT)  # type: ignore[attr-defined]
        self.fields["handler"].queryset = handlers  # type: ignore[attr-defined]
        self.fields["handler"].label_from_instance = lambda u: u.display_name or u.username  # type: ignore[attr-defined]


class RuleForm(CleanTextMixin, forms.Form):
    key = forms.ChoiceField(label=_("期限"), choices=DeadlineKey.choices)
    days = forms.IntegerField(label=_("天数"), min_value=1, max_value=365)
    working_days = forms.BooleanField(label=_("按工作日计算"), required=False, initial=True)


class CategoryForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("分类名称"), max_length=30)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0)


class FiguresForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]


# ---------------------------------------------------------------- material (petphone)

MATERIAL_ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp,.pdf,application/pdf"


class MaterialForm(CleanTextMixin, forms.Form):
    """The petitioner's 补充材料 on the phone page, and staff's attachment on the case page."""

    note = forms.CharField(
        label=_("补充说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("补充说明不能超过2000字")},
    )
    file = forms.FileField(
        label=_("照片或PDF文件（可不选）"),
        required=False,
        help_text=_("一次一张照片或一个PDF，不超过10MB；可以多次添加"),
        widget=forms.ClearableFileInput(attrs={"accept": MATERIAL_ACCEPT}),
    )
