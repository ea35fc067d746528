from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import Region, RegionKind
from core.scope import regions_visible_to
from volunteering.models import Incident, IncidentKind, Specialty, Team, Urgency


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
    contact_name = forms.CharField(label=_("现场联系人"), max_length=40, required=False)
    contact_mobile = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_visible_to(user).filter(  # type: ignore[attr-defined]
            kind__in=["district", "zone", "street", "community", "grid"], active=True
        )


class RequesterNeedForm(NeedForm):
    """A requester's need on the phone: which open incident, where (district or street), what is
    needed and how urgently, and whom to call there."""

    incident = forms.ModelChoiceField(label=_("应急事件"), queryset=Incident.objects.none(), empty_label=None)
    field_order = ["incident", "region", "place", "enterprise", "contact_name", "contact_mobile", "specialty"]

    def __init__(self, *args: Any, incidents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            kind__in=[RegionKind.DISTRICT, RegionKind.ZONE, RegionKind.STREET], active=True
        ).order_by("path")
        self.fields["region"].label = _("所在区县或镇街")
        self.fields["place"].label = _("地点或单位名称")
        self.fields["enterprise"].label = _("企业名称（可不填）")
        self.fields["specialty"].label = _("需要哪类人员")
        self.fields["specialty"].empty_label = _("不需要人员")  # type: ignore[attr-defined]
        self.fields["people_needed"].label = _("需要几人")
        self.fields["equipment"].label = _("需要的物资（如水泵、发电机）")
        self.fields["equipment_count"].label = _("物资数量")
        self.fields["contact_name"].required = True
        self.fields["contact_mobile"].required = True
        for name in ("people_needed", "equipment_count"):
            self.fields[name].required = False
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("people_needed", "equipment_count"):
            data[name] = data.get(name) or 0
        return data


class IncidentForm(CleanTextMixin, forms.Form):
    """Open an incident: the affected districts each get a district command area; the city area is
    added by the service."""

    title = forms.CharField(label=_("事件名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=IncidentKind.choices)
    started = forms.DateTimeField(
        label=_("开始时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("受影响的区县(市)"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("每个区县由本区县指挥；市级统筹自动加入"),
    )
    description = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = (  # type: ignore[attr-defined]
            regions_visible_to(user)
            .filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE], active=True)
            .order_by("path")
        )


class AssignTeamForm(CleanTextMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("服务队"), queryset=Team.objects.none())

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
