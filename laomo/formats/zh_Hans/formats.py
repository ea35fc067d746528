"""Django's Simplified Chinese formats, with thousands separators in groups of three: the way the
association writes 金额 and 人数 (2,537,800.00), not Django's default of no separator."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403 - extend Django's formats

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
