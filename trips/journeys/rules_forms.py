"""trips.journeys (triprules): forms of the rules table, the traveller file, costs, incidents, feedback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from people.models import Level
from trips.models import CostItem, TripRules, TripStatus


class RulesForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    levels = forms.MultipleChoiceField(
        label=_("可参加的荣誉级别"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("都不选：不限级别。"),
    )
    statuses = forms.MultipleChoiceField(
        label=_("可参加的人员状态"), choices=TripStatus.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = TripRules
        fields = [
            "year",
            "levels",
            "statuses",
            "min_age",
            "max_age",
            "gap_years",
            "health",
            "twice_a_year",
            "cap_per_day",
            "cap_per_year",
            "note",
        ]
        help_texts = {
            "year": _("留空：默认规则（没有本年度规则时使用）。"),
            "gap_years": _("1：今年已参加的不列入；3：近三年（含今年）参加过的不列入；0：不限。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        for name in ("min_age", "max_age"):
            self.fields[name].widget.attrs.update(min=0, max=120)
        self.fields["gap_years"].widget.attrs.update(min=0, max=20)

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError(_("年度须在 2000 到 2100 之间。"))
        return year

    def clean_gap_years(self) -> int:
        n = self.cleaned_data["gap_years"]
        if n > 20:
            raise forms.ValidationError(_("年数须在 0 到 20 之间。"))
        return int(n)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("min_age", "max_age"):
            v = data.get(name)
            if v is not None and v > 120:
                self.add_error(name, _("年龄须在 0 到 120 之间。"))
        lo, hi = data.get("min_age"), data.get("max_age")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("min_age", _("最低年龄不能大于最高年龄。"))
        for name in ("cap_per_day", "cap_per_year"):
            v = data.get(name)
            if v is not None and v < 0:
                self.add_error(name, _("费用不能为负数。"))
        return data


class TravellerFileForm(CleanTextMixin, forms.Form):
    front_line = forms.BooleanField(label=_("一线职工"), required=False)
    health_restricted = forms.BooleanField(label=_("有健康限制"), required=False)
    health_note = forms.CharField(label=_("健康限制说明"), max_length=200, required=False)


class CostForm(CleanTextMixin, forms.Form):
    item = forms.ChoiceField(label=_("费用项目"), choices=CostItem.choices)
    amount = forms.DecimalField(label=_("金额(元)"), min_value=0, max_value=9_999_999, decimal_places=2, max_digits=12)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class IncidentForm(CleanTextMixin, forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("发生时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    nomination = forms.TypedChoiceField(label=_("涉及人员"), required=False, coerce=int, empty_value=None)
    what = forms.CharField(label=_("事件经过"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    action = forms.CharField(
        label=_("处置情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, travellers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [("", _("（全体/不涉及个人）")), *travellers]  # type: ignore[attr-defined]


class FeedbackForm(CleanTextMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        choices=[(5, "★★★★★ 5"), (4, "★★★★ 4"), (3, "★★★ 3"), (2, "★★ 2"), (1, "★ 1")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见建议"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
