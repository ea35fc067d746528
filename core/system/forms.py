"""Forms of the system pages. They parse and check shapes; rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from core.models import LoginEvent, Region, RegionKind, Role

_PASSWORD_HELP = _("至少10位，包含大写字母、小写字母、数字、符号中的至少三类，不能是常见密码")


class _PasswordPair(CleanTextMixin, forms.Form):
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(render_value=False), help_text=_PASSWORD_HELP
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput(render_value=False))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class UserCreateForm(_PasswordPair):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.@-]{3,150}$",
        error_messages={"invalid": _("3位以上，只能用字母、数字和 _ . @ -")},
    )
    display_name = forms.CharField(label=_("姓名"), max_length=60)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮件"), required=False)
    field_order = ["username", "display_name", "mobile", "email", "password", "password2"]


class PasswordResetForm(_PasswordPair):
    pass


def _region_choices() -> list[tuple[str, Any]]:
    kinds = [RegionKind.DISTRICT, RegionKind.ZONE, RegionKind.STREET]
    return [("", _("全市（不限区域）"))] + [
        (str(r.pk), ("　" if r.kind == RegionKind.STREET else "") + r.name)
        for r in Region.objects.filter(kind__in=kinds, active=True).order_by("path")
    ]


class RoleGrantForm(CleanTextMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    region = forms.ChoiceField(label=_("数据范围"), required=False, help_text=_("区县工作人员必须指定区域"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()  # type: ignore[attr-defined]

    def clean_region(self) -> Region | None:
        pk = self.cleaned_data.get("region")
        return Region.objects.get(pk=pk) if pk else None


class TokenForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=60, help_text=_("如：人社局数据对接"))
    otp_token = forms.RegexField(
        label=_("动态口令"),
        regex=r"^\d{6}$",
        max_length=6,
        help_text=_("签发令牌须再次输入认证器上的6位数字"),
        error_messages={"invalid": _("请输入认证器上显示的6位数字")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class UserFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("用户名/姓名/手机号"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部")), *list(Role.choices)])
    active = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("1", _("正常")), ("0", _("停用"))]
    )


class DateRangeMixin(CleanTextMixin, forms.Form):
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data


class LoginEventFilterForm(DateRangeMixin):
    username = forms.CharField(label=_("用户名"), required=False)
    kind = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部")), *list(LoginEvent.Kind.choices)])
    ip = forms.GenericIPAddressField(label=_("登录地址"), required=False)
    field_order = ["username", "kind", "ip", "start", "end"]


class AuditFilterForm(DateRangeMixin):
    actor = forms.CharField(label=_("操作人"), required=False)
    action = forms.CharField(label=_("操作"), required=False, help_text=_("如 people.person 或 core.user.created"))
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    field_order = ["actor", "action", "object_type", "object_id", "start", "end"]


class UnlockForm(CleanTextMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)


class RegionForm(CleanTextMixin, forms.Form):
    code = forms.CharField(label=_("区划代码"), max_length=20)
    name = forms.CharField(label=_("名称"), max_length=60)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=RegionKind.choices)
    parent = forms.ModelChoiceField(label=_("上级区域"), queryset=Region.objects.none(), required=False)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class RegionEditForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    sort = forms.IntegerField(label=_("排序"), min_value=0, required=False)
    active = forms.BooleanField(label=_("启用"), required=False)


class ImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("选择文件"), help_text=_("支持 .xlsx、.xls、.csv"))
    update_existing = forms.BooleanField(label=_("是否更新已经存在的数据"), required=False)


class DictItemForm(CleanTextMixin, forms.Form):
    dict_type = forms.RegexField(
        label=_("字典类型"),
        regex=r"^[a-z][a-z0-9_]{1,39}$",
        error_messages={"invalid": _("小写字母开头，只能用小写字母、数字和下划线")},
    )
    value = forms.CharField(label=_("字典键值"), max_length=60)
    label = forms.CharField(label=_("字典标签"), max_length=60)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)


class DictItemEditForm(CleanTextMixin, forms.Form):
    label = forms.CharField(label=_("字典标签"), max_length=60)
    sort = forms.IntegerField(label=_("排序"), min_value=0, required=False)
    active = forms.BooleanField(label=_("启用"), required=False)
