"""trips.checkups: forms (every one carries CleanTextMixin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import Region
from people.models import PersonStatus
from trips.models.checkups import (
    BookingStatus,
    CheckupCampaign,
    CheckupPackage,
    CheckupSlot,
    Hospital,
    ResultFlag,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CampaignForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = CheckupCampaign
        fields = ["year", "title", "starts", "ends", "notes"]
        widgets = {"starts": DATE, "ends": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self) -> None:  # the service says it in words
        pass

    def clean(self) -> dict[str, Any]:
        # said beside the field here, before the model's check constraint speaks in its own words
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("结束日期不能早于开始日期"))
        return data


class HospitalForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Hospital
        fields = ["name", "address", "phone", "notes", "active"]

    def validate_unique(self) -> None:
        pass


class PackageForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = CheckupPackage
        fields = ["name", "sex", "age_min", "age_max", "items", "active"]
        widgets = {"items": forms.Textarea(attrs={"rows": 5})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("age_min") is not None and data.get("age_max") is not None and data["age_max"] < data["age_min"]:
            self.add_error("age_max", _("最大年龄不能小于最小年龄"))
        return data


class SlotForm(CleanTextMixin, forms.Form):
    hospital = forms.ModelChoiceField(label=_("医院"), queryset=Hospital.objects.filter(active=True))
    date = forms.DateField(label=_("日期"), widget=DATE)
    start = forms.TimeField(label=_("开始时间"), widget=TIME)
    end = forms.TimeField(label=_("结束时间"), widget=TIME)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=10000)

    def __init__(self, *args: Any, slot: CheckupSlot | None = None, **kwargs: Any) -> None:
        if slot is not None:
            kwargs.setdefault(
                "initial",
                {"hospital": slot.hospital_id, "date": slot.date, "start": slot.start, "end": slot.end}
                | {"capacity": slot.capacity},
            )
        super().__init__(*args, **kwargs)
        if slot is not None:  # a slot at a hospital since stopped keeps it on offer
            field = self.fields["hospital"]
            field.queryset = Hospital.objects.filter(Q(active=True) | Q(pk=slot.hospital_id))  # type: ignore[attr-defined]


class SlotCapacityForm(CleanTextMixin, forms.Form):
    """A slot people have booked: only the number of places may change."""

    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=10000)


class RuleForm(CleanTextMixin, forms.Form):
    interval_years = forms.IntegerField(label=_("间隔(年)"), min_value=1, max_value=10)
    active = forms.BooleanField(label=_("启用"), required=False)


class SlotChoiceForm(CleanTextMixin, forms.Form):
    slot = forms.ModelChoiceField(
        label=_("体检时段"), queryset=CheckupSlot.objects.none(), empty_label=_("请选择"), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, slots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        field.queryset = slots  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: (  # type: ignore[attr-defined]
            f"{s.date.year}年{s.date.month}月{s.date.day}日 {s.start:%H:%M}-{s.end:%H:%M} {s.hospital.name}（"
            + str(_("余 %(n)s 个")) % {"n": s.free}
            + "）"
        )


class ResultForm(CleanTextMixin, forms.Form):
    result = forms.ChoiceField(label=_("结果"), choices=[c for c in ResultFlag.choices if c[0]])


class ReportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("体检报告（PDF 或图片）"))


def district_field(districts: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("区县(市)"), queryset=districts, required=False, empty_label=_("全部"))


class DueFilterForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), (PersonStatus.WORKING, _("在职")), (PersonStatus.RETIRED, _("退休"))],
    )
    unbooked = forms.BooleanField(label=_("只看未预约"), required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = district_field(districts)


class BookingFilterForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)
    date = forms.DateField(label=_("体检日期"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *BookingStatus.choices])
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部")), *[c for c in ResultFlag.choices if c[0]]]
    )

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = district_field(districts)


class CoverageFilterForm(CleanTextMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = district_field(districts)
