from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.controlchars import first_control_character, refusal


class CleanTextMixin:
    """Refuses control characters in every text a form takes (see ``core.controlchars``); a
    ``Textarea`` may hold tabs and line breaks. Every form of the project carries it
    (``core/tests/test_control_characters.py`` checks)."""

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, value in list(self.cleaned_data.items()):  # type: ignore[attr-defined]
            texts = value if isinstance(value, list | tuple) else [value]
            multiline = isinstance(self.fields[name].widget, forms.Textarea)  # type: ignore[attr-defined]
            for text in texts:
                char = first_control_character(text, multiline=multiline) if isinstance(text, str) else None
                if char:
                    self.add_error(name, refusal(char))  # type: ignore[attr-defined]
                    break


class LoginForm(CleanTextMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class OtpForm(CleanTextMixin, forms.Form):
    token = forms.RegexField(
        label=_("动态口令"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("请输入认证器上显示的6位数字")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class QuickSelect(forms.Select):
    """A ``<select>`` written directly instead of through a template per option: the same HTML
    as ``forms.Select`` (a test compares them), at a fraction of the cost. The registry's filter
    form spent about 9 ms of each list request rendering its selects the template way."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options)


# The two steps of a text-message code (core.phonecodes).


class MobileForm(CleanTextMixin, forms.Form):
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("请输入手机号"), "max_length": _("手机号是11位数字，请核对")},
    )


class CodeForm(CleanTextMixin, forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": _("请输入短信里的6位数字验证码"),
            "min_length": _("验证码是6位数字，请核对短信"),
            "max_length": _("验证码是6位数字，请核对短信"),
        },
    )
