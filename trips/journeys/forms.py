"""trips.journeys: staff forms (routes, batches, quotas)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import Region
from trips.models import Batch, TripRoute

CHECKLIST_CHOICES = [
    ("健康声明", _("健康声明")),
    ("紧急联系人", _("紧急联系人")),
    ("随身药品", _("随身药品")),
    ("保险", _("保险")),
    ("身份证核验", _("身份证核验")),
    ("健康码", _("健康码")),  # asked in 2020-2022
    ("行程卡", _("行程卡")),
]
DEFAULT_CHECKLIST = ["健康声明", "紧急联系人", "随身药品", "保险", "身份证核验"]
MAX_EXTRA_ITEMS, MAX_ITEM_LENGTH = 10, 20


class RouteForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TripRoute
        fields = ["name", "destination", "days", "programme", "lodging", "cost_per_day"]
        widgets = {"programme": forms.Textarea(attrs={"rows": 6})}

    def clean_days(self) -> int:
        days = self.cleaned_data["days"]
        if not 1 <= days <= 30:
            raise forms.ValidationError(_("天数须在 1 到 30 之间。"))
        return int(days)

    def clean_cost_per_day(self) -> Any:
        cost = self.cleaned_data["cost_per_day"]
        if cost < 0:
            raise forms.ValidationError(_("费用不能为负数。"))
        return cost


class BatchForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    checklist_items = forms.MultipleChoiceField(
        label=_("出发前核查项目"),
        choices=CHECKLIST_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_items = forms.CharField(
        label=_("其他核查项目"),
        help_text=_("每行一项，例如“核酸检测报告”；最多10项，每项不超过20字。"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Batch
        fields = ["route", "name", "start_date", "end_date", "capacity", "escorts", "departure", "departure_at"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "departure_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            self.initial["checklist_items"] = list(DEFAULT_CHECKLIST)
        elif not self.is_bound:
            known = {k for k, _v in CHECKLIST_CHOICES}
            items = list(self.initial.get("checklist_items") or self.instance.checklist_items or [])
            self.initial["checklist_items"] = [i for i in items if i in known]
            self.initial["extra_items"] = "\n".join(i for i in items if i not in known)

    def clean_extra_items(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["extra_items"].splitlines() if line.strip()]
        if len(items) > MAX_EXTRA_ITEMS:
            raise forms.ValidationError(_("其他核查项目最多10项。"))
        too_long = [i for i in items if len(i) > MAX_ITEM_LENGTH]
        if too_long:
            raise forms.ValidationError(_("“%(item)s”超过20字，请写短一些。") % {"item": too_long[0]})
        return list(dict.fromkeys(items))

    def checklist(self) -> list[str]:
        """The batch's items: the ticked standard ones, then the batch's own, each once."""
        chosen = list(self.cleaned_data.get("checklist_items") or [])
        return list(dict.fromkeys(chosen + list(self.cleaned_data.get("extra_items") or [])))

    def clean_capacity(self) -> int:
        n = self.cleaned_data["capacity"]
        if not 1 <= n <= 1000:
            raise forms.ValidationError(_("名额须在 1 到 1000 之间。"))
        return int(n)


class QuotaForm(CleanTextMixin, forms.Form):
    """One field per district: the places set by hand."""

    def __init__(self, *args: Any, districts: list[Region], initial_places: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for d in districts:
            self.fields[f"d{d.pk}"] = forms.IntegerField(
                label=d.name, min_value=0, max_value=1000, initial=initial_places.get(d.pk, 0)
            )
        self.districts = districts

    def places(self) -> dict[int, int]:
        return {d.pk: int(self.cleaned_data[f"d{d.pk}"]) for d in self.districts}


class MoveForm(CleanTextMixin, forms.Form):
    source = forms.ModelChoiceField(label=_("调出区县"), queryset=Region.objects.none())
    target = forms.ModelChoiceField(label=_("调入区县"), queryset=Region.objects.none())
    places = forms.IntegerField(label=_("调剂名额"), min_value=1, max_value=1000)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = districts  # type: ignore[attr-defined]
        self.fields["target"].queryset = districts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") and data.get("source") == data.get("target"):
            raise forms.ValidationError(_("调出与调入区县不能相同。"))
        return data
