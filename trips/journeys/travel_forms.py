"""trips.journeys, travel lists: forms (companions, diets and emergency contacts, proposals, swaps)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from trips.journeys.travel import DEFAULT_BUS_SEATS
from trips.models import CompanionRelation


class CompanionForm(CleanTextMixin, forms.Form):
    """Every field is required (the insurer needs the ID number, the escort the mobile); the
    service checks the ID number and the amount and says what is wrong."""

    name = forms.CharField(label=_("家属姓名"), max_length=40, error_messages={"required": _("请填写家属姓名")})
    relation = forms.ChoiceField(
        label=_("与劳模关系"),
        choices=[("", _("请选择")), *CompanionRelation.choices],
        error_messages={"required": _("请选择与劳模的关系"), "invalid_choice": _("请选择与劳模的关系")},
    )
    id_number = forms.CharField(
        label=_("家属身份证号"),
        max_length=30,
        help_text=_("用于办理旅游保险，只显示前4位和后4位"),
        error_messages={"required": _("请填写家属身份证号（办理保险用）")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    mobile = forms.CharField(
        label=_("家属手机号"),
        max_length=20,
        error_messages={"required": _("请填写家属手机号")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    paid = forms.CharField(
        label=_("自费金额（元）"),
        max_length=12,
        help_text=_("已交给工会的费用，精确到分；未收费请填 0"),
        error_messages={"required": _("请填写自费金额，未收费请填 0")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class DetailsForm(CleanTextMixin, forms.Form):
    diet = forms.CharField(label=_("饮食要求"), max_length=100, required=False)
    emergency_name = forms.CharField(label=_("紧急联系人"), max_length=40, required=False)
    emergency_relation = forms.CharField(label=_("与本人关系"), max_length=20, required=False)
    emergency_mobile = forms.CharField(label=_("紧急联系电话"), max_length=20, required=False)


class ProposeForm(CleanTextMixin, forms.Form):
    bus_capacity = forms.IntegerField(label=_("每车座位数"), min_value=2, max_value=80, initial=DEFAULT_BUS_SEATS)


class SwapForm(CleanTextMixin, forms.Form):
    first = forms.TypedChoiceField(label=_("人员一"), coerce=int)
    second = forms.TypedChoiceField(label=_("人员二"), coerce=int)
    what = forms.ChoiceField(label=_("交换"), choices=[("room", _("房间")), ("seat", _("座位"))])

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = people  # type: ignore[attr-defined]
        self.fields["second"].choices = people  # type: ignore[attr-defined]
