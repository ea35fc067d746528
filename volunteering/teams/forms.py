from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import Region, RegionKind
from core.scope import regions_visible_to
from people.models import Person
from volunteering.models import Specialty, Team


class PersonChoiceField(forms.IntegerField):
    """A registry person by number (the page offers a search box that fills it)."""

    #: The people the user may pick (their scope); set by the form from its ``user``.
    people: Any = None

    def clean(self, value: Any) -> Person | None:  # type: ignore[override]
        pk = super().clean(value)
        if pk is None:
            return None
        people = self.people if self.people is not None else Person.objects.all()
        person = people.active().filter(pk=pk).first()
        if person is None:
            raise forms.ValidationError(_("找不到编号为 %(pk)s 的人员") % {"pk": pk})
        return person


class TeamForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("队名"), max_length=80)
    specialty = forms.ModelChoiceField(label=_("专业"), queryset=Specialty.objects.filter(active=True))
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none())
    leader = PersonChoiceField(label=_("队长（人员编号）"), required=False, help_text=_("须已开通登录账号"))
    founded = forms.DateField(label=_("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = regions_visible_to(user).filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE])
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        if user is not None:
            self.fields["leader"].people = Person.objects.visible_to(user)  # type: ignore[attr-defined]
        if editing:
            del self.fields["district"]
            self.fields["active"] = forms.BooleanField(label=_("在册（取消勾选即停用本队）"), required=False)


class MemberForm(CleanTextMixin, forms.Form):
    person = PersonChoiceField(label=_("人员编号"))
    joined = forms.DateField(label=_("入队日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["person"].people = Person.objects.visible_to(user)  # type: ignore[attr-defined]


class LeaveForm(CleanTextMixin, forms.Form):
    left = forms.DateField(label=_("离队日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ActivityForm(CleanTextMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ModelChoiceField(label=_("地点（镇街/社区）"), queryset=Region.objects.none())
    place = forms.CharField(label=_("具体地点"), max_length=120, required=False)
    work_done = forms.CharField(label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 3}))
    people_served = forms.IntegerField(label=_("服务人数"), min_value=0, max_value=1_000_000, initial=0)
    enterprises_helped = forms.IntegerField(label=_("帮助企业数"), min_value=0, max_value=100_000, initial=0)
    problems_solved = forms.IntegerField(label=_("解决问题数"), min_value=0, max_value=100_000, initial=0)
    machines_repaired = forms.IntegerField(label=_("修复设备数"), min_value=0, max_value=100_000, initial=0)
    photos = forms.ImageField(label=_("照片"), required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            path__startswith=team.district.path, active=True
        )
        self.fields["region"].initial = team.district_id


class LeaderActivityForm(ActivityForm):
    """Staff/leader: hours per member as ``person_id=hours`` lines built from the roster."""

    def __init__(self, *args: Any, team: Team, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, team=team, **kwargs)
        for m in members:
            self.fields[f"h_{m.person_id}"] = forms.DecimalField(
                label=m.person.name, required=False, min_value=0, max_value=24, decimal_places=1
            )

    def hours(self) -> dict[int, Any]:
        return {int(k[2:]): v for k, v in self.cleaned_data.items() if k.startswith("h_") and v is not None and v > 0}


class ReportForm(ActivityForm):
    """A member's own report from the phone."""

    team = forms.ModelChoiceField(label=_("服务队"), queryset=Team.objects.none())
    hours = forms.DecimalField(label=_("本人服务时长（小时）"), min_value=0.5, max_value=24, decimal_places=1)
    field_order = ["team", "date", "region", "place", "work_done", "hours"]

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        first = teams.first()
        if first is None:
            raise ValueError("no team")
        super().__init__(*args, team=first, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            kind__in=[RegionKind.DISTRICT, RegionKind.ZONE, RegionKind.STREET, RegionKind.COMMUNITY], active=True
        )
        for name in ("people_served", "enterprises_helped", "problems_solved", "machines_repaired"):
            self.fields[name].required = False


class RejectForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200)


class YearForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    team = forms.IntegerField(required=False, widget=forms.HiddenInput)
