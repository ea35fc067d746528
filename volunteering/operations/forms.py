"""Operations forms: the equipment ledger item."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import Region, RegionKind
from core.scope import regions_visible_to

KINDS = [("pump", _("水泵")), ("generator", _("发电机")), ("tool", _("工具")), ("other", _("其他"))]


class EquipmentForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("物资名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=KINDS)
    owner = forms.CharField(label=_("所属单位"), max_length=80)
    place = forms.CharField(label=_("存放地点"), max_length=120)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none())
    count_held = forms.IntegerField(label=_("持有数量"), min_value=0, max_value=100000)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["district"]
        field.queryset = regions_visible_to(user).filter(kind=RegionKind.DISTRICT).order_by("code")
