from django.utils.translation import gettext_lazy as _

MENU = [
    {
        "title": _("人员库"),
        "order": 10,
        "items": [
            (_("人员列表"), "people:list", "people.view"),
            (_("模范集体"), "people:collectives", "people.view"),
        ],
    },
]
