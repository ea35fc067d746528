"""Template helpers shared by apps."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The last part of an audit action code says what happened (people.person.updated → 修改).
VERBS = {
    "created": _("新增"),
    "updated": _("修改"),
    "deleted": _("删除"),
    "removed": _("删除"),
    "added": _("添加"),
    "exported": _("导出"),
    "imported": _("导入"),
    "revealed": _("查看完整号码"),
    "id_revealed": _("查看完整身份证号"),
    "bank_revealed": _("查看完整银行账号"),
    "merged": _("合并"),
    "deceased": _("标记去世"),
    "revoked": _("撤销"),
    "granted": _("授权"),
    "approved": _("批准"),
    "rejected": _("驳回"),
    "closed": _("结束"),
    "opened": _("开启"),
    "enabled": _("启用"),
    "disabled": _("停用"),
    "unlocked": _("解锁"),
    "ended": _("强制退出"),
    "enrolled": _("绑定认证器"),
    "reset": _("重置"),
    "issued": _("签发"),
    "saved": _("保存"),
    "loaded": _("载入"),
    "withdrawn": _("撤回"),
    "confirmed": _("确认"),
    "reviewed": _("审核"),
    "paid": _("已发放"),
}


@register.filter
def action_label(code: str) -> str:
    """A readable label for an audit action code: the app's name and the verb (人员库·修改);
    the code itself stays available in a title attribute."""
    parts = (code or "").split(".")
    try:
        app = str(apps.get_app_config(parts[0]).verbose_name)
    except LookupError:
        app = parts[0]
    verb = VERBS.get(parts[-1]) if len(parts) > 1 else None
    return f"{app}·{verb}" if verb else code
