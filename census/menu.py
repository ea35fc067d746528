from django.utils.translation import gettext_lazy as _

MENU = [
    {
        "title": _("普查"),
        "order": 15,
        "items": [
            (_("普查活动"), "census:campaigns", "census.view"),
            (_("变更审核"), "census:reviews", "census.review"),
            (_("数据导入"), "census:imports", "people.import"),
        ],
    }
]
