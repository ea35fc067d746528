from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import Region
from core.scope import regions_visible_to
from volunteering.models import Specialty, Urgency


class NeedForm(CleanTextMixin, forms.Form):
    region = forms.ModelChoiceField(label=_("所在区域"), queryset=Region.objects.none())
    place = forms.CharField(label=_("地点/企业"), max_length=120)
    enterprise = forms.CharField(label=_("企业名称"), max_length=120, required=False)
    specialty = forms.ModelChoiceField(
        label=_("所需专业"), queryset=Specialty.objects.filter(active=True), required=False
    )
    people_needed = forms.IntegerField(label=_("所需人数"), min_value=0, max_value=10000, initial=0)
    equipment = forms.CharField(label=_("所需物资"), max_length=60, required=False)
    equipment_count = forms.IntegerField(label=_("物资数量"), min_value=0, max_value=100000, initial=0)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    description = forms.CharField(label=_("情况描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_visible_to(user).filter(  # type: ignore[attr-defined]
            kind__in=["district", "zone", "street", "community", "grid"], active=True
        )
