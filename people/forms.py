"""Forms of the registry pages. They parse and check shapes; the rules live in people.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin, QuickSelect
from core.models import Region, RegionKind
from core.reference.loader import dict_choices
from core.scope import regions_visible_to
from people.models import Gender, HonourTitle, Level, PersonStatus, SkillGrade, TitleKind, Trade
from people.selectors import PersonFilters

# Sort keys offered by the list's column headers (a subset of people.selectors.SORTS).
LIST_SORTS = ("name", "-name", "birth", "-birth", "district", "-district", "updated")


def district_choices(user: Any) -> QuerySet[Region]:
    """Districts and functional zones the user can see, for the 区县 dropdown."""
    return regions_visible_to(user).filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE]).order_by("sort", "id")


def person_region_choices(user: Any) -> QuerySet[Region]:
    """Regions a person may be filed under: a district, zone or street the user can see."""
    return (
        regions_visible_to(user)
        .filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE, RegionKind.STREET])
        .order_by("path")
    )


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"　{obj.name}" if obj.kind == RegionKind.STREET else str(obj.name)


class PersonSearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("姓名/拼音/首字母/单位/身份证后4位"), "autocomplete": "off"}
        ),
    )
    # Selects written directly (QuickSelect): this form is rendered on every list request.
    district = forms.ModelChoiceField(
        label=_("区县"), queryset=Region.objects.none(), required=False, widget=QuickSelect
    )
    level = forms.ChoiceField(label=_("荣誉级别"), required=False, widget=QuickSelect)
    title = forms.ModelChoiceField(
        label=_("称号"), queryset=HonourTitle.objects.none(), required=False, widget=QuickSelect
    )
    status = forms.ChoiceField(label=_("状态"), required=False, widget=QuickSelect)
    trade = forms.ModelChoiceField(label=_("工种"), queryset=Trade.objects.none(), required=False, widget=QuickSelect)
    hardship = forms.ChoiceField(
        label=_("困难"),
        required=False,
        choices=[("", _("全部")), ("1", _("困难")), ("0", _("非困难"))],
        widget=QuickSelect,
    )
    age_min = forms.IntegerField(
        label=_("年龄从"), required=False, min_value=0, max_value=150, widget=forms.NumberInput(attrs={"size": 4})
    )
    age_max = forms.IntegerField(
        label=_("年龄到"), required=False, min_value=0, max_value=150, widget=forms.NumberInput(attrs={"size": 4})
    )
    gender = forms.ChoiceField(label=_("性别"), required=False, widget=QuickSelect)
    sort = forms.ChoiceField(
        label=_("排序"), required=False, choices=[(s, s) for s in ("", *LIST_SORTS)], widget=QuickSelect
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        all_ = [("", _("全部"))]
        self.fields["district"].queryset = district_choices(user)  # type: ignore[attr-defined]
        self.fields["district"].empty_label = _("全部")  # type: ignore[attr-defined]
        self.fields["title"].queryset = HonourTitle.objects.filter(for_collectives=False)  # type: ignore[attr-defined]
        self.fields["title"].empty_label = _("全部")  # type: ignore[attr-defined]
        self.fields["trade"].queryset = Trade.objects.all()  # type: ignore[attr-defined]
        self.fields["trade"].empty_label = _("全部")  # type: ignore[attr-defined]
        self.fields["level"].choices = all_ + list(Level.choices)  # type: ignore[attr-defined]
        self.fields["status"].choices = all_ + list(PersonStatus.choices)  # type: ignore[attr-defined]
        self.fields["gender"].choices = all_ + list(Gender.choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("age_max", _("年龄上限不能小于下限"))
        return data

    def filters(self) -> PersonFilters:
        """The filters the form asks for; fields that did not validate are ignored."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else self._valid_part()
        hardship = {"1": True, "0": False}.get(data.get("hardship") or "")
        return PersonFilters(
            q=data.get("q") or "",
            district=data["district"].pk if data.get("district") else None,
            level=data.get("level") or "",
            title=data["title"].pk if data.get("title") else None,
            status=data.get("status") or "",
            trade=data["trade"].pk if data.get("trade") else None,
            hardship=hardship,
            age_min=data.get("age_min"),
            age_max=data.get("age_max"),
            gender=data.get("gender") or "",
            sort=data.get("sort") or "",
        )

    def _valid_part(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}

    def described(self) -> dict[str, Any]:
        """The filters in words, for the export's audit entry."""
        data = self._valid_part()
        out: dict[str, Any] = {}
        for name, value in data.items():
            if value in ("", None):
                continue
            out[name] = str(value) if isinstance(value, Region | HonourTitle | Trade) else value
        return out


class DomainErrorFormMixin:
    """A form whose field names differ from the service's: ``core.pages.form_error`` reads these."""

    #: service field name → form field name
    field_aliases: dict[str, str] = {}


class PersonForm(CleanTextMixin, DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", _("由身份证号识别")), *Gender.choices])
    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        max_length=30,
        help_text=_("18位，校验位为X时大小写均可；出生日期和性别将与之核对"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ethnicity = forms.ChoiceField(label=_("民族"), required=False)
    political_status = forms.ChoiceField(label=_("政治面貌"), required=False)
    education = forms.ChoiceField(label=_("学历"), required=False)
    region = RegionChoiceField(label=_("所属区域"), queryset=Region.objects.none())
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    post = forms.CharField(label=_("职务/岗位"), max_length=60, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=PersonStatus.choices, initial=PersonStatus.WORKING)
    status_date = forms.DateField(
        label=_("状态日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mobile = forms.CharField(
        label=_("手机号"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    landline = forms.CharField(label=_("固定电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    bank_name = forms.CharField(label=_("开户银行"), max_length=60, required=False)
    bank_account_name = forms.CharField(label=_("账户名"), max_length=40, required=False)
    bank_account = forms.CharField(
        label=_("银行账号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    hardship = forms.BooleanField(label=_("困难劳模"), required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["region"].queryset = person_region_choices(user)  # type: ignore[attr-defined]
        self.fields["region"].empty_label = _("请选择")  # type: ignore[attr-defined]
        for field, dict_type in (
            ("ethnicity", "ethnicity"),
            ("political_status", "political_status"),
            ("education", "education"),
        ):
            choices = [("", _("请选择")), *dict_choices(dict_type)]
            current = self.initial.get(field)
            if current and current not in {c[0] for c in choices}:
                choices.append((current, current))  # a value since removed from the dictionary
            self.fields[field].choices = choices  # type: ignore[attr-defined]
        if editing:
            self.fields["id_number"].help_text = _("留空则不修改；填写新号码将替换原号码")
            self.fields["bank_account"].help_text = _("留空则不修改")

    def clean_id_number(self) -> str:
        return "".join(self.cleaned_data["id_number"].split()).upper()

    def clean_birth_date(self) -> dt.date | None:
        value = self.cleaned_data.get("birth_date")
        if value and value > dt.date.today():
            raise forms.ValidationError(_("出生日期不能晚于今天"))
        return value

    def service_kwargs(self) -> dict[str, Any]:
        """Arguments for create_person / update_person. On edit a blank ID or bank number means
        "leave as it is", so those keys are left out."""
        data = dict(self.cleaned_data)
        kwargs: dict[str, Any] = {k: v for k, v in data.items() if k not in {"id_number", "bank_account"}}
        if not self.editing or data["id_number"]:
            kwargs["id_number"] = data["id_number"] or None
        if not self.editing or data["bank_account"]:
            kwargs["bank_account"] = data["bank_account"]
        return kwargs


class HonourForm(CleanTextMixin, DomainErrorFormMixin, forms.Form):
    title = forms.ModelChoiceField(label=_("称号"), queryset=HonourTitle.objects.none())
    year = forms.IntegerField(label=_("年份"), min_value=1950, max_value=2100)
    awarding_body = forms.CharField(label=_("授予机关"), max_length=100, required=False)
    certificate_no = forms.CharField(label=_("证书编号"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = HonourTitle.objects.filter(  # type: ignore[attr-defined]
            for_collectives=False, active=True
        )
        self.fields["title"].empty_label = _("请选择")  # type: ignore[attr-defined]


class RevokeHonourForm(CleanTextMixin, DomainErrorFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class SkillForm(CleanTextMixin, DomainErrorFormMixin, forms.Form):
    trade = forms.ModelChoiceField(label=_("工种"), queryset=Trade.objects.none())
    grade = forms.ChoiceField(label=_("技能等级"), required=False, choices=[("", _("未定级")), *SkillGrade.choices])
    specialties = forms.CharField(label=_("专长"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trade"].queryset = Trade.objects.all()  # type: ignore[attr-defined]
        self.fields["trade"].empty_label = _("请选择")  # type: ignore[attr-defined]


class DeceasedForm(CleanTextMixin, DomainErrorFormMixin, forms.Form):
    date = forms.DateField(label=_("去世日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class CollectiveForm(CleanTextMixin, DomainErrorFormMixin, forms.Form):
    name = forms.CharField(label=_("集体名称"), max_length=120)
    employer = forms.CharField(label=_("所在单位"), max_length=120, required=False)
    region = RegionChoiceField(label=_("所属区域"), queryset=Region.objects.none())
    title = forms.ModelChoiceField(label=_("称号"), queryset=HonourTitle.objects.none())
    year = forms.IntegerField(label=_("年份"), min_value=1950, max_value=2100)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = person_region_choices(user)  # type: ignore[attr-defined]
        self.fields["region"].empty_label = _("请选择")  # type: ignore[attr-defined]
        self.fields["title"].queryset = HonourTitle.objects.filter(  # type: ignore[attr-defined]
            Q(for_collectives=True) & Q(active=True)
        )
        self.fields["title"].empty_label = _("请选择")  # type: ignore[attr-defined]


class CollectiveSearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("名称/单位"), required=False, max_length=60)
    district = forms.ModelChoiceField(label=_("区县"), queryset=Region.objects.none(), required=False)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1950, max_value=2100)

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.fields["district"].queryset = district_choices(user)  # type: ignore[attr-defined]
        self.fields["district"].empty_label = _("全部")  # type: ignore[attr-defined]


# The registry's catalogues (系统管理 → 荣誉称号 / 工种).


class HonourTitleForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("称号"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"))
    level = forms.ChoiceField(label=_("级别"))
    enjoys_level = forms.ChoiceField(
        label=_("享受待遇级别"), required=False, help_text=_("如全国五一劳动奖章享受省部级待遇；与本级相同则留空")
    )
    awarding_body = forms.CharField(label=_("授予机关"), max_length=100, required=False)
    aliases = forms.CharField(label=_("别名"), max_length=200, required=False, help_text=_("逗号分隔，导入时识别"))
    for_collectives = forms.BooleanField(label=_("授予集体"), required=False)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TitleKind.choices  # type: ignore[attr-defined]
        self.fields["level"].choices = Level.choices  # type: ignore[attr-defined]
        self.fields["enjoys_level"].choices = [("", "—"), *Level.choices]  # type: ignore[attr-defined]


class TradeForm(CleanTextMixin, forms.Form):
    code = forms.CharField(label=_("编码"), max_length=20)
    name = forms.CharField(label=_("工种"), max_length=60)
    category = forms.CharField(label=_("大类"), max_length=60, required=False)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
