from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import Region, RegionKind
from people.models import PersonStatus

from .importer import COLUMNS, IGNORE
from .models import Campaign, RecordState


class CampaignForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("普查年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=100, required=False)
    districts = forms.ModelMultipleChoiceField(
        label=_("普查区县"),
        queryset=Region.objects.filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE]).order_by("sort", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示全市"),
    )
    deadline = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class UploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("选择文件"), help_text=_("支持 .xlsx、.xls、.csv，最大 50 MB"))
    campaign = forms.ModelChoiceField(
        label=_("计入普查"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("不计入普查（直接更新人员库）"),
    )

    def __init__(self, *args: Any, campaigns: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns.filter(status=Campaign.Status.OPEN)  # type: ignore[attr-defined]


class RecordFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("姓名/手机号/身份证后4位"), required=False)
    state = forms.ChoiceField(
        label=_("普查状态"),
        required=False,
        choices=[("", _("全部")), ("missing", _("未完成（未联系+无法联系）")), *RecordState.choices],
    )
    district = forms.IntegerField(required=False, widget=forms.HiddenInput)
    street = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ProposalForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)
    landline = forms.CharField(label=_("固定电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    post = forms.CharField(label=_("职务/岗位"), max_length=60, required=False)
    political_status = forms.CharField(label=_("政治面貌"), max_length=20, required=False)
    education = forms.CharField(label=_("学历"), max_length=20, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=PersonStatus.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class SelfProposalForm(ProposalForm):
    """What a person corrects on the phone: contacts, work and status (not their name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["name"]
        note = self.fields.pop("note")
        note.label = _("想对工作人员说的话（选填）")
        note.help_text = _("表中没有的情况（如荣誉称号漏登）可以写在这里，工作人员审核时会看到")
        note.widget = forms.Textarea(attrs={"rows": 3, "maxlength": 300})
        self.fields["note"] = note  # last, below the fields it comments on
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (PersonStatus.WORKING, _("在职")),
            (PersonStatus.RETIRED, _("退休")),
        ]


class ColumnMappingForm(CleanTextMixin, forms.Form):
    """One choice per column the importer did not know: a field of the import, or ignore it.
    Fields the file already has are not offered."""

    def __init__(self, *args: Any, unmapped: list[dict[str, Any]], present: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择")), ("ignore", _("忽略此列（不导入）"))] + [
            (key, label) for key, (label, _variants) in COLUMNS.items() if key not in present
        ]
        self.keys: dict[str, str] = {}
        self.ignore = IGNORE
        for i, column in enumerate(unmapped):
            name = f"col{i}"
            self.keys[name] = column["key"]
            self.fields[name] = forms.ChoiceField(label=column["header"], choices=choices)

    def choices(self) -> dict[str, str]:
        """header_key → field key (or IGNORE)."""
        return {
            key: self.ignore if self.cleaned_data[name] == "ignore" else self.cleaned_data[name]
            for name, key in self.keys.items()
        }
