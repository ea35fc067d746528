from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.creditcode import CreditCodeError, normalize_credit_code
from assistance.models import Call, Category, Channel, OrgKind, Status, Urgency
from assistance.selectors import all_districts
from assistance.services import MeasureData, RequestData
from core.forms import CleanTextMixin
from core.models import Region, RegionKind, User
from people.models import SkillGrade, Trade


def street_choices() -> list[Any]:
    """Streets grouped by district, so the page works without scripts."""
    groups: dict[str, list[tuple[str, str]]] = {}
    streets = Region.objects.filter(kind=RegionKind.STREET, active=True).select_related("parent")
    for s in streets.order_by("parent__sort", "parent__code", "sort", "code"):
        groups.setdefault(s.parent.name if s.parent else "", []).append((str(s.pk), s.name))
    return [("", _("（不清楚可不选）")), *groups.items()]


class RequestForm(CleanTextMixin, forms.Form):
    org_kind = forms.ChoiceField(label=_("单位类型"), choices=OrgKind.choices)
    org_name = forms.CharField(label=_("单位名称"), max_length=120)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=25, required=False, help_text=_("18位，见营业执照；社区、村可不填")
    )
    district = forms.ModelChoiceField(label=_("所在区县(市)"), queryset=Region.objects.none())
    street = forms.ChoiceField(label=_("所在镇街"), required=False)
    address = forms.CharField(label=_("详细地址"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=40)
    category = forms.ModelChoiceField(label=_("需求类别"), queryset=Category.objects.filter(active=True))
    title = forms.CharField(label=_("需求标题"), max_length=100, help_text=_("一句话说明，如：绕线机断线频繁"))
    description = forms.CharField(
        label=_("需求描述"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("现在的情况、想达到的效果")
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = all_districts()  # type: ignore[attr-defined]
        self.fields["street"].choices = street_choices()  # type: ignore[attr-defined]
        for field in self.fields.values():  # "请填写需求标题", not Django's "这个字段是必填项。"
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            message = _("请选择%(label)s") if choose else _("请填写%(label)s")
            field.error_messages["required"] = message % {"label": field.label}

    def clean_credit_code(self) -> str:
        raw = self.cleaned_data.get("credit_code", "")
        if not raw.strip():
            return ""
        try:
            return normalize_credit_code(raw)
        except CreditCodeError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Checked here as well as in the service, so every problem shows at once.
        if data.get("org_kind") == OrgKind.ENTERPRISE and "credit_code" in data and not data["credit_code"]:
            self.add_error("credit_code", _("企业请填写统一社会信用代码"))
        street_id = data.get("street")
        data["street_obj"] = None
        if street_id:
            street = Region.objects.filter(pk=street_id, kind=RegionKind.STREET).first()
            if street is None or (data.get("district") and street.parent_id != data["district"].pk):
                self.add_error("street", _("所选镇街不属于该区县(市)"))
            data["street_obj"] = street
        return data

    def request_data(self, mobile: str, call: Call | None = None) -> RequestData:
        d = self.cleaned_data
        return RequestData(
            org_kind=d["org_kind"],
            org_name=d["org_name"],
            credit_code=d.get("credit_code", ""),
            address=d["address"],
            district=d["district"],
            street=d["street_obj"],
            contact_name=d["contact_name"],
            contact_mobile=mobile,
            category=d["category"],
            title=d["title"],
            description=d["description"],
            urgency=d["urgency"],
            call=call,
        )


class PublicRequestForm(RequestForm):
    photo = forms.FileField(
        label=_("照片或资料（可选，提交后还可继续添加）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"}),
    )
    # The passwords are sent back into the page when something else needs correcting (over
    # HTTPS, to the person who typed them): nobody should have to type them twice more.
    password = forms.CharField(
        label=_("设置登录密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        required=False,
        help_text=_(
            "以后用手机号和此密码登录，查看办理进度。至少10位，含大写字母、小写字母、数字、符号中的至少三类，"
            "不能全是数字，不能太常见，不能与手机号或联系人姓名相近"
        ),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        required=False,
    )

    def __init__(self, *args: Any, needs_password: bool = True, mobile: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_password = needs_password
        self.mobile = mobile
        if not needs_password:
            del self.fields["password"], self.fields["password2"]
        else:
            self.fields["password"].required = self.fields["password2"].required = True
            self.fields["password"].error_messages["required"] = _("请设置登录密码")
            self.fields["password2"].error_messages["required"] = _("请再次输入密码")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.needs_password:
            p1, p2 = data.get("password") or "", data.get("password2") or ""
            if p1:
                # The account the service will create (user name = the mobile), so the similarity
                # check answers here, with the other errors, and not one submission later.
                account = User(username=self.mobile, mobile=self.mobile, display_name=data.get("contact_name", ""))
                try:
                    validate_password(p1, account)
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
            if p1 and p2 and p1 != p2:
                self.add_error("password2", _("两次输入的密码不一致"))
        return data


class StaffRequestForm(RequestForm):
    contact_mobile = forms.CharField(label=_("联系手机"), max_length=20)
    channel = forms.ChoiceField(
        label=_("来源"), choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.VISIT, Channel.VISIT.label)]
    )
    call = forms.ModelChoiceField(label=_("所属征集"), queryset=Call.objects.all(), required=False)


class UploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("选择一张照片或一个文件"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"}),
    )


class DeclineForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("不予受理原因（需求单位可见）"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(CleanTextMixin, forms.Form):
    into = forms.CharField(label=_("合并到需求编号"), max_length=20)


class TransferForm(CleanTextMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("转交区县(市)"), queryset=Region.objects.none())
    street = forms.ChoiceField(label=_("镇街"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = all_districts()  # type: ignore[attr-defined]
        self.fields["street"].choices = street_choices()  # type: ignore[attr-defined]

    def street_obj(self) -> Region | None:
        sid = self.cleaned_data.get("street")
        return Region.objects.filter(pk=sid, kind=RegionKind.STREET).first() if sid else None


class MatchFilterForm(CleanTextMixin, forms.Form):
    district_only = forms.BooleanField(label=_("只看本区县"), required=False)
    exclude_busy = forms.BooleanField(label=_("只看空闲"), required=False)
    min_grade = forms.ChoiceField(
        label=_("技能等级不低于"), required=False, choices=[("", _("不限")), *SkillGrade.choices]
    )
    category = forms.ModelChoiceField(
        label=_("按类别匹配"), queryset=Category.objects.filter(active=True), required=False
    )


class VisitForm(CleanTextMixin, forms.Form):
    date = forms.DateField(label=_("上门日期"), widget=forms.DateInput(attrs={"type": "date"}))
    work_done = forms.CharField(label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label=_("现场照片（可选）"), required=False)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for p in people:
            self.fields[f"hours_{p.pk}"] = forms.DecimalField(
                label=f"{p.name} {_('服务时长(小时)')}",
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("24"),
                decimal_places=1,
                help_text=_("未去的人留空"),
            )

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("上门日期不能晚于今天"))
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.people and not any(data.get(f"hours_{p.pk}") for p in self.people):
            self.add_error(f"hours_{self.people[0].pk}", _("请填写至少一位上门人员的服务时长"))
        return data

    def participants(self) -> list[tuple[Any, Decimal]]:
        return [(p, self.cleaned_data[f"hours_{p.pk}"]) for p in self.people if self.cleaned_data.get(f"hours_{p.pk}")]


class OutcomeForm(CleanTextMixin, forms.Form):
    solved = forms.TypedChoiceField(
        label=_("问题是否解决"), choices=[("1", _("已解决")), ("0", _("未完全解决"))], coerce=lambda v: v == "1"
    )
    problems_solved = forms.IntegerField(label=_("解决难题数"), min_value=0, initial=0)
    workers_trained = forms.IntegerField(label=_("培训职工人数"), min_value=0, initial=0)
    workers_served = forms.IntegerField(label=_("服务职工人数"), min_value=0, initial=0)
    equipment_repaired = forms.IntegerField(label=_("维修设备台数"), min_value=0, initial=0)
    summary = forms.CharField(label=_("成效说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    ROWS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(self.ROWS):
            self.fields[f"m{i}_label"] = forms.CharField(label=_("指标"), max_length=60, required=False)
            self.fields[f"m{i}_unit"] = forms.CharField(label=_("单位"), max_length=20, required=False)
            self.fields[f"m{i}_before"] = forms.DecimalField(
                label=_("帮扶前"), required=False, max_digits=12, decimal_places=2
            )
            self.fields[f"m{i}_after"] = forms.DecimalField(
                label=_("帮扶后"), required=False, max_digits=12, decimal_places=2
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(self.ROWS):
            if data.get(f"m{i}_label") and (data.get(f"m{i}_before") is None or data.get(f"m{i}_after") is None):
                self.add_error(f"m{i}_before", _("请填写帮扶前后的数值"))
        return data

    def measures(self) -> list[MeasureData]:
        d = self.cleaned_data
        return [
            MeasureData(d[f"m{i}_label"], d[f"m{i}_unit"], d[f"m{i}_before"], d[f"m{i}_after"])
            for i in range(self.ROWS)
            if d.get(f"m{i}_label")
        ]


class RatingForm(CleanTextMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(5, _("非常满意")), (4, _("满意")), (3, _("基本满意")), (2, _("不太满意")), (1, _("不满意"))],
    )
    comment = forms.CharField(
        label=_("评价意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(CleanTextMixin, forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("接受")), ("decline", _("谢绝"))])
    note = forms.CharField(label=_("说明（可选）"), max_length=300, required=False)


class CallForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("征集名称"), max_length=120)
    starts = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.ModelChoiceField(
        label=_("范围"),
        queryset=Region.objects.filter(kind__in=[RegionKind.CITY, RegionKind.DISTRICT, RegionKind.ZONE]),
    )
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CategoryForm(CleanTextMixin, forms.Form):
    code = forms.SlugField(label=_("编码"), max_length=20)
    name = forms.CharField(label=_("类别"), max_length=40)
    keywords = forms.CharField(label=_("关键词"), max_length=200, required=False)
    trades = forms.ModelMultipleChoiceField(
        label=_("对应工种"), queryset=Trade.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class FiguresForm(CleanTextMixin, forms.Form):
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    call = forms.ModelChoiceField(label=_("征集"), queryset=Call.objects.all(), required=False)
    district = forms.ModelChoiceField(label=_("区县(市)"), queryset=Region.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.all(), required=False)

    def __init__(self, *args: Any, districts: Any, calls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]


class RequestSearchForm(FiguresForm):
    q = forms.CharField(label=_("单位/编号/标题"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *Status.choices]  # type: ignore[attr-defined]
