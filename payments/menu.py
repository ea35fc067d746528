from django.utils.translation import gettext_lazy as _

MENU = [
    {
        "title": _("慰问金"),
        "order": 30,
        "items": [
            (_("发放概况"), "payments:dashboard", "payments.view"),
            (_("发放批次"), "payments:round_list", "payments.view"),
            (_("发放规则"), "payments:rules", "payments.view"),
            (_("银行代发格式"), "payments:layouts", "payments.rules"),
        ],
    }
]
